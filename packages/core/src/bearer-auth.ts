import type { AuthProvider } from './http-client.js';
import type { TokenCache } from './token-cache.js';

/**
 * An {@link AuthProvider} sending `Authorization: Bearer <token>` from an OAuth token cache.
 * After a 401 it refreshes once, and only if the refused token is still the cached one, so a
 * burst of concurrent 401s costs a single token request.
 */
export function bearerAuth(cache: TokenCache): AuthProvider {
  return async (forceRefresh, signal, rejectedHeaders) => {
    const rejectedToken = rejectedHeaders?.authorization?.replace(/^Bearer\s+/i, '');
    const token = await cache.getToken({ forceRefresh, signal, rejectedToken });
    return { authorization: `Bearer ${token}` };
  };
}
