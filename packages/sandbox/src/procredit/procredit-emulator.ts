import type { GatewayEmulator } from '../sandbox-context.js';

/** What tests need to know about the emulated ProCredit gateway. */
export interface ProCreditSandbox {
  /** Base URL of the mutual-TLS API. */
  url: string;
}

/** The ProCredit (TXPG) emulator (placeholder until the gateway lands). */
export function procreditEmulator(_options: { port: number }): GatewayEmulator<ProCreditSandbox> {
  return {
    name: 'procredit',
    mount(context) {
      return { url: `${context.url}/procredit` };
    },
    reset() {},
    describe(info) {
      return [`ProCredit (TXPG): ${info.url}`];
    },
  };
}
