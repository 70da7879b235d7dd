/**
 * Token cache stampede (issue 2 item 6, issue 8 benchmark 4): 1000 callers ask core's
 * `createTokenCache` for a token at the same moment, with nothing cached yet, against a real
 * OAuth2 client-credentials endpoint on a local server. The server counts the token requests it
 * actually receives.
 */
import type { FetchedToken } from '@colchis/core';
import { Agent } from 'undici';
import type { Benchmark, BenchmarkContext, Measurement } from './harness/benchmark.js';
import { startChildServer } from './harness/child-server.js';
import { collectGarbage, runInterleavedRounds } from './harness/interleaved-rounds.js';
import { loadCore } from './harness/load-core.js';
import { median } from './harness/statistics.js';

const CALLERS = 1000;
const sizes = { full: { rounds: 10 }, quick: { rounds: 3 } };

/** The token cache benchmark, registered in `benchmark-registry.ts`. */
export const tokenCacheStampede: Benchmark = {
  id: 'token-cache',
  title: 'Token cache: 1000 concurrent first calls',
  method: `Each round creates a fresh \`createTokenCache\` whose \`fetchToken\` POSTs \`grant_type=client_credentials\` (Basic auth) through core's HTTP client to \`/oauth2/token\` on the local server, then starts ${CALLERS} \`getToken()\` calls in the same tick and waits for all of them. The server's own count of token requests is read after every round; the figure reported is the largest count over the rounds, so a single round with a duplicate fetch fails the target. The reference is the same ${CALLERS} callers without a cache (each fetches its own token), to show what the cache saves; the time is wall time until every caller holds a token. Both use an undici \`Agent\` limited to 64 connections.`,
  run,
};

async function run(context: BenchmarkContext): Promise<Measurement[]> {
  const { rounds } = context.quick ? sizes.quick : sizes.full;
  const { createHttpClient, createTokenCache } = await loadCore();
  const server = await startChildServer();
  const dispatcher = new Agent({ connections: 64 });
  try {
    const http = createHttpClient({ provider: 'bench', baseUrl: server.origin, dispatcher });
    const fetchToken = async (signal?: AbortSignal): Promise<FetchedToken> => {
      const result = await http.request<{ access_token: string; expires_in: number; token_type: string }>({
        operation: 'fetchToken',
        method: 'POST',
        path: '/oauth2/token',
        form: { grant_type: 'client_credentials' },
        headers: { authorization: `Basic ${Buffer.from('bench-client:bench-secret').toString('base64')}` },
        // A token request changes nothing on the gateway: safe to repeat.
        idempotent: true,
        options: signal ? { signal } : undefined,
      });
      return {
        accessToken: result.data.access_token,
        expiresIn: result.data.expires_in,
        tokenType: result.data.token_type,
      };
    };
    // Warm the connection pool and the code paths once, outside the measured rounds.
    await Promise.all(Array.from({ length: 64 }, () => fetchToken()));

    const cached = async () => {
      await server.resetCounts();
      const cache = createTokenCache({ fetchToken });
      const started = performance.now();
      const tokens = await Promise.all(Array.from({ length: CALLERS }, () => cache.getToken()));
      const elapsedMs = performance.now() - started;
      const counts = await server.counts();
      if (new Set(tokens).size !== 1) throw new Error('callers received different tokens');
      if (cache.fetchCount !== counts.tokens) {
        throw new Error(`the cache counted ${cache.fetchCount} fetches, the server ${counts.tokens}`);
      }
      return { tokenRequests: counts.tokens ?? 0, elapsedMs };
    };
    const uncached = async () => {
      await server.resetCounts();
      const started = performance.now();
      await Promise.all(Array.from({ length: CALLERS }, () => fetchToken()));
      const elapsedMs = performance.now() - started;
      const counts = await server.counts();
      return { tokenRequests: counts.tokens ?? 0, elapsedMs };
    };

    context.log(`${rounds} rounds x ${CALLERS} concurrent callers, cached and uncached`);
    const figures = await runInterleavedRounds(
      { name: 'cache', runRound: cached },
      { name: 'no cache', runRound: uncached },
      { rounds, beforeRound: collectGarbage },
    );
    const requests = {
      ours: figures.first.map((f) => f.tokenRequests),
      reference: figures.second.map((f) => f.tokenRequests),
    };
    const times = {
      ours: figures.first.map((f) => f.elapsedMs),
      reference: figures.second.map((f) => f.elapsedMs),
    };
    return [
      {
        id: 'token-cache.requests',
        label: `Token cache: token requests for ${CALLERS} concurrent first calls (worst round)`,
        unit: 'requests',
        ours: Math.max(...requests.ours),
        reference: Math.max(...requests.reference),
        referenceName: 'no cache',
        higherIsBetter: false,
        target: { on: 'value', comparison: '==', value: 1 },
        rounds: requests,
      },
      {
        id: 'token-cache.time',
        label: `Token cache: time until all ${CALLERS} callers hold a token`,
        unit: 'ms',
        ours: median(times.ours),
        reference: median(times.reference),
        referenceName: 'no cache',
        higherIsBetter: false,
        rounds: times,
        chart: true,
      },
    ];
  } finally {
    await dispatcher.close();
    await server.close();
  }
}
