import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SandboxServerInfo, SandboxServerMessage } from '../servers/sandbox-server.js';
import { SERVER_CPU_VARIABLE } from './child-server.js';
import { pinToCpu } from './cpu-affinity.js';
import { typescriptLoaderArguments } from './typescript-loader.js';

/** `@colchis/sandbox` running in its own process. */
export interface ChildSandbox extends SandboxServerInfo {
  close(): Promise<void>;
}

const sandboxEntry = fileURLToPath(new URL('../servers/sandbox-server.ts', import.meta.url));

/**
 * Forks `../servers/sandbox-server.ts` (the sandbox from its TypeScript sources, as the
 * benchmarks load the packages) and resolves with its settings once it listens. Pinned to the
 * server CPU like the local API server.
 */
export async function startChildSandbox(): Promise<ChildSandbox> {
  const child = fork(sandboxEntry, [], {
    execArgv: [...typescriptLoaderArguments, '--conditions=@colchis/source'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const info = await new Promise<SandboxServerInfo>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`the sandbox process exited early (code ${code})`));
    child.once('message', (message: SandboxServerMessage) => {
      child.off('exit', onExit);
      resolve(message.info);
    });
    child.once('exit', onExit);
  });
  const serverCpu = process.env[SERVER_CPU_VARIABLE];
  if (serverCpu !== undefined && child.pid !== undefined) pinToCpu(child.pid, Number(serverCpu));
  return {
    ...info,
    close: () =>
      child.exitCode !== null
        ? Promise.resolve()
        : new Promise((resolve) => {
            child.once('exit', () => resolve());
            child.disconnect();
          }),
  };
}
