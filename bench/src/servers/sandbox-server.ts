/**
 * `@colchis/sandbox` as a child process of a benchmark (see `../harness/child-sandbox.ts`): the
 * gateways' emulated APIs then run on the other core, and their CPU time is never charged to the
 * client being measured. Sends the settings a client needs (plain data, certificates included)
 * to its parent over IPC once listening, and stops when the parent goes away.
 */
import { startSandbox } from '@colchis/sandbox';

/** What the sandbox process reports once it listens: everything clients need, as plain data. */
export interface SandboxServerInfo {
  url: string;
  bog: {
    environment: 'sandbox';
    clientId: string;
    clientSecret: string;
    tokenUrl: string;
    apiUrl: string;
    paymentPageUrl: string;
    callbackPublicKey: string;
  };
  ipay: { baseUrl: string; clientId: string; secretKey: string };
  ioka: { baseUrl: string; apiKey: string; environment: 'stage' };
  procredit: {
    baseUrl: string;
    merchantId: string;
    typeRids: { purchase: string; preauthorization: string; recurring: string };
    tls: { certificate: string; privateKey: string; ca: string };
  };
  stripe: {
    url: string;
    host: string;
    port: number;
    protocol: 'http';
    apiKey: string;
    webhookSecret: string;
  };
}

/** A message to the benchmark process. */
export type SandboxServerMessage = { type: 'ready'; info: SandboxServerInfo };

const sandbox = await startSandbox();
const info: SandboxServerInfo = {
  url: sandbox.url,
  bog: { ...sandbox.bog.settings },
  ipay: { ...sandbox.ipay.settings },
  ioka: { ...sandbox.ioka.settings },
  procredit: {
    baseUrl: sandbox.procredit.settings.baseUrl,
    merchantId: sandbox.procredit.settings.merchantId,
    typeRids: { ...sandbox.procredit.settings.typeRids },
    tls: { ...sandbox.procredit.settings.tls },
  },
  stripe: {
    url: sandbox.stripe.url,
    host: sandbox.stripe.host,
    port: sandbox.stripe.port,
    protocol: sandbox.stripe.protocol,
    apiKey: sandbox.stripe.apiKey,
    webhookSecret: sandbox.stripe.webhookSecret,
  },
};
process.send?.({ type: 'ready', info } satisfies SandboxServerMessage);

// The parent going away (normally or not) ends the sandbox: no orphaned processes.
process.on('disconnect', () => {
  sandbox.close().finally(() => process.exit(0));
});
