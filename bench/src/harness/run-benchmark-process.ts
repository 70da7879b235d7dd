import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './benchmark.js';
import type { WorkerMessage } from './benchmark-worker.js';
import { SERVER_CPU_VARIABLE } from './child-server.js';
import { pinToCpu } from './cpu-affinity.js';
import { CORE_OVERRIDE_VARIABLE } from './load-core.js';
import { typescriptLoaderArguments } from './typescript-loader.js';

/** How a benchmark process is started. */
export interface BenchmarkProcessSettings {
  quick: boolean;
  /** Resolve `@colchis/*` to built `dist/` instead of `src/` (needs `pnpm build` first). */
  dist: boolean;
  /**
   * Pin the benchmark process to CPU 0 and its server to CPU 1 (Linux with `taskset`, 2+ CPUs):
   * steadier figures than letting the scheduler move both around.
   */
  pin: boolean;
  /** Absolute path of another copy of core's `src/index.ts` to measure. */
  core?: string | undefined;
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
    ...typescriptLoaderArguments,
    // The workspace packages' `@colchis/source` export condition points at their TypeScript sources.
    ...(settings.dist ? [] : ['--conditions=@colchis/source']),
    ...(settings.profileDirectory ? ['--cpu-prof', `--cpu-prof-dir=${settings.profileDirectory}`] : []),
  ];
  const child = fork(workerEntry, [id, settings.quick ? 'quick' : 'full'], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      ...(settings.pin ? { [SERVER_CPU_VARIABLE]: '1' } : {}),
      ...(settings.core ? { [CORE_OVERRIDE_VARIABLE]: settings.core } : {}),
    },
  });
  if (settings.pin && child.pid !== undefined) pinToCpu(child.pid, 0);
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
