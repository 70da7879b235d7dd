import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectionError, TimeoutError } from './errors.js';
import { type FetchFunction, fetchTransport } from './fetch-transport.js';
import { createHttpClient } from './http-client.js';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;
let server: Server;
let baseUrl: string;
let handler: Handler;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => handler(request, response, body));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  vi.unstubAllGlobals();
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('fetchTransport', () => {
  it('sends through the global fetch, looked up at call time', async () => {
    let seen: {
      method?: string | undefined;
      url?: string | undefined;
      headers?: IncomingMessage['headers'];
      body?: string;
    } = {};
    handler = (request, response, body) => {
      seen = { method: request.method, url: request.url, headers: request.headers, body };
      response.writeHead(201, { 'content-type': 'application/json', 'X-Request-Id': 'abc' });
      response.end('{"ok":true}');
    };
    const transport = fetchTransport();
    expect(transport.name).toBe('fetch');
    const realFetch = globalThis.fetch;
    let calls = 0;
    // Installed after the transport was created, as nock or msw would do.
    vi.stubGlobal('fetch', (input: string, init: RequestInit) => {
      calls++;
      return realFetch(input, init);
    });
    const response = await transport.request({
      method: 'POST',
      url: `${baseUrl}/orders?x=1`,
      headers: { 'content-type': 'application/json', 'x-custom': 'yes' },
      body: '{"amount":1}',
    });
    expect(calls).toBe(1);
    expect(response.status).toBe(201);
    expect(response.body).toBe('{"ok":true}');
    expect(response.headers['x-request-id']).toBe('abc'); // names lower-cased
    expect(seen).toMatchObject({ method: 'POST', url: '/orders?x=1', body: '{"amount":1}' });
    expect(seen.headers?.['x-custom']).toBe('yes');
  });

  it('uses the fetch function it was given', async () => {
    handler = (_request, response) => response.end('plain');
    const urls: string[] = [];
    const custom: FetchFunction = (input, init) => {
      urls.push(input);
      return fetch(input, init);
    };
    const response = await fetchTransport(custom).request({
      method: 'GET',
      url: `${baseUrl}/x`,
      headers: {},
    });
    expect(response.body).toBe('plain');
    expect(urls).toEqual([`${baseUrl}/x`]);
  });

  it('does not follow redirects: the client sees the 3xx', async () => {
    let hits = 0;
    handler = (_request, response) => {
      hits++;
      response.writeHead(301, { location: `${baseUrl}/elsewhere` });
      response.end();
    };
    const response = await fetchTransport().request({ method: 'GET', url: `${baseUrl}/moved`, headers: {} });
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe(`${baseUrl}/elsewhere`);
    expect(hits).toBe(1);
  });

  it('keeps the timeout armed while the body is read', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"a":');
    };
    const http = createHttpClient({
      provider: 'edge',
      baseUrl,
      transport: fetchTransport(),
      timeoutMs: 150,
      retry: { maxRetries: 0 },
    });
    const error = await http
      .request({ operation: 'x', method: 'GET', path: '/' })
      .catch((caught: unknown) => caught);
    expect(TimeoutError.isInstance(error)).toBe(true);
  });

  it("reports fetch's network failures as connection errors with the underlying code", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closed = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    const http = createHttpClient({
      provider: 'edge',
      baseUrl: closed,
      transport: fetchTransport(),
      retry: { maxRetries: 0 },
    });
    const refused = await http
      .request({ operation: 'x', method: 'POST', path: '/' })
      .catch((caught: unknown) => caught);
    expect(ConnectionError.isInstance(refused)).toBe(true);
    expect((refused as ConnectionError).code).toBe('ECONNREFUSED');
    expect((refused as ConnectionError).requestSent).toBe(false);

    handler = (request) => request.socket.resetAndDestroy();
    const reset = await createHttpClient({ provider: 'edge', baseUrl, transport: fetchTransport() })
      .request({ operation: 'x', method: 'POST', path: '/' })
      .catch((caught: unknown) => caught);
    expect(ConnectionError.isInstance(reset)).toBe(true);
    expect((reset as ConnectionError).requestSent).toBe(true);
    expect((reset as ConnectionError).retryable).toBe(false);
  });
});
