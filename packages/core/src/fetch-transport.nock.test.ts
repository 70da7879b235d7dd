import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, GatewayError } from './errors.js';
import { fetchTransport } from './fetch-transport.js';
import { createHttpClient } from './http-client.js';

// nock 14 intercepts globalThis.fetch (not the standalone undici package): this is how users
// stub a Colchis client in their own tests, through the fetch transport.
beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('fetchTransport under nock', () => {
  it('is intercepted, with headers and body visible to the interceptor', async () => {
    let body: unknown;
    const scope = nock('https://api.gateway.test', {
      reqheaders: {
        'idempotency-key': /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      },
    })
      .post('/v1/orders', (sent) => {
        body = sent;
        return true;
      })
      .reply(201, { id: 'ord_nock' }, { 'x-request-id': 'nock-1' });
    const http = createHttpClient({
      provider: 'nocked',
      baseUrl: 'https://api.gateway.test/v1',
      transport: fetchTransport(),
    });
    const result = await http.request<{ id: string }>({
      operation: 'createOrder',
      method: 'POST',
      path: '/orders',
      json: { amount: 1050 },
      idempotencyHeader: 'Idempotency-Key',
    });
    expect(result.data.id).toBe('ord_nock');
    expect(result.requestId).toBe('nock-1');
    expect(body).toEqual({ amount: 1050 });
    expect(scope.isDone()).toBe(true);
  });

  it('retries through nock with the same idempotency key', async () => {
    const keys: string[] = [];
    const scope = nock('https://api.gateway.test')
      .post('/refund')
      .times(2)
      .reply(function reply() {
        keys.push(String(this.req.headers['idempotency-key']));
        return keys.length === 1 ? [503, { error: 'busy' }] : [200, { refunded: true }];
      });
    const http = createHttpClient({
      provider: 'nocked',
      baseUrl: 'https://api.gateway.test',
      transport: fetchTransport(),
      sleep: async () => {},
    });
    const result = await http.request({
      operation: 'refund',
      method: 'POST',
      path: '/refund',
      idempotencyHeader: 'Idempotency-Key',
    });
    expect(result.attempts).toBe(2);
    expect(keys[0]).toBe(keys[1]);
    expect(scope.isDone()).toBe(true);
  });

  it('turns nock errors and 5xx into typed errors', async () => {
    nock('https://api.gateway.test')
      .get('/down')
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const http = createHttpClient({
      provider: 'nocked',
      baseUrl: 'https://api.gateway.test',
      transport: fetchTransport(),
      retry: { maxRetries: 0 },
    });
    const error = await http
      .request({ operation: 'x', method: 'GET', path: '/down' })
      .catch((caught: unknown) => caught);
    expect(ConnectionError.isInstance(error)).toBe(true);
    nock('https://api.gateway.test').get('/fail').reply(500, { message: 'boom' });
    const gateway = await http
      .request({ operation: 'x', method: 'GET', path: '/fail' })
      .catch((caught: unknown) => caught);
    expect(GatewayError.isInstance(gateway)).toBe(true);
  });
});
