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

/**
 * Sequential calls of two contenders, alternating call by call (A B, B A, A B, …), each call
 * timed on its own. Pairing at the level of single calls means both sides sample the same
 * moments of the machine: on a shared or virtualised host, scheduler wake-up latency between the
 * client and server processes drifts within seconds, and round-level alternation alone lets that
 * drift land on one side. CPU time is measured around each call and summed per contender.
 */
export async function runPairedSequential(
  first: () => Promise<unknown>,
  second: () => Promise<unknown>,
  pairs: number,
): Promise<{ first: LoadRoundFigures; second: LoadRoundFigures }> {
  const latencies = [new Float64Array(pairs), new Float64Array(pairs)];
  const cpuMicroseconds = [0, 0];
  const elapsedMs = [0, 0];
  const calls = [first, second];
  for (let index = 0; index < pairs; index++) {
    for (let turn = 0; turn < 2; turn++) {
      const side = (index + turn) % 2;
      const call = calls[side] as () => Promise<unknown>;
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      await call();
      const latency = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      (latencies[side] as Float64Array)[index] = latency;
      cpuMicroseconds[side] = (cpuMicroseconds[side] ?? 0) + cpu.user + cpu.system;
      elapsedMs[side] = (elapsedMs[side] ?? 0) + latency;
    }
  }
  const figures = (side: number): LoadRoundFigures => ({
    medianLatencyUs: median(Array.from(latencies[side] as Float64Array)) * 1000,
    callsPerSecond: (pairs / (elapsedMs[side] ?? 1)) * 1000,
    cpuUsPerCall: (cpuMicroseconds[side] ?? 0) / pairs,
  });
  return { first: figures(0), second: figures(1) };
}
