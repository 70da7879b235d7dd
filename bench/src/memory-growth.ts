/**
 * Memory (issue 8, benchmark 7): the heap after 100 000 `getPayment` calls against the heap
 * after the first 1 000, each read after full garbage collections. Whatever a client keeps per
 * call (a cache without a bound, listeners never removed, timers, closures held by a pool) shows
 * up as growth.
 */
import { createBog } from '@colchis/bog';
import type { Benchmark, BenchmarkContext, Measurement } from './harness/benchmark.js';
import { startChildServer } from './harness/child-server.js';
import { collectGarbage } from './harness/interleaved-rounds.js';
import { runConcurrent } from './harness/load-loops.js';

const CONCURRENCY = 32;
const FIRST_CALLS = 1_000;
const sizes = { full: { totalCalls: 100_000 }, quick: { totalCalls: 20_000 } };
const MEBIBYTE = 1024 * 1024;

/** The memory benchmark, registered in `benchmark-registry.ts`. */
export const memoryGrowth: Benchmark = {
  id: 'memory',
  title: 'Memory: heap growth over 100 000 getPayment calls',
  method: `A BOG provider (\`createBog\`: token cache, bearer auth, zod validation, mapping) calls \`getPayment\` against the local server, which answers BOG's documented payment-details example, ${CONCURRENCY} calls in flight. The heap (\`process.memoryUsage().heapUsed\`) is read after the first ${FIRST_CALLS.toLocaleString('en-US')} calls and again after 100 000 in all, each time after repeated full collections (\`--expose-gc\`); the difference is the growth (target < 5 MB). The server counts the requests, so every call is known to have reached it. One run (a quick run makes 20 000 calls).`,
  run,
};

async function run(context: BenchmarkContext): Promise<Measurement[]> {
  const { totalCalls } = context.quick ? sizes.quick : sizes.full;
  const server = await startChildServer();
  try {
    const bog = createBog({
      environment: 'sandbox',
      clientId: 'bench-client',
      clientSecret: 'bench-secret-0123456789',
      tokenUrl: `${server.origin}/bog/token`,
      apiUrl: `${server.origin}/bog/payments/v1`,
    });
    let next = 0;
    // Distinct ids, as a real workload has: nothing may be kept per id.
    const call = () => bog.getPayment(`order-${next++}`);
    const first = await call();
    if (first.rawStatus === undefined) throw new Error('BOG getPayment read no status');

    await runConcurrent(call, FIRST_CALLS - 1, CONCURRENCY);
    const heapAfterFirst = settledHeap();
    context.log(
      `heap after ${FIRST_CALLS} calls: ${(heapAfterFirst / MEBIBYTE).toFixed(2)} MB; ${totalCalls - FIRST_CALLS} more calls`,
    );
    const started = performance.now();
    await runConcurrent(call, totalCalls - FIRST_CALLS, CONCURRENCY);
    const seconds = (performance.now() - started) / 1000;
    const heapAfterAll = settledHeap();
    context.log(
      `heap after ${totalCalls} calls: ${(heapAfterAll / MEBIBYTE).toFixed(2)} MB (${seconds.toFixed(1)} s)`,
    );

    const counts = await server.counts();
    // One token request, then one receipt per call.
    if (counts.bog !== totalCalls + 1) {
      throw new Error(`the server saw ${counts.bog} BOG requests, expected ${totalCalls + 1}`);
    }
    const growth = (heapAfterAll - heapAfterFirst) / MEBIBYTE;
    return [
      {
        id: 'memory.heap-growth',
        label: `Memory: heap growth from ${FIRST_CALLS.toLocaleString('en-US')} to ${totalCalls.toLocaleString('en-US')} BOG getPayment calls`,
        unit: 'MB',
        ours: growth,
        higherIsBetter: false,
        target: { on: 'value', comparison: '<=', value: 5 },
        note: `Heap after ${FIRST_CALLS.toLocaleString('en-US')} calls: ${(heapAfterFirst / MEBIBYTE).toFixed(2)} MB; after ${totalCalls.toLocaleString('en-US')}: ${(heapAfterAll / MEBIBYTE).toFixed(2)} MB.`,
      },
    ];
  } finally {
    await server.close();
  }
}

/** `heapUsed` once repeated full collections no longer free anything worth counting. */
function settledHeap(): number {
  let previous = Number.POSITIVE_INFINITY;
  let current = process.memoryUsage().heapUsed;
  for (let pass = 0; pass < 10 && previous - current > 64 * 1024; pass++) {
    collectGarbage();
    previous = current;
    current = process.memoryUsage().heapUsed;
  }
  collectGarbage();
  return process.memoryUsage().heapUsed;
}
