import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientSettings, toHttpClientSettings } from './client-settings.js';
import type { FetchFunction } from './fetch-transport.js';
import { createHttpClient } from './http-client.js';
import type { Transport } from './transport.js';

let server: Server;
let baseUrl: string;
let requests = 0;
beforeAll(async () => {
  server = createServer((request, response) => {
    requests++;
    response.writeHead(request.url === '/fail' ? 503 : 200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ userAgent: request.headers['user-agent'], merchant: request.headers['x-merchant'] }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('toHttpClientSettings', () => {
  it('passes the shared settings through', () => {
    const dispatcher = new Agent();
    const hooks = { onRequest: () => {} };
    const settings: ClientSettings = {
      dispatcher,
      timeoutMs: 1234,
      retry: { initialDelayMs: 10, maxRetries: 5 },
      hooks,
      headers: { 'x-merchant': 'm' },
      userAgentSuffix: 'shop/1',
    };
    expect(toHttpClientSettings(settings)).toEqual({
      transport: undefined,
      dispatcher,
      timeoutMs: 1234,
      retry: { initialDelayMs: 10, maxRetries: 5 },
      hooks,
      headers: { 'x-merchant': 'm' },
      userAgentSuffix: 'shop/1',
    });
    expect(toHttpClientSettings({})).toMatchObject({ transport: undefined, retry: {} });
  });

  it('folds maxRetries into the retry settings, winning over retry.maxRetries', () => {
    expect(toHttpClientSettings({ maxRetries: 0, retry: { maxRetries: 4, maxDelayMs: 9 } }).retry).toEqual({
      maxRetries: 0,
      maxDelayMs: 9,
    });
    expect(toHttpClientSettings({ retry: { maxRetries: 4 } }).retry).toEqual({ maxRetries: 4 });
  });

  it('prefers a complete transport, else wraps fetch', () => {
    const transport: Transport = {
      name: 'custom',
      request: async () => ({ status: 200, headers: {}, body: '' }),
    };
    const fetchFunction: FetchFunction = (input, init) => fetch(input, init);
    expect(toHttpClientSettings({ transport, fetch: fetchFunction }).transport).toBe(transport);
    expect(toHttpClientSettings({ fetch: fetchFunction }).transport?.name).toBe('fetch');
  });

  it('builds a working client: the given fetch is used, maxRetries and headers apply', async () => {
    let fetchCalls = 0;
    const countingFetch: FetchFunction = (input, init) => {
      fetchCalls++;
      return fetch(input, init);
    };
    const http = createHttpClient({
      ...toHttpClientSettings({
        fetch: countingFetch,
        maxRetries: 1,
        headers: { 'x-merchant': 'shop-7' },
        userAgentSuffix: 'shop/2.0',
      }),
      provider: 'bog',
      baseUrl,
      userAgent: '@colchis/bog/0.1.0',
      sleep: async () => {},
    });
    const ok = await http.request<{ userAgent: string; merchant: string }>({
      operation: 'x',
      method: 'GET',
      path: '/',
    });
    expect(ok.data.merchant).toBe('shop-7');
    expect(ok.data.userAgent).toMatch(/^@colchis\/bog\/0\.1\.0 node\/\S+ shop\/2\.0$/);
    const before = requests;
    await expect(http.request({ operation: 'x', method: 'GET', path: '/fail' })).rejects.toThrow(/HTTP 503/);
    expect(requests - before).toBe(2); // one retry
    expect(fetchCalls).toBe(3);
  });
});
