/** A figure with a sensible number of digits for its size: `152.3`, `12,480`, `0.84`, `1`. */
export function formatFigure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) || Math.abs(value) >= 1000) {
    return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
  }
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** A figure with its unit: `152.3 µs`, `12,480 req/s`, `1 request`. */
export function formatWithUnit(value: number, unit: string): string {
  // Word units ("requests", "calls") in the singular for exactly one; symbols (ms, µs) unchanged.
  const singular = value === 1 && /^[a-z]{4,}s$/i.test(unit) ? unit.slice(0, -1) : unit;
  return `${formatFigure(value)} ${singular}`;
}

/** A ratio as the table shows it: `1.028×`. */
export function formatRatio(ratio: number | undefined): string {
  return ratio === undefined ? '—' : `${ratio.toFixed(3)}×`;
}
