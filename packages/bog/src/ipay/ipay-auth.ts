import {
  type AuthProvider,
  bearerAuth,
  createTokenCache,
  type HttpClient,
  sharedTokenCache,
  type TokenCache,
} from '@colchis/core';
import { ipayTokenResponseSchema, parseIpayResponse } from './ipay-api.js';
import type { ResolvedIpaySettings } from './ipay-settings.js';

/** What the iPay client needs from its token source. */
export interface IpayTokenSource {
  /** The token cache (shared by clients with the same credentials unless one was given). */
  readonly cache: TokenCache;
  /** Authorization headers for a request; `forceRefresh` after a 401. */
  readonly auth: AuthProvider;
}

/**
 * Builds iPay's OAuth2 client-credentials token source on core's token cache: `POST
 * {baseUrl}/oauth2/token` with HTTP Basic `client_id:secret_key` and `grant_type=client_credentials`.
 * iPay's examples send `expires_in` as an epoch in milliseconds; core reads seconds, epoch seconds
 * and epoch milliseconds alike. Concurrent callers share one in-flight fetch.
 */
export function createIpayTokenSource(
  settings: ResolvedIpaySettings,
  http: HttpClient,
  cache?: TokenCache,
): IpayTokenSource {
  const basic = `Basic ${base64(`${settings.clientId}:${settings.secretKey}`)}`;
  const tokenCache =
    cache ??
    sharedTokenCache(
      `ipay ${settings.tokenUrl} ${settings.clientId} ${fingerprint(settings.secretKey)}`,
      () =>
        createTokenCache({
          async fetchToken(signal) {
            const result = await http.request({
              operation: 'requestToken',
              method: 'POST',
              path: settings.tokenUrl,
              form: { grant_type: 'client_credentials' },
              headers: { authorization: basic },
              // Asking for a token changes nothing: safe to repeat after any failure.
              idempotent: true,
              options: { signal },
            });
            const token = parseIpayResponse(ipayTokenResponseSchema, result.data, 'requestToken');
            return {
              accessToken: token.access_token,
              expiresIn: token.expires_in,
              tokenType: token.token_type ?? undefined,
            };
          },
        }),
    );
  return { cache: tokenCache, auth: bearerAuth(tokenCache) };
}

/** Base64 of UTF-8 text, without Node's Buffer (edge runtimes have only `btoa`). */
function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

// Tells credential sets apart in the shared cache's key without keeping the secret in it.
function fingerprint(secret: string): string {
  let first = 0x811c9dc5;
  let second = 0x01000193;
  for (let index = 0; index < secret.length; index++) {
    const code = secret.charCodeAt(index);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x5bd1e995);
  }
  return `${(first >>> 0).toString(16)}${(second >>> 0).toString(16)}`;
}
