import {
  ConfigurationError,
  createTokenCache,
  type FetchedToken,
  type HttpClient,
  normalizeExpiry,
  ResponseValidationError,
  sharedTokenCache,
  type TokenCache,
} from '@colchis/core';
import { bogTokenResponseSchema } from './bog-api.js';

/** Tokens are refreshed this long before they expire, so none dies mid-request. */
const REFRESH_MARGIN_MS = 60_000;
/** Lifetime assumed when neither `expires_in` nor the JWT says anything usable. */
const DEFAULT_LIFETIME_MS = 300_000;
/** No token is trusted for longer than this, whatever the answer claims. */
const MAX_LIFETIME_MS = 3_600_000;

/** What {@link bogTokenCache} needs. */
export interface BogTokenCacheSettings {
  http: HttpClient;
  tokenUrl: string;
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** Objects whose identity must separate caches (a custom transport, dispatcher or fetch). */
  transportIdentity: readonly unknown[];
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;
function identityOf(value: unknown): string {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return '-';
  let identity = identities.get(value);
  if (identity === undefined) {
    identity = nextIdentity++;
    identities.set(value, identity);
  }
  return String(identity);
}

// A short, non-reversible fingerprint of the secret for the cache key, so two clients with the
// same id but different secrets never share a token, and the secret itself is never a map key.
function fingerprint(text: string): string {
  let first = 0xdeadbeef;
  let second = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 2654435761);
    second = Math.imul(second ^ code, 1597334677);
  }
  first = Math.imul(first ^ (first >>> 16), 2246822507) ^ Math.imul(second ^ (second >>> 13), 3266489909);
  second = Math.imul(second ^ (second >>> 16), 2246822507) ^ Math.imul(first ^ (first >>> 13), 3266489909);
  return (4294967296 * (2097151 & second) + (first >>> 0)).toString(36);
}

/** `Basic base64(client_id:client_secret)`, UTF-8 safe and without `Buffer` (edge runtimes). */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const bytes = new TextEncoder().encode(`${clientId}:${clientSecret}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** The `exp` claim of a JWT access token in epoch ms, when it has one. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When a token expires, in epoch ms, from the token answer: `expires_in` read as seconds, epoch
 * seconds or epoch milliseconds (the docs call it seconds and show `1634719923245`), the JWT's
 * `exp` when present, the earliest of them, capped at an hour. A value already in the past (the
 * docs' example, or a skewed clock) is ignored rather than forcing a token fetch on every call.
 */
export function bogTokenExpiry(expiresIn: unknown, accessToken: string, now: number): number {
  const candidates: number[] = [];
  const fromAnswer =
    typeof expiresIn === 'number' || typeof expiresIn === 'string'
      ? normalizeExpiry(expiresIn, now)
      : undefined;
  if (fromAnswer !== undefined && fromAnswer > now + 5_000) candidates.push(fromAnswer);
  const fromJwt = jwtExpiry(accessToken);
  if (fromJwt !== undefined && fromJwt > now + 5_000) candidates.push(fromJwt);
  const expiry = candidates.length > 0 ? Math.min(...candidates) : now + DEFAULT_LIFETIME_MS;
  return Math.min(expiry, now + MAX_LIFETIME_MS);
}

/**
 * The token cache of a Bank of Georgia client: client credentials with HTTP Basic auth, one
 * in-flight fetch shared by concurrent callers, refreshed a minute early, forced fresh after a 401.
 * Clients with the same token URL, credentials and transport share one cache, so creating a client
 * per request (serverless) does not fetch a token per request; the token is then fetched with the
 * HTTP settings (timeout, hooks) of the first of those clients.
 */
export function bogTokenCache(settings: BogTokenCacheSettings): TokenCache {
  const { http, tokenUrl, clientId, clientSecret } = settings;
  const key = [
    'bog',
    tokenUrl,
    clientId ?? '',
    fingerprint(clientSecret ?? ''),
    ...settings.transportIdentity.map(identityOf),
  ].join('|');
  return sharedTokenCache(key, () =>
    createTokenCache({
      refreshMarginMs: REFRESH_MARGIN_MS,
      defaultLifetimeMs: DEFAULT_LIFETIME_MS,
      async fetchToken(signal): Promise<FetchedToken> {
        if (clientId === undefined) {
          throw new ConfigurationError(
            'Bank of Georgia client id is missing. Pass it as the `clientId` option or set the BOG_CLIENT_ID environment variable.',
            { provider: 'bog' },
          );
        }
        if (clientSecret === undefined) {
          throw new ConfigurationError(
            'Bank of Georgia client secret is missing. Pass it as the `clientSecret` option or set the BOG_CLIENT_SECRET environment variable.',
            { provider: 'bog' },
          );
        }
        const result = await http.request({
          operation: 'getAccessToken',
          method: 'POST',
          path: tokenUrl,
          form: { grant_type: 'client_credentials' },
          headers: { authorization: basicAuthorization(clientId, clientSecret) },
          // Asking for a token changes nothing at the bank: always safe to repeat.
          idempotent: true,
          options: { signal },
        });
        const parsed = bogTokenResponseSchema.safeParse(result.data);
        if (!parsed.success || parsed.data.access_token === '') {
          throw new ResponseValidationError(
            'Bank of Georgia answered the token request without an access_token: check the token URL.',
            { provider: 'bog', statusCode: result.status, requestId: result.requestId },
          );
        }
        const accessToken = parsed.data.access_token;
        return { accessToken, expiresIn: bogTokenExpiry(parsed.data.expires_in, accessToken, Date.now()) };
      },
    }),
  );
}
