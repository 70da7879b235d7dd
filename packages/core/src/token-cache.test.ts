import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseValidationError } from './errors.js';
import { createHttpClient } from './http-client.js';
import {
  createTokenCache,
  type FetchedToken,
  normalizeExpiry,
  sharedTokenCache,
  type TokenCache,
} from './token-cache.js';

// A real OAuth2 token endpoint on a local socket, counting the requests it serves.
let server: Server;
let baseUrl: string;
let tokenRequests = 0;
beforeAll(async () => {
  server = createServer((request, response) => {
    tokenRequests++;
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      // A little latency so that concurrent callers really overlap the fetch.
      setTimeout(() => {
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            access_token: `token-${tokenRequests}`,
            expires_in: 3600,
            grant: new URLSearchParams(body).get('grant_type'),
          }),
        );
      }, 20);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** A token fetch the test settles by hand. */
function manualFetcher() {
  const calls: Array<{
    resolve: (token: FetchedToken) => void;
    reject: (error: unknown) => void;
    signal: AbortSignal | undefined;
  }> = [];
  const fetchToken = (signal?: AbortSignal) =>
    new Promise<FetchedToken>((resolve, reject) => {
      calls.push({ resolve, reject, signal });
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  return { calls, fetchToken };
}

function clock(start = Date.parse('2026-03-01T12:00:00Z')) {
  const state = { now: start };
  return { state, now: () => state.now, advance: (ms: number) => (state.now += ms) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createTokenCache', () => {
  it('serves 1000 concurrent first callers with exactly one token request', async () => {
    const http = createHttpClient({ provider: 'bog', baseUrl });
    const cache = createTokenCache({
      fetchToken: async (signal) => {
        const result = await http.request<{ access_token: string; expires_in: number }>({
          operation: 'token',
          method: 'POST',
          path: '/oauth2/token',
          form: { grant_type: 'client_credentials' },
          idempotent: true,
          options: { signal },
        });
        return { accessToken: result.data.access_token, expiresIn: result.data.expires_in };
      },
    });
    const before = tokenRequests;
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => cache.getToken()));
    expect(tokenRequests - before).toBe(1);
    expect(cache.fetchCount).toBe(1);
    expect(new Set(tokens)).toEqual(new Set([`token-${before + 1}`]));
    // Cached afterwards.
    expect(await cache.getToken()).toBe(tokens[0]);
    expect(tokenRequests - before).toBe(1);
  });

  it('caps the lifetime at maxLifetimeMs whatever expires_in says', async () => {
    const time = clock();
    let issued = 0;
    const cache = createTokenCache({
      now: time.now,
      maxLifetimeMs: 3_600_000,
      refreshMarginMs: 0,
      fetchToken: async () => ({ accessToken: `t${++issued}`, expiresIn: 9_999_999_999_999 }),
    });
    expect(await cache.getToken()).toBe('t1');
    time.advance(3_599_000);
    expect(await cache.getToken()).toBe('t1');
    time.advance(2_000);
    expect(await cache.getToken()).toBe('t2');
  });

  it('refreshes once for a storm of 401s that all name the same rejected token', async () => {
    let issued = 0;
    const cache = createTokenCache({
      fetchToken: async () => {
        await tick();
        return { accessToken: `t${++issued}`, expiresIn: 3600 };
      },
    });
    const stale = await cache.getToken();
    // 50 requests were refused with the stale token, arriving one after another.
    const first = cache.getToken({ forceRefresh: true, rejectedToken: stale });
    const rest = Array.from({ length: 49 }, () =>
      cache.getToken({ forceRefresh: true, rejectedToken: stale }),
    );
    const fresh = await Promise.all([first, ...rest]);
    expect(new Set(fresh)).toEqual(new Set(['t2']));
    // After the refresh completed, a late 401 for the old token still reuses the new one.
    expect(await cache.getToken({ forceRefresh: true, rejectedToken: stale })).toBe('t2');
    expect(cache.fetchCount).toBe(2);
    // A 401 for the current token does refresh.
    expect(await cache.getToken({ forceRefresh: true, rejectedToken: 't2' })).toBe('t3');
  });

  it('refreshes early, before expiry (margin capped at half the lifetime)', async () => {
    const time = clock();
    let issued = 0;
    const cache = createTokenCache({
      now: time.now,
      fetchToken: async () => ({ accessToken: `t${++issued}`, expiresIn: 3600 }),
    });
    expect(await cache.getToken()).toBe('t1');
    time.advance(3_539_000); // 61 s before expiry: still within the 60 s margin's safe side
    expect(await cache.getToken()).toBe('t1');
    time.advance(2000); // 59 s before expiry
    expect(await cache.getToken()).toBe('t2');
    expect(cache.fetchCount).toBe(2);

    const short = createTokenCache({
      now: time.now,
      refreshMarginMs: 60_000,
      fetchToken: async () => ({ accessToken: `s${++issued}`, expiresIn: 40 }),
    });
    const first = await short.getToken();
    time.advance(19_000);
    expect(await short.getToken()).toBe(first); // margin capped at 20 s, not 60 s
    time.advance(2000);
    expect(await short.getToken()).not.toBe(first);
  });

  it('assumes the default lifetime when expires_in is missing or unreadable', async () => {
    const time = clock();
    let issued = 0;
    const cache = createTokenCache({
      now: time.now,
      defaultLifetimeMs: 120_000,
      fetchToken: async () => ({ accessToken: `t${++issued}`, expiresIn: 'soon' }),
    });
    await cache.getToken();
    time.advance(59_000);
    expect(await cache.getToken()).toBe('t1');
    time.advance(2000);
    expect(await cache.getToken()).toBe('t2');
  });

  it('reads an epoch-milliseconds expires_in as an absolute expiry (as BOG documents it)', async () => {
    const time = clock();
    const cache = createTokenCache({
      now: time.now,
      fetchToken: async () => ({ accessToken: `t${cache.fetchCount}`, expiresIn: time.now() + 600_000 }),
    });
    expect(await cache.getToken()).toBe('t1');
    time.advance(539_000);
    expect(await cache.getToken()).toBe('t1');
    time.advance(2000);
    expect(await cache.getToken()).toBe('t2');
  });

  it('keeps the old, still valid token when an early refresh fails', async () => {
    const time = clock();
    let fail = false;
    const cache = createTokenCache({
      now: time.now,
      fetchToken: async () => {
        if (fail) throw new Error('token endpoint down');
        return { accessToken: 'good', expiresIn: 3600 };
      },
    });
    expect(await cache.getToken()).toBe('good');
    fail = true;
    time.advance(3_550_000); // inside the refresh margin, 50 s before expiry
    expect(await cache.getToken()).toBe('good');
    expect(await Promise.all([cache.getToken(), cache.getToken()])).toEqual(['good', 'good']);
    expect(cache.fetchCount).toBe(3); // it keeps trying on later calls
    time.advance(60_000); // now expired: the failure surfaces
    await expect(cache.getToken()).rejects.toThrow('token endpoint down');
    fail = false;
    expect(await cache.getToken()).toBe('good');
  });

  it('rejects every waiting caller when the first fetch fails, and fetches again next time', async () => {
    const fetcher = manualFetcher();
    const cache = createTokenCache({ fetchToken: fetcher.fetchToken });
    const waiting = [cache.getToken(), cache.getToken(), cache.getToken()];
    expect(fetcher.calls).toHaveLength(1);
    fetcher.calls[0]?.reject(new Error('invalid_client'));
    for (const result of await Promise.allSettled(waiting)) {
      expect(result).toMatchObject({ status: 'rejected', reason: { message: 'invalid_client' } });
    }
    const next = cache.getToken();
    expect(fetcher.calls).toHaveLength(2);
    fetcher.calls[1]?.resolve({ accessToken: 'ok', expiresIn: 60 });
    expect(await next).toBe('ok');
  });

  it('refuses an answer without an access token', async () => {
    for (const answer of [{ expiresIn: 60 }, { accessToken: '', expiresIn: 60 }, undefined]) {
      const cache = createTokenCache({ fetchToken: async () => answer as unknown as FetchedToken });
      const error = await cache.getToken().catch((caught: unknown) => caught);
      expect(ResponseValidationError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('access_token');
    }
  });

  it('invalidate(token) drops the token only while it is still the current one', async () => {
    let issued = 0;
    const cache = createTokenCache({
      fetchToken: async () => ({ accessToken: `t${++issued}`, expiresIn: 3600 }),
    });
    const first = await cache.getToken();
    cache.invalidate(first);
    const second = await cache.getToken();
    expect(second).toBe('t2');
    cache.invalidate(first); // a late 401 with the old token must not throw away the new one
    expect(await cache.getToken()).toBe('t2');
    expect(cache.fetchCount).toBe(2);
    cache.invalidate();
    expect(await cache.getToken()).toBe('t3');
  });

  it('forceRefresh fetches a new token even while the current one is valid, once for concurrent callers', async () => {
    let issued = 0;
    const fetcher = manualFetcher();
    const cache = createTokenCache({ fetchToken: fetcher.fetchToken });
    const first = cache.getToken();
    fetcher.calls[0]?.resolve({ accessToken: `t${++issued}`, expiresIn: 3600 });
    expect(await first).toBe('t1');
    const forced = [
      cache.getToken({ forceRefresh: true }),
      cache.getToken({ forceRefresh: true }),
      cache.getToken(),
    ];
    expect(fetcher.calls).toHaveLength(2);
    fetcher.calls[1]?.resolve({ accessToken: `t${++issued}`, expiresIn: 3600 });
    // The plain caller is still served the valid cached token, the forced ones wait for the new one.
    expect(await Promise.all(forced)).toEqual(['t2', 't2', 't1']);
    expect(await cache.getToken()).toBe('t2');
  });

  it('a forced refresh that fails is not masked by the old token', async () => {
    let fail = false;
    const cache = createTokenCache({
      fetchToken: async () => {
        if (fail) throw new Error('revoked client');
        return { accessToken: 'old', expiresIn: 3600 };
      },
    });
    await cache.getToken();
    fail = true;
    await expect(cache.getToken({ forceRefresh: true })).rejects.toThrow('revoked client');
  });

  it("one caller's abort does not fail the others sharing the fetch", async () => {
    const fetcher = manualFetcher();
    const cache = createTokenCache({ fetchToken: fetcher.fetchToken });
    const impatient = new AbortController();
    const first = cache.getToken({ signal: impatient.signal });
    const patient = cache.getToken();
    const withSignal = new AbortController();
    const third = cache.getToken({ signal: withSignal.signal });
    expect(fetcher.calls).toHaveLength(1);
    impatient.abort(new Error('request timed out'));
    await expect(first).rejects.toThrow('request timed out');
    expect(fetcher.calls[0]?.signal?.aborted).toBe(false);
    fetcher.calls[0]?.resolve({ accessToken: 'shared', expiresIn: 60 });
    expect(await patient).toBe('shared');
    expect(await third).toBe('shared');
  });

  it('aborts the fetch once every waiting caller has given up', async () => {
    const fetcher = manualFetcher();
    const cache = createTokenCache({ fetchToken: fetcher.fetchToken });
    const one = new AbortController();
    const two = new AbortController();
    const results = [cache.getToken({ signal: one.signal }), cache.getToken({ signal: two.signal })].map(
      (promise) => promise.catch((error: unknown) => error),
    );
    one.abort(new Error('one'));
    await tick();
    expect(fetcher.calls[0]?.signal?.aborted).toBe(false);
    two.abort(new Error('two'));
    expect(fetcher.calls[0]?.signal?.aborted).toBe(true);
    expect(await results[0]).toMatchObject({ message: 'one' });
    expect(await results[1]).toMatchObject({ message: 'two' });
    // The next caller starts a new fetch.
    const next = cache.getToken();
    expect(fetcher.calls).toHaveLength(2);
    fetcher.calls[1]?.resolve({ accessToken: 'after', expiresIn: 60 });
    expect(await next).toBe('after');
  });

  it('does not fetch for an already aborted signal', async () => {
    const fetcher = manualFetcher();
    const cache = createTokenCache({ fetchToken: fetcher.fetchToken });
    await expect(cache.getToken({ signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('gone');
    expect(fetcher.calls).toHaveLength(0);
  });

  it('an aborted caller during an early refresh gets its abort, not the old token', async () => {
    const time = clock();
    const fetcher = manualFetcher();
    const cache = createTokenCache({ now: time.now, fetchToken: fetcher.fetchToken });
    const first = cache.getToken();
    fetcher.calls[0]?.resolve({ accessToken: 'old', expiresIn: 3600 });
    await first;
    time.advance(3_550_000);
    const controller = new AbortController();
    const waiting = cache.getToken({ signal: controller.signal });
    controller.abort(new Error('caller left'));
    await expect(waiting).rejects.toThrow('caller left');
  });
});

describe('normalizeExpiry', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('reads seconds from now', () => {
    expect(normalizeExpiry(3600, now)).toBe(now + 3_600_000);
    expect(normalizeExpiry('3600', now)).toBe(now + 3_600_000);
    expect(normalizeExpiry(' 59 ', now)).toBe(now + 59_000);
    expect(normalizeExpiry(0.5, now)).toBe(now + 500);
  });

  it('reads epoch seconds and epoch milliseconds', () => {
    const expiry = now + 3_600_000;
    expect(normalizeExpiry(expiry / 1000, now)).toBe(expiry);
    expect(normalizeExpiry(String(expiry / 1000), now)).toBe(expiry);
    expect(normalizeExpiry(expiry, now)).toBe(expiry);
    expect(normalizeExpiry(String(expiry), now)).toBe(expiry);
  });

  it('yields undefined for garbage', () => {
    for (const value of [
      undefined,
      null,
      '',
      'soon',
      'NaN',
      0,
      -5,
      '-5',
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ]) {
      expect(
        normalizeExpiry(value as number | string | undefined | null, now),
        String(value),
      ).toBeUndefined();
    }
  });
});

describe('sharedTokenCache', () => {
  it('returns one cache per key, created once', () => {
    let created = 0;
    const create = (): TokenCache => {
      created++;
      return createTokenCache({ fetchToken: async () => ({ accessToken: 'x', expiresIn: 60 }) });
    };
    const key = `https://auth.test/token|client-a|${Math.random()}`;
    const first = sharedTokenCache(key, create);
    expect(sharedTokenCache(key, create)).toBe(first);
    expect(created).toBe(1);
    expect(sharedTokenCache(`${key}-other`, create)).not.toBe(first);
    expect(created).toBe(2);
  });

  it('lets two clients with the same credentials share one token', async () => {
    let fetches = 0;
    const key = `shared-${Math.random()}`;
    const make = () =>
      sharedTokenCache(key, () =>
        createTokenCache({ fetchToken: async () => ({ accessToken: `t${++fetches}`, expiresIn: 3600 }) }),
      );
    const [a, b] = await Promise.all([make().getToken(), make().getToken()]);
    expect(a).toBe('t1');
    expect(b).toBe('t1');
    expect(fetches).toBe(1);
  });
});
