import { ResponseValidationError } from './errors.js';

/** A token as fetched from an OAuth2 token endpoint. */
export interface FetchedToken {
  accessToken: string;
  /**
   * The `expires_in` the gateway sent, read defensively: seconds from now (`3600`), an epoch in
   * seconds (`1767225600`) or an epoch in milliseconds (`1767225600000`, as BOG's docs show).
   */
  expiresIn: number | string | undefined | null;
  tokenType?: string | undefined;
}

/** Settings of {@link createTokenCache}. */
export interface TokenCacheSettings {
  /**
   * Fetches a new token. Called at most once at a time, however many callers wait. Its signal
   * aborts only when every waiting caller has aborted (one impatient caller does not fail the rest).
   */
  fetchToken: (signal?: AbortSignal) => Promise<FetchedToken>;
  /** Refresh this many ms before expiry (default 60 000, capped at half the token's lifetime). */
  refreshMarginMs?: number | undefined;
  /** Lifetime assumed when the gateway sends no usable `expires_in` (default 300 000). */
  defaultLifetimeMs?: number | undefined;
  /**
   * Never keep a token longer than this (ms), whatever `expires_in` claims: guards against an
   * `expires_in` misread by orders of magnitude. Default: no cap.
   */
  maxLifetimeMs?: number | undefined;
  /** Clock, for tests. */
  now?: (() => number) | undefined;
}

/** A cache holding one OAuth2 client-credentials token. */
export interface TokenCache {
  /** A valid token, fetching one when needed; concurrent callers share one in-flight fetch. */
  getToken(options?: {
    forceRefresh?: boolean;
    /**
     * The token the gateway just refused. With `forceRefresh`, a refresh happens only while this
     * is still the cached token: when many requests get a 401 at once, the first one refreshes
     * and the rest reuse its new token instead of each fetching another.
     */
    rejectedToken?: string | undefined;
    signal?: AbortSignal | undefined;
  }): Promise<string>;
  /** Drops the cached token (e.g. after a 401), unless it was already replaced. */
  invalidate(token?: string): void;
  /** Number of token fetches so far (for metrics and tests). */
  readonly fetchCount: number;
}

/**
 * Converts an `expires_in` value to an absolute expiry in epoch ms, accepting seconds from now,
 * epoch seconds and epoch milliseconds. Values that cannot be read yield `undefined`.
 */
export function normalizeExpiry(
  expiresIn: number | string | undefined | null,
  now: number,
): number | undefined {
  if (expiresIn === undefined || expiresIn === null || expiresIn === '') return undefined;
  const value = typeof expiresIn === 'number' ? expiresIn : Number(expiresIn);
  if (!Number.isFinite(value) || value <= 0) return undefined;
  if (value >= 1e12) return value; // epoch milliseconds
  if (value >= 1e9) return value * 1000; // epoch seconds
  return now + value * 1000; // seconds from now
}

/**
 * Creates a token cache: one in-flight refresh shared by concurrent callers, refreshed early
 * (before expiry, so a token never dies mid-request), and invalidated on demand after a 401.
 */
export function createTokenCache(settings: TokenCacheSettings): TokenCache {
  const now = settings.now ?? Date.now;
  let token: string | undefined;
  let refreshAt = 0;
  let expiresAt = 0;
  let inflight: { promise: Promise<string>; controller: AbortController; waiters: number } | undefined;
  let fetchCount = 0;

  async function refresh(signal: AbortSignal): Promise<string> {
    fetchCount++;
    const fetched = await settings.fetchToken(signal);
    if (typeof fetched?.accessToken !== 'string' || fetched.accessToken === '') {
      throw new ResponseValidationError('The token endpoint answered without an access_token.');
    }
    const issuedAt = now();
    const expiry = normalizeExpiry(fetched.expiresIn, issuedAt);
    const lifetime = Math.min(
      Math.max(0, (expiry ?? issuedAt + (settings.defaultLifetimeMs ?? 300_000)) - issuedAt),
      settings.maxLifetimeMs ?? Number.POSITIVE_INFINITY,
    );
    const margin = Math.min(settings.refreshMarginMs ?? 60_000, lifetime / 2);
    token = fetched.accessToken;
    expiresAt = issuedAt + lifetime;
    refreshAt = expiresAt - margin;
    return token;
  }

  // The fetch is shared, so no single caller's signal may cancel it: each caller stops waiting
  // on its own abort, and the fetch is aborted only once every waiting caller has given up.
  function join(signal: AbortSignal | undefined): Promise<string> {
    if (!inflight) {
      const controller = new AbortController();
      const promise = refresh(controller.signal).finally(() => {
        if (inflight?.promise === promise) inflight = undefined;
      });
      // Callers that gave up leave nobody to observe a failure: keep it from being unhandled.
      promise.catch(() => {});
      inflight = { promise, controller, waiters: 0 };
    }
    const current = inflight;
    current.waiters++; // a caller without a signal never leaves, so the fetch is never aborted
    if (!signal) return current.promise;
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => {
        current.waiters--;
        if (current.waiters === 0) current.controller.abort(signal.reason);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      current.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  return {
    getToken(options = {}) {
      if (options.signal?.aborted) return Promise.reject(options.signal.reason);
      if (options.forceRefresh && options.rejectedToken !== undefined && options.rejectedToken !== token) {
        // Someone already replaced the refused token: use (or wait for) the replacement.
        if (inflight) return join(options.signal);
        if (token !== undefined && now() < expiresAt) return Promise.resolve(token);
      }
      if (!options.forceRefresh && token !== undefined && now() < refreshAt) return Promise.resolve(token);
      const pending = join(options.signal);
      // An early refresh that fails should not fail callers while the old token is still valid.
      if (!options.forceRefresh && token !== undefined && now() < expiresAt) {
        const current = token;
        return pending.catch((error: unknown) => {
          if (options.signal?.aborted) throw error;
          return current;
        });
      }
      return pending;
    },
    invalidate(stale) {
      if (stale === undefined || stale === token) {
        token = undefined;
        refreshAt = 0;
        expiresAt = 0;
      }
    },
    get fetchCount() {
      return fetchCount;
    },
  };
}

const registry = new Map<string, TokenCache>();

/**
 * Returns the cache registered under `key` (e.g. token URL + client id + a hash of the secret),
 * creating it on first use, so several clients with the same credentials share one token.
 */
export function sharedTokenCache(key: string, create: () => TokenCache): TokenCache {
  let cache = registry.get(key);
  if (!cache) {
    cache = create();
    registry.set(key, cache);
  }
  return cache;
}
