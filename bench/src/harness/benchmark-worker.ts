/**
 * Entry of the process one benchmark runs in (forked by `run-benchmark-process.ts`). Runs the
 * benchmark named on the command line and sends its measurements to the parent over IPC.
 */
import { benchmarkRegistry } from '../benchmark-registry.js';
import type { Measurement } from './benchmark.js';

/** What the worker sends its parent. */
export type WorkerMessage =
  | { type: 'result'; title: string; method: string; measurements: Measurement[] }
  | { type: 'error'; message: string };

async function main(): Promise<void> {
  const [id, mode] = process.argv.slice(2);
  const entry = benchmarkRegistry.find((candidate) => candidate.id === id);
  if (!entry) throw new Error(`no benchmark registered as "${id}"`);
  const benchmark = await entry.load();
  const measurements = await benchmark.run({
    quick: mode === 'quick',
    log: (message) => process.stderr.write(`  [${id}] ${message}\n`),
  });
  await send({ type: 'result', title: benchmark.title, method: benchmark.method, measurements });
}

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) throw new Error('benchmark-worker must be started with an IPC channel');
    process.send(message, () => resolve());
  });
}

main().then(
  // Exit explicitly: keep-alive sockets in undici's global pool would keep the process alive.
  () => process.exit(0),
  async (error: unknown) => {
    await send({
      type: 'error',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exit(1);
  },
);
