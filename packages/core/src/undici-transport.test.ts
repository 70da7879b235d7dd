import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, getGlobalDispatcher, MockAgent, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError } from './errors.js';
import { createHttpClient } from './http-client.js';
import { undiciTransport } from './undici-transport.js';

let server: Server;
let origin: string;
let hits = 0;
beforeAll(async () => {
  server = createServer((request, response) => {
    hits++;
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
      response.end(JSON.stringify({ method: request.method, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function errorWithCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('undiciTransport', () => {
  it('sends over a real socket and reads the whole answer', async () => {
    const transport = undiciTransport();
    expect(transport.name).toBe('undici');
    const response = await transport.request({
      method: 'PUT',
      url: `${origin}/x`,
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ method: 'PUT', body: 'hello' });
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    await transport.close?.(); // no dispatcher of its own: nothing to close, the global one stays
  });

  it('sends through an injected dispatcher and closes it', async () => {
    const agent = new Agent({ keepAliveTimeout: 1000 });
    const transport = undiciTransport({ dispatcher: agent });
    const response = await transport.request({ method: 'GET', url: `${origin}/`, headers: {} });
    expect(response.status).toBe(200);
    await transport.close?.();
    expect(agent.closed).toBe(true);
  });

  it("uses undici's global dispatcher at call time when none is injected", async () => {
    const previous = getGlobalDispatcher();
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock
      .get('https://global.test')
      .intercept({ path: '/x', method: 'GET' })
      .replyWithError(errorWithCode('boom', 'ECONNRESET'));
    const transport = undiciTransport();
    setGlobalDispatcher(mock);
    try {
      await expect(
        transport.request({ method: 'GET', url: 'https://global.test/x', headers: {} }),
      ).rejects.toThrow();
      mock.assertNoPendingInterceptors();
    } finally {
      setGlobalDispatcher(previous);
      await mock.close();
    }
  });
});

// MockAgent for fault injection: the faults a real server cannot produce on demand.
describe('fault injection through an injected MockAgent dispatcher', () => {
  it('a reset connection on a POST without key is reported, not repeated', async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock
      .get('https://gateway.test')
      .intercept({ path: '/orders', method: 'POST' })
      .replyWithError(errorWithCode('read ECONNRESET', 'ECONNRESET'));
    const http = createHttpClient({
      provider: 'mocked',
      baseUrl: 'https://gateway.test',
      dispatcher: mock,
      sleep: async () => {},
    });
    const error = await http
      .request({ operation: 'createOrder', method: 'POST', path: '/orders', json: {} })
      .catch((caught: unknown) => caught);
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect((error as ConnectionError).code).toBe('ECONNRESET');
    expect((error as ConnectionError).requestSent).toBe(true);
    expect((error as ConnectionError).retryable).toBe(false);
    mock.assertNoPendingInterceptors();
    await mock.close();
  });

  it('a refused connection is retried, and the retry reaches the real server', async () => {
    const mock = new MockAgent();
    mock.enableNetConnect(new URL(origin).host); // unmatched requests go to the real local server
    mock
      .get(origin)
      .intercept({ path: '/orders', method: 'POST' })
      .replyWithError(errorWithCode('connect ECONNREFUSED 127.0.0.1', 'ECONNREFUSED'));
    const before = hits;
    const http = createHttpClient({
      provider: 'mocked',
      baseUrl: origin,
      dispatcher: mock,
      sleep: async () => {},
    });
    const result = await http.request<{ body: string }>({
      operation: 'createOrder',
      method: 'POST',
      path: '/orders',
      json: { a: 1 },
    });
    expect(result.attempts).toBe(2);
    expect(result.data.body).toBe('{"a":1}');
    expect(hits - before).toBe(1);
    await mock.close();
  });

  it('a TLS failure is not retried and names the certificate setup', async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock
      .get('https://mtls.test')
      .intercept({ path: '/x', method: 'GET' })
      .replyWithError(
        errorWithCode('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
      )
      .times(3);
    const http = createHttpClient({
      provider: 'procredit',
      baseUrl: 'https://mtls.test',
      dispatcher: mock,
      sleep: async () => {},
    });
    const error = await http
      .request({ operation: 'x', method: 'GET', path: '/x' })
      .catch((caught: unknown) => caught);
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('TLS handshake with procredit failed');
    expect((error as ConnectionError).retryable).toBe(false);
    expect(mock.pendingInterceptors()).toHaveLength(1); // two of three replies unused: one attempt only
    await mock.close();
  });
});
