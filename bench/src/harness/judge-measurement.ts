import type { JudgedMeasurement, Measurement, Target } from './benchmark.js';

/** Works out a measurement's ratio (ours / reference) and whether it meets its target. */
export function judgeMeasurement(benchmark: string, measurement: Measurement): JudgedMeasurement {
  const ratio =
    measurement.reference !== undefined && measurement.reference !== 0
      ? measurement.ours / measurement.reference
      : undefined;
  const pass = measurement.target ? meetsTarget(measurement.target, measurement.ours, ratio) : undefined;
  return { ...measurement, benchmark, ratio, pass };
}

/** Whether the figure the target speaks about satisfies it; a missing ratio never passes. */
export function meetsTarget(target: Target, ours: number, ratio: number | undefined): boolean {
  const value = target.on === 'ratio' ? ratio : ours;
  if (value === undefined || !Number.isFinite(value)) return false;
  switch (target.comparison) {
    case '<=':
      return value <= target.value;
    case '>=':
      return value >= target.value;
    case '==':
      return value === target.value;
  }
}

/** `≤ 1.10× reference`, `≥ 0.90× reference`, `= 1`: the target as the table shows it. */
export function describeTarget(target: Target, unit: string): string {
  const symbol = target.comparison === '<=' ? '≤' : target.comparison === '>=' ? '≥' : '=';
  return target.on === 'ratio'
    ? `${symbol} ${target.value.toFixed(2)}×`
    : `${symbol} ${target.value} ${unit}`;
}
