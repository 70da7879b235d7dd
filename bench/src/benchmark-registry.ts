/**
 * Every benchmark `pnpm bench` runs, in report order. To add one (issue 8: provider overhead,
 * stripe-node, webhook verification, cold start and size, memory), write `src/<name>.ts`
 * exporting a {@link Benchmark} and add a line here; the runner, `results.json`, the table and the
 * chart pick it up. Modules are imported lazily, inside the benchmark's own process.
 */
import type { Benchmark } from './harness/benchmark.js';

/** A registry entry: the id for `--only`, and how to load the benchmark. */
export interface RegisteredBenchmark {
  readonly id: string;
  load(): Promise<Benchmark>;
}

/** The registered benchmarks. */
export const benchmarkRegistry: readonly RegisteredBenchmark[] = [
  { id: 'transport', load: async () => (await import('./transport-overhead.js')).transportOverhead },
  { id: 'token-cache', load: async () => (await import('./token-cache-stampede.js')).tokenCacheStampede },
];
