// globalSetup of the `bog-edge` project. It runs on Node, outside the edge-runtime environment:
// the sandbox is Node code, and the edge tests reach it over real sockets with the settings
// provided here. Callbacks are held in the sandbox's queue; the tests read them from
// `/_control/webhooks` and hand them to their own (edge) handler.
import { startSandbox } from '@colchis/sandbox';
import type { TestProject } from 'vitest/node';

/** What the BOG edge tests need to reach the sandbox. */
export interface BogEdgeSandbox {
  /** Sandbox root (control API at `/_control`). */
  url: string;
  /** Ready `createBog` settings (URLs, credentials, the sandbox's callback public key). */
  settings: {
    environment: 'sandbox';
    clientId: string;
    clientSecret: string;
    tokenUrl: string;
    apiUrl: string;
    paymentPageUrl: string;
    callbackPublicKey: string;
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    bogEdgeSandbox: BogEdgeSandbox;
  }
}

/** Starts the sandbox for the project and provides its settings. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const sandbox = await startSandbox();
  sandbox.webhooks.setPolicy({ action: 'hold' });
  project.provide('bogEdgeSandbox', { url: sandbox.url, settings: { ...sandbox.bog.settings } });
  return () => sandbox.close();
}
