import { median } from './statistics.js';

/** What one round of a load loop measured. */
export interface LoadRoundFigures {
  /** Median latency of the round's calls, µs (sequential loops only; 0 otherwise). */
  medianLatencyUs: number;
  /** Calls per second over the round's wall time. */
  callsPerSecond: number;
  /** Client CPU time (user + system, all threads) per call, µs. */
  cpuUsPerCall: number;
}

/** Runs `call` `count` times one after the other, timing each call. */
export async function runSequential(call: () => Promise<unknown>, count: number): Promise<LoadRoundFigures> {
  const latencies = new Float64Array(count);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    const callStarted = performance.now();
    await call();
    latencies[index] = performance.now() - callStarted;
  }
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    medianLatencyUs: median(Array.from(latencies)) * 1000,
    callsPerSecond: (count / elapsedMs) * 1000,
    cpuUsPerCall: (cpu.user + cpu.system) / count,
  };
}

/**
 * Runs `count` calls with `concurrency` of them in flight at any time (each worker starts the
 * next call as soon as its previous one ends), and measures the throughput over the wall time.
 */
export async function runConcurrent(
  call: () => Promise<unknown>,
  count: number,
  concurrency: number,
): Promise<LoadRoundFigures> {
  let issued = 0;
  const worker = async () => {
    while (issued < count) {
      issued++;
      await call();
    }
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    medianLatencyUs: 0,
    callsPerSecond: (count / elapsedMs) * 1000,
    cpuUsPerCall: (cpu.user + cpu.system) / count,
  };
}
