import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, TimeoutError } from './errors.js';
import { createHttpClient } from './http-client.js';
import { undiciTransport } from './undici-transport.js';

// A real local server: the deadline, aborts and queueing are exercised over real sockets.
let server: Server;
let origin: string;
const seen: string[] = [];
beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request.url ?? '');
    if (request.url === '/stall-headers') return; // never answers
    if (request.url === '/stall-body') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"a":');
      return;
    }
    if (request.url === '/echo') {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
        response.end(JSON.stringify({ body, userAgent: request.headers['user-agent'] }));
      });
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('undici transport deadline (enforcesTimeout)', () => {
  it('times out while waiting for the headers', async () => {
    const http = createHttpClient({
      provider: 't',
      baseUrl: origin,
      timeoutMs: 100,
      retry: { maxRetries: 0 },
    });
    const error = await http
      .request({ operation: 'x', method: 'GET', path: '/stall-headers' })
      .catch((e) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
  });

  it('times out in the middle of the body', async () => {
    const http = createHttpClient({
      provider: 't',
      baseUrl: origin,
      timeoutMs: 100,
      retry: { maxRetries: 0 },
    });
    const error = await http.request({ operation: 'x', method: 'GET', path: '/stall-body' }).catch((e) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
  });

  it("rejects with the caller's abort reason mid-body", async () => {
    const http = createHttpClient({ provider: 't', baseUrl: origin, timeoutMs: 5000 });
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 50);
    const error = await http
      .request({ operation: 'x', method: 'GET', path: '/stall-body', options: { signal: controller.signal } })
      .catch((e) => e);
    expect(error).toBe(reason);
  });

  it('sends a body and reads repeated response headers as arrays', async () => {
    const http = createHttpClient({ provider: 't', baseUrl: origin });
    const result = await http.request<{ body: string; userAgent: string }>({
      operation: 'x',
      method: 'POST',
      path: '/echo',
      json: { amount: 100 },
      idempotent: true,
    });
    expect(result.data.body).toBe('{"amount":100}');
    expect(result.data.userAgent).toMatch(/^@colchis\/core\//);
    expect(result.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('classifies a refused connection as not sent', async () => {
    const http = createHttpClient({ provider: 't', baseUrl: 'http://127.0.0.1:1', retry: { maxRetries: 0 } });
    const error = await http.request({ operation: 'x', method: 'POST', path: '/' }).catch((e) => e);
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.requestSent).toBe(false);
  });

  it('never sends a request whose deadline passed while it waited for a connection', async () => {
    const dispatcher = new Agent({ connections: 1 });
    const transport = undiciTransport({ dispatcher });
    seen.length = 0;
    const first = transport
      .request({ method: 'GET', url: `${origin}/stall-headers`, headers: {}, timeoutMs: 300 })
      .catch((e) => e);
    const second = transport
      .request({ method: 'GET', url: `${origin}/queued`, headers: {}, timeoutMs: 100 })
      .catch((e) => e);
    expect((await second).code).toBe('COLCHIS_TRANSPORT_TIMEOUT');
    expect((await first).code).toBe('COLCHIS_TRANSPORT_TIMEOUT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual(['/stall-headers']);
    await dispatcher.close();
  });

  it("works when Node's bundled undici installed the global dispatcher first", async () => {
    await fetch(`${origin}/ok`); // Node's own undici may set the global dispatcher
    const http = createHttpClient({ provider: 't', baseUrl: origin });
    expect((await http.request({ operation: 'x', method: 'GET', path: '/ok' })).data).toEqual({ ok: true });
  });
});
