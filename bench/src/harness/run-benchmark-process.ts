import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './benchmark.js';
import type { WorkerMessage } from './benchmark-worker.js';

/** How a benchmark process is started. */
export interface BenchmarkProcessSettings {
  quick: boolean;
  /** Resolve `@colchis/*` to built `dist/` instead of `src/` (needs `pnpm build` first). */
  dist: boolean;
  /** Write a V8 CPU profile of the benchmark process (not its server) into this directory. */
  profileDirectory?: string | undefined;
}

/** What one benchmark process returned. */
export interface BenchmarkProcessResult {
  title: string;
  method: string;
  measurements: Measurement[];
}

const workerEntry = fileURLToPath(new URL('./benchmark-worker.ts', import.meta.url));

/**
 * Runs one registered benchmark in a fresh Node process, so the JIT state, heap and connection
 * pools one benchmark leaves behind never affect another, and later cold-start and memory
 * benchmarks start from a clean process.
 */
export function runBenchmarkProcess(
  id: string,
  settings: BenchmarkProcessSettings,
): Promise<BenchmarkProcessResult> {
  const execArgv = [
    '--expose-gc',
    '--import',
    'tsx',
    // The workspace packages' `@colchis/source` export condition points at their TypeScript sources.
    ...(settings.dist ? [] : ['--conditions=@colchis/source']),
    ...(settings.profileDirectory ? ['--cpu-prof', `--cpu-prof-dir=${settings.profileDirectory}`] : []),
  ];
  const child = fork(workerEntry, [id, settings.quick ? 'quick' : 'full'], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let outcome: WorkerMessage | undefined;
    child.on('message', (message: WorkerMessage) => {
      outcome = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (outcome?.type === 'result') {
        resolve({ title: outcome.title, method: outcome.method, measurements: outcome.measurements });
      } else if (outcome?.type === 'error') {
        reject(new Error(`benchmark "${id}" failed:\n${outcome.message}`));
      } else {
        reject(new Error(`benchmark "${id}" exited (code ${code}, signal ${signal}) without a result`));
      }
    });
  });
}
