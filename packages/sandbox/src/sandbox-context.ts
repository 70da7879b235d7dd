import type { SandboxClock } from './clock.js';
import type { FaultRegistry } from './faults.js';
import type { Router } from './router.js';
import type { WebhookQueue } from './webhook-queue.js';

/** What every emulated gateway receives when the sandbox starts. */
export interface SandboxContext {
  /** Routes of the main HTTP server. Each gateway mounts under its own prefix (`/bog`, `/ioka`, ...). */
  router: Router;
  clock: SandboxClock;
  webhooks: WebhookQueue;
  faults: FaultRegistry;
  /** Base URL of the main HTTP server, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** Host the sandbox listens on (for gateways that start servers of their own). */
  host: string;
}

/** One emulated gateway. */
export interface GatewayEmulator<Info> {
  readonly name: string;
  /** Registers routes (and may start servers of its own); returns what tests need to know. */
  mount(context: SandboxContext): Info | Promise<Info>;
  /** Forgets all state (orders, cards, tokens). */
  reset(): void;
  /** Stops servers it started. */
  close?(): Promise<void>;
  /** Lines for the CLI's listing (URLs, keys, test cards). */
  describe(info: Info): string[];
}
