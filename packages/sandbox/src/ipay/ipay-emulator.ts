import type { GatewayEmulator } from '../sandbox-context.js';

/** What tests need to know about the emulated Bank of Georgia iPay. */
export interface IpaySandbox {
  /** Base URL of the emulated API. */
  url: string;
}

/** The Bank of Georgia iPay emulator (placeholder until the gateway lands). */
export function ipayEmulator(): GatewayEmulator<IpaySandbox> {
  return {
    name: 'ipay',
    mount(context) {
      return { url: `${context.url}/ipay` };
    },
    reset() {},
    describe(info) {
      return [`Bank of Georgia iPay: ${info.url}`];
    },
  };
}
