import { describe, expect, it } from 'vitest';
import { bearerAuth } from './bearer-auth.js';
import { createTokenCache } from './token-cache.js';

describe('bearerAuth', () => {
  it('sends the cached token and refreshes once for concurrent 401s on the same token', async () => {
    let issued = 0;
    const cache = createTokenCache({
      fetchToken: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return { accessToken: `t${++issued}`, expiresIn: 3600 };
      },
    });
    const auth = bearerAuth(cache);
    const first = await auth(false);
    expect(first).toEqual({ authorization: 'Bearer t1' });
    const refreshed = await Promise.all(Array.from({ length: 20 }, () => auth(true, undefined, first)));
    expect(new Set(refreshed.map((headers) => headers.authorization))).toEqual(new Set(['Bearer t2']));
    expect(cache.fetchCount).toBe(2);
  });
});
