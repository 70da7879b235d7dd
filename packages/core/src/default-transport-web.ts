// The edge-runtime build of default-transport.ts: no undici there, `fetch` is the transport.
import type { Dispatcher } from 'undici';
import { ConfigurationError } from './errors.js';
import { fetchTransport } from './fetch-transport.js';
import type { Transport } from './transport.js';

let shared: Transport | undefined;

/** The transport a client uses when none is given: `fetch` on edge runtimes. */
export function defaultTransport(settings: { dispatcher?: Dispatcher | undefined } = {}): Transport {
  if (settings.dispatcher) {
    throw new ConfigurationError(
      'An undici dispatcher was given, but this runtime has no undici: pass `fetch` or a `transport` instead.',
    );
  }
  shared ??= fetchTransport();
  return shared;
}
