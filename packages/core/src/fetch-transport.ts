import type { HttpRequest, HttpResponse, Transport } from './transport.js';

/** A `fetch`-compatible function (the global one, undici's, or a test double). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/**
 * A transport over any `fetch` function: the default on edge runtimes (Workers, Vercel Edge,
 * Deno, Bun), and the one to use when tests intercept `globalThis.fetch` (nock 14, msw).
 * The fetch function is looked up at call time, so tests can replace the global.
 */
export function fetchTransport(fetchFunction?: FetchFunction): Transport {
  return {
    name: 'fetch',
    async request(input: HttpRequest): Promise<HttpResponse> {
      const fetchImpl = fetchFunction ?? (globalThis.fetch as FetchFunction);
      const response = await fetchImpl(input.url, {
        method: input.method,
        headers: input.headers,
        ...(input.body === undefined ? {} : { body: input.body as NonNullable<RequestInit['body']> }),
        ...(input.signal ? { signal: input.signal } : {}),
        redirect: 'manual',
      });
      // Read the body while the signal is still armed: a stall mid-body then times out too.
      const body = await response.text();
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { status: response.status, headers, body };
    },
  };
}
