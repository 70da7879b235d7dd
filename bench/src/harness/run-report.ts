import type { JudgedMeasurement } from './benchmark.js';
import type { MachineInfo } from './machine-info.js';

/** Everything one `pnpm bench` run produced: the shape of `bench/results.json`. */
export interface RunReport {
  /** ISO 8601 start time (UTC). */
  date: string;
  /** The command as a person would type it. */
  command: string;
  quick: boolean;
  /** Whether the built `dist/` was measured rather than the sources. */
  dist: boolean;
  /** Whether the client ran pinned to CPU 0 and the servers to CPU 1. */
  pinned: boolean;
  /** The copy of core measured instead of `@colchis/core` (`--core`), if any. */
  coreOverride?: string | undefined;
  /** 1-minute load average before and after the run: other work on the machine shows here. */
  loadAverage: { before: number; after: number };
  durationSeconds: number;
  machine: MachineInfo;
  benchmarks: { id: string; title: string; method: string }[];
  measurements: JudgedMeasurement[];
}

/** Counts of targets met and missed. */
export function targetSummary(report: RunReport): { met: number; missed: JudgedMeasurement[] } {
  const judged = report.measurements.filter((measurement) => measurement.pass !== undefined);
  const missed = judged.filter((measurement) => measurement.pass === false);
  return { met: judged.length - missed.length, missed };
}
