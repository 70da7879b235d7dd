import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerCommand, ServerReply } from '../servers/local-api-server.js';
import { pinToCpu } from './cpu-affinity.js';
import { typescriptLoaderArguments } from './typescript-loader.js';

/** A local API server running in its own process. */
export interface ChildServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Requests served per route family since start or the last {@link ChildServer.resetCounts}. */
  counts(): Promise<Record<string, number>>;
  resetCounts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Environment variable naming the CPU the server process is pinned to, when set. */
export const SERVER_CPU_VARIABLE = 'COLCHIS_BENCH_SERVER_CPU';

const serverEntry = fileURLToPath(new URL('../servers/local-api-server.ts', import.meta.url));

/**
 * Forks `../servers/local-api-server.ts` and resolves once it listens on 127.0.0.1. The child
 * gets only the TypeScript loader: no `--cpu-prof` or other flags meant for the client.
 */
export async function startChildServer(): Promise<ChildServer> {
  const child = fork(serverEntry, [], {
    execArgv: [...typescriptLoaderArguments],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const onMessage = (message: ServerReply) => {
      if (message.type === 'ready') {
        child.off('exit', onExit);
        resolve(message.port);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`the bench server exited early (code ${code})`));
    child.once('message', onMessage);
    child.once('exit', onExit);
  });

  // The benchmark runner pins the client to one CPU and asks for the server on another.
  const serverCpu = process.env[SERVER_CPU_VARIABLE];
  if (serverCpu !== undefined && child.pid !== undefined) pinToCpu(child.pid, Number(serverCpu));
  let nextId = 1;
  const pending = new Map<number, (counts: Record<string, number>) => void>();
  child.on('message', (message: ServerReply) => {
    if (message.type === 'reply') {
      pending.get(message.id)?.(message.counts);
      pending.delete(message.id);
    }
  });
  const ask = (command: ServerCommand['command']) =>
    new Promise<Record<string, number>>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.send({ id, command } satisfies ServerCommand);
    });

  return {
    origin: `http://127.0.0.1:${port}`,
    counts: () => ask('counts'),
    resetCounts: () => ask('reset'),
    close: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.disconnect();
  });
}
