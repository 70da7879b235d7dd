import type { GatewayEmulator } from '../sandbox-context.js';

/** What tests need to know about the emulated ioka v2. */
export interface IokaSandbox {
  /** Base URL of the emulated API. */
  url: string;
}

/** The ioka v2 emulator (placeholder until the gateway lands). */
export function iokaEmulator(): GatewayEmulator<IokaSandbox> {
  return {
    name: 'ioka',
    mount(context) {
      return { url: `${context.url}/ioka` };
    },
    reset() {},
    describe(info) {
      return [`ioka v2: ${info.url}`];
    },
  };
}
