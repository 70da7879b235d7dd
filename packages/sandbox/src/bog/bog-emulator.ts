import type { GatewayEmulator } from '../sandbox-context.js';

/** What tests need to know about the emulated Bank of Georgia Payments API v1. */
export interface BogSandbox {
  /** Base URL of the emulated API. */
  url: string;
}

/** The Bank of Georgia Payments API v1 emulator (placeholder until the gateway lands). */
export function bogEmulator(): GatewayEmulator<BogSandbox> {
  return {
    name: 'bog',
    mount(context) {
      return { url: `${context.url}/bog` };
    },
    reset() {},
    describe(info) {
      return [`Bank of Georgia Payments API v1: ${info.url}`];
    },
  };
}
