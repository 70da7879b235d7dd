// globalSetup of the `stripe-adapter-edge` project. It runs on Node, outside the edge-runtime
// environment: the sandbox is Node code, and the edge tests reach it over real sockets with the
// settings provided here. Events are held in the sandbox's queue; the tests read them from
// `/_control/webhooks` and hand them to their own (edge) handler.
import { startSandbox } from '@colchis/sandbox';
import type { TestProject } from 'vitest/node';

/** What the Stripe edge tests need to reach the sandbox. */
export interface StripeEdgeSandbox {
  /** Sandbox root (control API at `/_control`). */
  url: string;
  /** For the stripe client: `{ host, port, protocol }`. */
  host: string;
  port: number;
  protocol: 'http';
  apiKey: string;
  webhookSecret: string;
  /** Where the sandbox addresses its (held) events. */
  webhookUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stripeEdgeSandbox: StripeEdgeSandbox;
  }
}

/** Starts the sandbox for the project and provides its settings. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const sandbox = await startSandbox();
  const webhookUrl = 'https://shop.example/webhooks/stripe';
  sandbox.webhooks.setPolicy({ action: 'hold' });
  sandbox.stripe.setWebhookUrl(webhookUrl);
  const { host, port, protocol, apiKey, webhookSecret } = sandbox.stripe;
  project.provide('stripeEdgeSandbox', {
    url: sandbox.url,
    host,
    port,
    protocol,
    apiKey,
    webhookSecret,
    webhookUrl,
  });
  return () => sandbox.close();
}
