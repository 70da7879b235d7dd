/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * The `q`-quantile (0..1) by linear interpolation between closest ranks, the same definition as
 * numpy's default, so figures can be checked by hand from `results.json`.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of an empty list');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within 0..1, got ${q}`);
  const sorted = [...values].sort((left, right) => left - right);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const lowerValue = sorted[lower] as number;
  const upperValue = sorted[upper] as number;
  return lowerValue + (upperValue - lowerValue) * (position - lower);
}

/** Relative spread of a list: (max - min) / median, a quick noise indicator for the report. */
export function relativeSpread(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const middle = median(values);
  if (middle === 0) return 0;
  return (Math.max(...values) - Math.min(...values)) / Math.abs(middle);
}
