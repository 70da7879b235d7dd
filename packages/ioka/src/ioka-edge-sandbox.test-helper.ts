// globalSetup of the `ioka-edge` project. It runs on Node, outside the edge-runtime environment:
// the sandbox is Node code, and the edge tests reach it over real sockets with the settings
// provided here. Webhooks are held in the sandbox's queue; the tests read them from
// `/_control/webhooks` and hand them to their own (edge) handler.
import { startSandbox } from '@colchis/sandbox';
import type { TestProject } from 'vitest/node';

/** What the ioka edge tests need to reach the sandbox. */
export interface IokaEdgeSandbox {
  /** Sandbox root (control API at `/_control`). */
  url: string;
  settings: { baseUrl: string; apiKey: string; environment: 'stage' };
  /** The 3-D Secure password of the hosted page. */
  acsPassword: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    iokaEdgeSandbox: IokaEdgeSandbox;
  }
}

/** Starts the sandbox for the project and provides its settings. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const sandbox = await startSandbox();
  sandbox.webhooks.setPolicy({ action: 'hold' });
  project.provide('iokaEdgeSandbox', {
    url: sandbox.url,
    settings: { ...sandbox.ioka.settings },
    acsPassword: sandbox.ioka.acsPassword,
  });
  return () => sandbox.close();
}
