import type { GatewayEmulator } from '../sandbox-context.js';

/** What tests need to know about the emulated Stripe. */
export interface StripeSandbox {
  /** Base URL of the emulated API. */
  url: string;
}

/** The Stripe emulator (placeholder until the gateway lands). */
export function stripeEmulator(): GatewayEmulator<StripeSandbox> {
  return {
    name: 'stripe',
    mount(context) {
      return { url: `${context.url}/stripe` };
    },
    reset() {},
    describe(info) {
      return [`Stripe: ${info.url}`];
    },
  };
}
