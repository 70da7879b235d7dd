/**
 * Every benchmark `pnpm bench` runs, in report order (the order of issue 8's list). To add one,
 * write `src/<name>.ts` exporting a {@link Benchmark} and add a line here; the runner,
 * `results.json`, the table and the chart pick it up. Modules are imported lazily, inside the
 * benchmark's own process.
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
  { id: 'provider', load: async () => (await import('./provider-overhead.js')).providerOverhead },
  { id: 'stripe-node', load: async () => (await import('./stripe-node-comparison.js')).stripeNodeComparison },
  { id: 'token-cache', load: async () => (await import('./token-cache-stampede.js')).tokenCacheStampede },
  { id: 'webhooks', load: async () => (await import('./webhook-verification.js')).webhookVerification },
  { id: 'cold-start', load: async () => (await import('./cold-start-and-size.js')).coldStartAndSize },
  { id: 'memory', load: async () => (await import('./memory-growth.js')).memoryGrowth },
];
