import type { Dispatcher } from 'undici';
import { type FetchFunction, fetchTransport } from './fetch-transport.js';
import type { Hooks } from './hooks.js';
import type { HttpClientSettings } from './http-client.js';
import type { RetrySettings } from './retry.js';
import type { Transport } from './transport.js';

/**
 * Settings every Colchis gateway client and provider accepts, whatever the gateway: how to send
 * (transport, dispatcher or fetch), how long to wait, how often to retry, and hooks.
 */
export interface ClientSettings {
  /** A complete transport. Wins over `dispatcher` and `fetch`. */
  transport?: Transport | undefined;
  /** undici dispatcher for the default transport: `ProxyAgent`, `MockAgent`, a tuned `Agent`. */
  dispatcher?: Dispatcher | undefined;
  /** Send through this `fetch` instead of undici (edge runtimes, nock, msw). */
  fetch?: FetchFunction | undefined;
  /** Per-attempt timeout in ms, covering the response body. Default 30 000. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt, for calls that are safe to retry. Default 2. */
  maxRetries?: number | undefined;
  /** Backoff tuning. */
  retry?: RetrySettings | undefined;
  /** Logging and metrics hooks; they only ever see redacted data. */
  hooks?: Hooks | undefined;
  /** Extra headers on every request. */
  headers?: Record<string, string> | undefined;
  /** Appended to the User-Agent, e.g. `my-shop/1.4.0`. */
  userAgentSuffix?: string | undefined;
}

/** Maps {@link ClientSettings} onto the HTTP client's settings (the shared part). */
export function toHttpClientSettings(
  settings: ClientSettings,
): Pick<
  HttpClientSettings,
  'transport' | 'dispatcher' | 'timeoutMs' | 'retry' | 'hooks' | 'headers' | 'userAgentSuffix'
> {
  return {
    transport: settings.transport ?? (settings.fetch ? fetchTransport(settings.fetch) : undefined),
    dispatcher: settings.dispatcher,
    timeoutMs: settings.timeoutMs,
    retry: {
      ...settings.retry,
      ...(settings.maxRetries !== undefined ? { maxRetries: settings.maxRetries } : {}),
    },
    hooks: settings.hooks,
    headers: settings.headers,
    userAgentSuffix: settings.userAgentSuffix,
  };
}
