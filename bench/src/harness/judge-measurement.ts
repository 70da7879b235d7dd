import { formatWithUnit } from '../report/format-figure.js';
import type { JudgedMeasurement, Measurement, Target } from './benchmark.js';
import { median } from './statistics.js';

/**
 * Works out a measurement's ratio and whether it meets its target. With per-round figures for
 * both sides, the ratio is the median of the per-round ratios: round i of ours and round i of the
 * reference ran next to each other, so each round's ratio cancels what the machine was doing at
 * that moment, which a ratio of two medians taken over a drifting machine does not. Without
 * rounds it is ours ÷ reference.
 */
export function judgeMeasurement(benchmark: string, measurement: Measurement): JudgedMeasurement {
  const roundRatios = pairedRoundRatios(measurement);
  const ratio = roundRatios
    ? median(roundRatios)
    : measurement.reference !== undefined && measurement.reference !== 0
      ? measurement.ours / measurement.reference
      : undefined;
  const pass = measurement.target ? meetsTarget(measurement.target, measurement.ours, ratio) : undefined;
  return { ...measurement, benchmark, ratio, roundRatios, pass };
}

/** ours ÷ reference round by round, when both sides have the same number of non-zero rounds. */
export function pairedRoundRatios(measurement: Measurement): number[] | undefined {
  const rounds = measurement.rounds;
  if (!rounds?.reference || rounds.reference.length !== rounds.ours.length || rounds.ours.length === 0) {
    return undefined;
  }
  const reference = rounds.reference;
  if (reference.some((value) => value === 0)) return undefined;
  return rounds.ours.map((value, index) => value / (reference[index] as number));
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
    : `${symbol} ${formatWithUnit(target.value, unit)}`;
}
