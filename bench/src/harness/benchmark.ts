/**
 * The contract every benchmark file implements. A benchmark is registered once in
 * `../benchmark-registry.ts`, runs in a fresh Node process of its own (so the JIT state, heap and
 * connection pools of one benchmark never colour the next) and returns {@link Measurement}s that
 * the reports render as table rows and chart bars.
 */

/** How a benchmark's run is sized. */
export interface BenchmarkContext {
  /** `--quick`: a smoke run with few rounds; numbers are indicative only. */
  readonly quick: boolean;
  /** Progress line on stderr (never mixed into the results). */
  log(message: string): void;
}

/** A threshold a measurement is judged against. */
export interface Target {
  /** What is compared: the ratio ours/reference, or our value itself. */
  readonly on: 'ratio' | 'value';
  readonly comparison: '<=' | '>=' | '==';
  readonly value: number;
}

/** One row of the results table. */
export interface Measurement {
  /** Stable id, `<benchmark>.<metric>`, used by `results.json` consumers. */
  readonly id: string;
  /** Human label for the table and the chart. */
  readonly label: string;
  /** Unit of `ours` and `reference`, e.g. `µs`, `req/s`, `requests`, `ms`. */
  readonly unit: string;
  /** Our figure: the median over the rounds. */
  readonly ours: number;
  /** The reference figure measured in the same run, when there is one. */
  readonly reference?: number | undefined;
  /** What the reference is, e.g. `raw undici.request`. */
  readonly referenceName?: string | undefined;
  /** Whether a larger figure is better (throughput) or worse (latency, cost). */
  readonly higherIsBetter: boolean;
  readonly target?: Target | undefined;
  /** Per-round figures, kept so the report can show the spread. */
  readonly rounds?: { readonly ours: readonly number[]; readonly reference?: readonly number[] } | undefined;
  /** Draw this row in the chart (rows with a reference only). */
  readonly chart?: boolean | undefined;
  /** One line of context shown under the table. */
  readonly note?: string | undefined;
}

/** A registered benchmark. */
export interface Benchmark {
  /** Short id for `--only=<id>` and the measurements' ids. */
  readonly id: string;
  readonly title: string;
  /** Markdown paragraph for the report's Method section: what is measured and how. */
  readonly method: string;
  run(context: BenchmarkContext): Promise<Measurement[]>;
}

/** A measurement with its ratio and verdict worked out. */
export interface JudgedMeasurement extends Measurement {
  readonly benchmark: string;
  /** ours ÷ reference: the median of the per-round ratios when both sides have rounds. */
  readonly ratio: number | undefined;
  /** ours ÷ reference in each round, when both sides have rounds. */
  readonly roundRatios?: readonly number[] | undefined;
  /** `undefined` when there is no target (informational rows). */
  readonly pass: boolean | undefined;
}
