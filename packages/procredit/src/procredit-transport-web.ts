// The edge-runtime build of procredit-transport.ts. Client certificates need Node's TLS, which
// Workers, Vercel Edge and Deno Deploy do not offer; construction already fails there with a
// ConfigurationError (procredit-runtime.ts). This twin only keeps bundlers from following the
// Node transport's `import('undici')`, so a Worker that imports the package still builds.
import { ConfigurationError } from '@colchis/core';
import type { ProCreditTransport, ProCreditTransportSettings } from './procredit-transport.ts';

export type {
  ProCreditTransport,
  ProCreditTransportSettings,
  VerifiedConnection,
} from './procredit-transport.ts';

/** Unavailable on this runtime: ProCredit's mutual TLS needs Node. */
export function procreditTransport(
  _settings: ProCreditTransportSettings,
  _modules: unknown,
): ProCreditTransport {
  throw new ConfigurationError(
    "@colchis/procredit needs Node.js: ProCredit authenticates with a client certificate over mutual TLS, which this runtime's fetch cannot present. Run the ProCredit calls on Node (>= 20.18.1).",
    { provider: 'procredit' },
  );
}

/** Returns the error untouched (no TLS diagnostics without Node's TLS). */
export function translateTlsError(error: unknown, _context: unknown): unknown {
  return error;
}
