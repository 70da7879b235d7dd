import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  type ColchisError,
  ConflictError,
  ConnectionError,
  GatewayError,
  InvalidRequestError,
  NotFoundError,
  PaymentDeclinedError,
  RateLimitError,
  ResponseValidationError,
  TimeoutError,
} from './errors.js';
import { fetchTransport } from './fetch-transport.js';
import type { ErrorHookEvent, Hooks, RequestHookEvent, ResponseHookEvent, RetryHookEvent } from './hooks.js';
import { buildUrl, createHttpClient, type HttpClientSettings } from './http-client.js';
import { REDACTED } from './redact.js';
import type { Transport } from './transport.js';
import { VERSION } from './version.js';

// ---------------------------------------------------------------------------------------------
// A real HTTP server on 127.0.0.1: each test installs the handler it needs and reads what the
// client really sent over the socket.

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Handler = (request: Received, response: ServerResponse, raw: IncomingMessage) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
let received: Received[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((raw, response) => {
    let body = '';
    raw.setEncoding('utf8');
    raw.on('data', (chunk: string) => {
      body += chunk;
    });
    raw.on('end', () => {
      const request = { method: raw.method ?? '', url: raw.url ?? '', headers: raw.headers, body };
      received.push(request);
      handler(request, response, raw);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  received = [];
});
afterAll(async () => {
  // Stalled responses were abandoned by the client (it destroys a timed-out socket itself);
  // whatever is left is closed here.
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

/** Answers each request with the next handler of the list (the last one repeats). */
function sequence(...handlers: Handler[]): Handler {
  let index = 0;
  return (request, response, raw) => {
    const next = handlers[Math.min(index++, handlers.length - 1)] as Handler;
    next(request, response, raw);
  };
}

/** Closes the TCP connection without an answer, after the request was read. */
const resetConnection: Handler = (_request, _response, raw) => {
  raw.socket.resetAndDestroy();
};

/** A port nobody listens on: connection refused. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** Sleep seam: records the delays and does not wait. */
function recordingSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number, signal?: AbortSignal) => {
    signal?.throwIfAborted();
    delays.push(ms);
  };
  return { delays, sleep };
}

function client(overrides: Partial<HttpClientSettings> = {}) {
  const recorded = recordingSleep();
  const http = createHttpClient({
    provider: 'testpay',
    baseUrl,
    sleep: recorded.sleep,
    random: () => 0.5,
    ...overrides,
  });
  return { http, delays: recorded.delays };
}

async function rejection(promise: Promise<unknown>): Promise<ColchisError> {
  try {
    await promise;
  } catch (error) {
    return error as ColchisError;
  }
  throw new Error('expected a rejection');
}

function collectHooks() {
  const events = {
    request: [] as RequestHookEvent[],
    response: [] as ResponseHookEvent[],
    retry: [] as RetryHookEvent[],
    error: [] as ErrorHookEvent[],
  };
  const hooks: Hooks = {
    onRequest: (event) => events.request.push(event),
    onResponse: (event) => events.response.push(event),
    onRetry: (event) => events.retry.push(event),
    onError: (event) => events.error.push(event),
  };
  return { events, hooks };
}

const NODE_VERSION = process.versions.node;

// ---------------------------------------------------------------------------------------------

describe('requests', () => {
  it('sends a GET with the query built from defined values only and the default headers', async () => {
    handler = json(200, { id: 'ord_1' }, { 'x-request-id': 'req-123' });
    const { http } = client();
    const result = await http.request<{ id: string }>({
      operation: 'getOrder',
      method: 'GET',
      path: '/orders/ord_1',
      query: { expand: 'items', page: 2, test: true, skip: undefined, none: null, text: 'a b&c=d' },
    });
    expect(result).toMatchObject({
      status: 200,
      data: { id: 'ord_1' },
      body: '{"id":"ord_1"}',
      requestId: 'req-123',
      attempts: 1,
      idempotencyKey: undefined,
    });
    expect(result.headers['x-request-id']).toBe('req-123');
    const [request] = received;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/orders/ord_1?expand=items&page=2&test=true&text=a+b%26c%3Dd');
    expect(request?.headers['user-agent']).toBe(`@colchis/core/${VERSION} node/${NODE_VERSION}`);
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.body).toBe('');
  });

  it('names the gateway package and version in the User-Agent, with the user suffix', async () => {
    handler = json(200, {});
    const { http } = client({ userAgent: '@colchis/bog/0.1.0', userAgentSuffix: 'my-shop/1.4.0' });
    await http.request({ operation: 'ping', method: 'GET', path: '/' });
    expect(received[0]?.headers['user-agent']).toBe(`@colchis/bog/0.1.0 node/${NODE_VERSION} my-shop/1.4.0`);
  });

  it('sends a JSON body', async () => {
    handler = json(201, { ok: true });
    const { http } = client();
    const payload = { amount: 10.5, currency: 'GEL', items: [{ name: 'კურსი' }] };
    const result = await http.request({
      operation: 'createOrder',
      method: 'POST',
      path: 'orders',
      json: payload,
    });
    expect(result.status).toBe(201);
    expect(received[0]?.url).toBe('/orders');
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received[0]?.body ?? '')).toEqual(payload);
  });

  it('sends a form body, skipping undefined and null', async () => {
    handler = json(200, { access_token: 'x' });
    const { http } = client();
    await http.request({
      operation: 'token',
      method: 'POST',
      path: '/oauth2/token',
      form: {
        grant_type: 'client_credentials',
        scope: 'a b',
        amount: 12,
        flag: false,
        none: undefined,
        nil: null,
      },
    });
    expect(received[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(received[0]?.body).toBe('grant_type=client_credentials&scope=a+b&amount=12&flag=false');
  });

  it('merges headers: settings, then call, then per-request options (names case-insensitive)', async () => {
    handler = json(200, {});
    const { http } = client({ headers: { 'X-Merchant': 'm1', 'X-Shared': 'settings' } });
    await http.request({
      operation: 'x',
      method: 'GET',
      path: '/',
      headers: { 'X-Shared': 'call', 'X-Call': 'c', 'X-Skip': undefined },
      options: { headers: { 'x-shared': 'options', 'Accept-Language': 'ka' } },
    });
    const headers = received[0]?.headers ?? {};
    expect(headers['x-merchant']).toBe('m1');
    expect(headers['x-shared']).toBe('options');
    expect(headers['x-call']).toBe('c');
    expect(headers['accept-language']).toBe('ka');
    expect(headers['x-skip']).toBeUndefined();
  });

  it('reads text, empty and 204 answers', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('OK plain');
    };
    const { http } = client();
    const text = await http.request<string>({
      operation: 'x',
      method: 'GET',
      path: '/',
      responseType: 'text',
    });
    expect(text.data).toBe('OK plain');
    handler = (_request, response) => {
      response.writeHead(204);
      response.end();
    };
    const empty = await http.request({ operation: 'x', method: 'DELETE', path: '/thing' });
    expect(empty.status).toBe(204);
    expect(empty.data).toBeUndefined();
    expect(empty.body).toBe('');
  });

  it('uses a custom request id header', async () => {
    handler = json(200, {}, { 'x-b3-traceid': 'trace-1', 'x-request-id': 'other' });
    const { http } = client({ requestIdHeader: 'X-B3-TraceId' });
    expect((await http.request({ operation: 'x', method: 'GET', path: '/' })).requestId).toBe('trace-1');
  });

  it('accepts an absolute URL as the path (e.g. a token endpoint on another host)', async () => {
    handler = json(200, { ok: 1 });
    const { http } = client({ baseUrl: 'http://127.0.0.1:9/never-used/' });
    await http.request({ operation: 'x', method: 'GET', path: `${baseUrl}/absolute?x=1`, query: { y: 2 } });
    expect(received[0]?.url).toBe('/absolute?x=1&y=2');
  });
});

describe('buildUrl', () => {
  it('joins base, path and query', () => {
    expect(buildUrl('https://api.test/v1', '/orders')).toBe('https://api.test/v1/orders');
    expect(buildUrl('https://api.test/v1', 'orders')).toBe('https://api.test/v1/orders');
    expect(buildUrl('https://api.test/v1', '/orders?a=1', { b: 2 })).toBe(
      'https://api.test/v1/orders?a=1&b=2',
    );
    expect(buildUrl('https://api.test', '/x', { a: undefined, b: null })).toBe('https://api.test/x');
    expect(buildUrl('https://api.test', 'HTTPS://other.test/y')).toBe('HTTPS://other.test/y');
  });

  it('trims trailing slashes of the base URL in the client', async () => {
    handler = json(200, {});
    const { http } = client({ baseUrl: `${baseUrl}/api///` });
    await http.request({ operation: 'x', method: 'GET', path: '/orders' });
    expect(received[0]?.url).toBe('/api/orders');
  });
});

describe('errors', () => {
  const cases: Array<[number, new (...args: never[]) => ColchisError, boolean]> = [
    [400, InvalidRequestError, false],
    [401, AuthenticationError, false],
    [403, AuthenticationError, false],
    [404, NotFoundError, false],
    [409, ConflictError, false],
    [422, InvalidRequestError, false],
    [429, RateLimitError, true],
    [500, GatewayError, true],
    [501, GatewayError, false],
    [502, GatewayError, true],
    [503, GatewayError, true],
    [504, GatewayError, true],
  ];

  it.each(cases)('maps HTTP %i to its typed error', async (status, Type, retryable) => {
    handler = json(
      status,
      { message: 'Something went wrong', code: 'E_TEST' },
      { 'x-request-id': `r-${status}` },
    );
    const { http } = client({
      retry: { maxRetries: 0 },
      errorDetails: (data) => data as { message: string; code: string },
    });
    const error = await rejection(http.request({ operation: 'getOrder', method: 'GET', path: '/orders/1' }));
    expect((Type as unknown as typeof ColchisError).isInstance(error)).toBe(true);
    expect(error.provider).toBe('testpay');
    expect(error.statusCode).toBe(status);
    expect(error.requestId).toBe(`r-${status}`);
    expect(error.code).toBe('E_TEST');
    expect(error.retryable).toBe(retryable);
    expect(error.rawBody).toEqual({ message: 'Something went wrong', code: 'E_TEST' });
    expect(error.message).toContain(`testpay getOrder failed with HTTP ${status}: Something went wrong`);
  });

  it('tells to check the credentials on 401/403', async () => {
    handler = json(403, { error: 'forbidden' });
    const error = await rejection(client().http.request({ operation: 'x', method: 'GET', path: '/' }));
    expect(error.message).toContain('Check the credentials and the environment (test vs production)');
  });

  it('says an error answer was an HTML page, with its title', async () => {
    handler = (_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><head><title> 502 Bad Gateway </title></head><body><h1>nginx</h1></body></html>');
    };
    const { http } = client({ retry: { maxRetries: 0 } });
    const error = await rejection(http.request({ operation: 'getOrder', method: 'GET', path: '/' }));
    expect(GatewayError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'testpay getOrder failed with HTTP 502 (an HTML page titled "502 Bad Gateway").',
    );
    expect(error.rawBody).toContain('<h1>nginx</h1>');
  });

  it('quotes the start of a non-JSON error body', async () => {
    handler = (_request, response) => {
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end(`Bad Request: ${'x'.repeat(100)}`);
    };
    const error = await rejection(client().http.request({ operation: 'x', method: 'GET', path: '/' }));
    expect(error.message).toMatch(/\(a body that is not JSON \("Bad Request: x+"…\)\)\.$/);
  });

  it('refuses a 2xx answer that is not JSON, without retrying', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!DOCTYPE html><html><title>Login</title></html>');
    };
    const { http } = client();
    const error = await rejection(http.request({ operation: 'getOrder', method: 'GET', path: '/' }));
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'testpay answered getOrder with an HTML page titled "Login" where JSON was expected.',
    );
    expect(error.statusCode).toBe(200);
    expect(received).toHaveLength(1);

    handler = json(200, '{"truncated": ');
    const broken = await rejection(http.request({ operation: 'getOrder', method: 'GET', path: '/' }));
    expect(broken.message).toContain('a body that is not JSON ("{\\"truncated\\": ")');
  });

  it('classifies a 2xx body flagged by isErrorBody (errors reported with 200)', async () => {
    handler = json(200, { errorCode: 'TXPG-42', errorMessage: 'Order not found' });
    const { http } = client({
      isErrorBody: (data) => typeof (data as { errorCode?: unknown }).errorCode === 'string',
      errorDetails: (data) => {
        const body = data as { errorCode: string; errorMessage: string };
        return { message: body.errorMessage, code: body.errorCode };
      },
    });
    const error = await rejection(http.request({ operation: 'getOrder', method: 'GET', path: '/' }));
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.code).toBe('TXPG-42');
    expect(error.message).toBe('testpay getOrder failed with HTTP 200: Order not found.');
    handler = json(200, { status: 'ok' });
    expect((await http.request({ operation: 'getOrder', method: 'GET', path: '/' })).data).toEqual({
      status: 'ok',
    });
  });

  it("lets the provider's classifyError decide, falling back to the default", async () => {
    const contexts: unknown[] = [];
    const { http } = client({
      retry: { maxRetries: 0 },
      classifyError: (context) => {
        contexts.push({ ...context, response: context.response.status });
        if ((context.data as { code?: string } | undefined)?.code === 'declined') {
          return new PaymentDeclinedError('Card declined', {
            provider: 'testpay',
            statusCode: context.response.status,
            declineCode: 'insufficient_funds',
          });
        }
        return undefined;
      },
    });
    handler = json(402, { code: 'declined' }, { 'x-request-id': 'decline-1' });
    const declined = await rejection(http.request({ operation: 'charge', method: 'POST', path: '/charge' }));
    expect(PaymentDeclinedError.isInstance(declined)).toBe(true);
    expect((declined as PaymentDeclinedError).declineCode).toBe('insufficient_funds');
    expect(contexts[0]).toEqual({
      response: 402,
      data: { code: 'declined' },
      idempotent: false,
      requestId: 'decline-1',
      operation: 'charge',
    });
    handler = json(404, { code: 'other' });
    expect(
      NotFoundError.isInstance(await rejection(http.request({ operation: 'x', method: 'GET', path: '/' }))),
    ).toBe(true);
  });

  it('refuses a redirect instead of following it, and hides secrets in its location', async () => {
    handler = (_request, response) => {
      response.writeHead(302, { location: 'https://login.test/auth?token=s3cr3t&next=/' });
      response.end();
    };
    const { http } = client();
    const error = await rejection(http.request({ operation: 'getOrder', method: 'GET', path: '/' }));
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      `testpay answered getOrder with an unexpected redirect (302) to https://login.test/auth?token=${REDACTED}&next=/: check the base URL.`,
    );
    expect(received).toHaveLength(1);
  });

  it('removes the configured secrets and known secret fields from messages and raw bodies', async () => {
    const secret = 'client-secret-0123456789';
    handler = json(400, {
      message: `Invalid client secret ${secret}`,
      echo: { client_secret: secret, note: `used ${secret}`, card: '4111111111111111' },
    });
    const { http } = client({ secrets: () => [secret], errorDetails: (data) => data as { message: string } });
    const error = await rejection(http.request({ operation: 'token', method: 'POST', path: '/token' }));
    expect(error.message).toBe(`testpay token failed with HTTP 400: Invalid client secret ${REDACTED}.`);
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain('4111111111111111');
    expect(error.rawBody).toEqual({
      message: `Invalid client secret ${REDACTED}`,
      echo: { client_secret: REDACTED, note: `used ${REDACTED}`, card: '****1111' },
    });

    handler = (_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`failed for ${secret}`);
    };
    const plain = await rejection(
      client({ secrets: () => [secret], retry: { maxRetries: 0 } }).http.request({
        operation: 'x',
        method: 'GET',
        path: '/',
      }),
    );
    expect(plain.message).not.toContain(secret);
    expect(plain.rawBody).toBe(`failed for ${REDACTED}`);

    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' });
      response.end(`access_token=tok-987654&secret=${secret}`);
    };
    const form = await rejection(
      client({ secrets: () => [secret] }).http.request({ operation: 'x', method: 'GET', path: '/' }),
    );
    expect(form.message).not.toContain('tok-987654');
    expect(JSON.stringify(form)).not.toContain(secret);
  });
});

describe('retries', () => {
  it('retries a GET on 503 with exponential backoff and jitter', async () => {
    handler = sequence(json(503, {}), json(503, {}), json(503, {}), json(200, { ok: true }));
    const { http, delays } = client({ retry: { maxRetries: 3 }, random: () => 0 });
    const result = await http.request({ operation: 'getOrder', method: 'GET', path: '/' });
    expect(result.attempts).toBe(4);
    expect(received).toHaveLength(4);
    // 500 * 2^(n-1), scaled by the jitter factor 0.5 + random/2, floored at the initial 500.
    expect(delays).toEqual([500, 500, 1000]);

    received = [];
    handler = sequence(json(503, {}), json(503, {}), json(503, {}), json(200, { ok: true }));
    const top = client({ retry: { maxRetries: 3, initialDelayMs: 100, maxDelayMs: 300 }, random: () => 1 });
    await top.http.request({ operation: 'getOrder', method: 'GET', path: '/' });
    expect(top.delays).toEqual([100, 200, 300]);
  });

  it('stops after maxRetries (settings, then per call)', async () => {
    handler = json(503, { down: true });
    const { http } = client();
    const error = await rejection(http.request({ operation: 'x', method: 'GET', path: '/' }));
    expect(GatewayError.isInstance(error)).toBe(true);
    expect(received).toHaveLength(3); // default: 2 retries
    received = [];
    await rejection(http.request({ operation: 'x', method: 'GET', path: '/', options: { maxRetries: 0 } }));
    expect(received).toHaveLength(1);
    received = [];
    await rejection(
      client({ retry: { maxRetries: 4 } }).http.request({ operation: 'x', method: 'GET', path: '/' }),
    );
    expect(received).toHaveLength(5);
    received = [];
    await rejection(http.request({ operation: 'x', method: 'GET', path: '/', options: { maxRetries: -3 } }));
    expect(received).toHaveLength(1);
  });

  it('never repeats a POST without an idempotency key after a 5xx (it may have been processed)', async () => {
    handler = json(503, {});
    const { http, delays } = client();
    const error = await rejection(
      http.request({ operation: 'createOrder', method: 'POST', path: '/orders', json: {} }),
    );
    expect(GatewayError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(received).toHaveLength(1);
    expect(delays).toEqual([]);
    received = [];
    await rejection(http.request({ operation: 'update', method: 'PATCH', path: '/orders/1', json: {} }));
    expect(received).toHaveLength(1);
  });

  it('retries PUT and DELETE, which are idempotent by definition', async () => {
    for (const method of ['PUT', 'DELETE'] as const) {
      received = [];
      handler = sequence(json(502, {}), json(200, {}));
      const result = await client().http.request({ operation: 'x', method, path: '/thing/1' });
      expect(result.attempts).toBe(2);
    }
  });

  it('retries a keyed POST, sending the same generated key on every attempt', async () => {
    handler = sequence(json(500, {}), resetConnection, json(201, { id: 'ord_1' }));
    const { http } = client();
    const result = await http.request({
      operation: 'createOrder',
      method: 'POST',
      path: '/orders',
      json: { amount: 1 },
      idempotencyHeader: 'Idempotency-Key',
    });
    expect(result.attempts).toBe(3);
    const keys = received.map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(keys).size).toBe(1);
    expect(result.idempotencyKey).toBe(keys[0]);
  });

  it('generates a new key per logical call', async () => {
    handler = json(200, {});
    const { http } = client();
    const call = {
      operation: 'refund',
      method: 'POST',
      path: '/refund',
      idempotencyHeader: 'Idempotency-Key',
    } as const;
    const first = await http.request(call);
    const second = await http.request(call);
    expect(first.idempotencyKey).not.toBe(second.idempotencyKey);
    expect(received.map((request) => request.headers['idempotency-key'])).toEqual([
      first.idempotencyKey,
      second.idempotencyKey,
    ]);
  });

  it("uses the caller's idempotency key, which a per-request header cannot override", async () => {
    handler = sequence(json(503, {}), json(200, {}));
    const { http } = client();
    const result = await http.request({
      operation: 'refund',
      method: 'POST',
      path: '/refund',
      idempotencyHeader: 'Idempotency-Key',
      options: { idempotencyKey: 'order-42-refund-1', headers: { 'idempotency-key': 'other' } },
    });
    expect(result.idempotencyKey).toBe('order-42-refund-1');
    expect(received.map((request) => request.headers['idempotency-key'])).toEqual([
      'order-42-refund-1',
      'order-42-refund-1',
    ]);
  });

  it('lets a call override the retry safety explicitly', async () => {
    handler = json(503, {});
    const { http } = client();
    await rejection(http.request({ operation: 'x', method: 'GET', path: '/', idempotent: false }));
    expect(received).toHaveLength(1);
    received = [];
    handler = sequence(json(503, {}), json(200, {}));
    const result = await http.request({
      operation: 'search',
      method: 'POST',
      path: '/search',
      idempotent: true,
    });
    expect(result.attempts).toBe(2);
  });

  it('retries 429 on a safe call, honouring Retry-After in seconds', async () => {
    handler = sequence(json(429, { error: 'slow down' }, { 'retry-after': '2' }), json(200, { ok: true }));
    const { http, delays } = client();
    const result = await http.request({ operation: 'getOrder', method: 'GET', path: '/orders/1' });
    expect(result.attempts).toBe(2);
    expect(delays).toEqual([2000]);
    received = [];
    handler = sequence(json(429, {}, { 'retry-after': '1' }), json(201, {}));
    const keyed = await http.request({
      operation: 'createOrder',
      method: 'POST',
      path: '/orders',
      idempotencyHeader: 'Idempotency-Key',
    });
    expect(keyed.attempts).toBe(2);
    expect(new Set(received.map((request) => request.headers['idempotency-key'])).size).toBe(1);
  });

  it('leaves a 429 on a POST without key to the caller, saying when to try again', async () => {
    handler = json(429, { error: 'slow down' }, { 'retry-after': '2' });
    const { http, delays } = client();
    const error = await rejection(
      http.request({ operation: 'createOrder', method: 'POST', path: '/orders', json: {} }),
    );
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect((error as RateLimitError).retryAfterMs).toBe(2000);
    expect(received).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 3000).toUTCString();
    handler = sequence(json(429, {}, { 'retry-after': at }), json(200, {}));
    const { http, delays } = client();
    await http.request({ operation: 'x', method: 'GET', path: '/' });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThan(1000);
    expect(delays[0]).toBeLessThanOrEqual(3000);
  });

  it('does not wait for a Retry-After longer than maxRetryAfterMs: the RateLimitError is thrown', async () => {
    handler = json(429, { error: 'quota' }, { 'retry-after': '3600' });
    const { http, delays } = client({ retry: { maxRetryAfterMs: 10_000 } });
    const error = await rejection(http.request({ operation: 'x', method: 'GET', path: '/' }));
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
    expect(error.message).toContain('Too many requests');
    expect(received).toHaveLength(1);
    expect(delays).toEqual([]);
    // The default ceiling is one minute.
    received = [];
    handler = json(429, {}, { 'retry-after': '61' });
    await rejection(client().http.request({ operation: 'x', method: 'GET', path: '/' }));
    expect(received).toHaveLength(1);
  });

  it('retries a refused connection for any call: nothing reached the server', async () => {
    const { http, delays } = client({ baseUrl: await closedPortUrl() });
    const { events, hooks } = collectHooks();
    const withHooks = createHttpClient({ ...http.settings, hooks });
    const error = await rejection(
      withHooks.request({ operation: 'createOrder', method: 'POST', path: '/orders' }),
    );
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.retryable).toBe(true);
    expect((error as ConnectionError).requestSent).toBe(false);
    expect(error.message).toMatch(/^Could not reach testpay \(ECONNREFUSED: .*\)\. Nothing was sent\.$/);
    expect(events.retry.map((event) => event.attempt)).toEqual([1, 2]);
    expect(events.retry.map((event) => event.delayMs)).toEqual([500, 750]);
    expect(delays).toEqual([500, 750]);
    expect(events.error[0]?.attempts).toBe(3);
  });

  it('does not repeat a POST without key whose connection was reset after it was sent', async () => {
    handler = resetConnection;
    const { http } = client();
    const error = await rejection(
      http.request({ operation: 'createOrder', method: 'POST', path: '/orders', json: {} }),
    );
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect((error as ConnectionError).requestSent).toBe(true);
    expect(error.message).toContain('The request may have been received: the outcome is unknown.');
    expect(received).toHaveLength(1);
  });

  it('repeats a GET whose connection was reset', async () => {
    handler = sequence(resetConnection, json(200, { ok: true }));
    const result = await client().http.request({ operation: 'getOrder', method: 'GET', path: '/' });
    expect(result.attempts).toBe(2);
    expect(result.data).toEqual({ ok: true });
  });

  it('repeats a provider-classified retryable error on a POST (the gateway guarantees nothing was done)', async () => {
    handler = sequence(json(503, { notExecuted: true }), json(201, { id: 'x' }));
    const { http } = client({
      classifyError: ({ response, data }) =>
        (data as { notExecuted?: boolean }).notExecuted
          ? new GatewayError('not executed', {
              provider: 'testpay',
              statusCode: response.status,
              retryable: true,
            })
          : undefined,
    });
    const result = await http.request({ operation: 'createOrder', method: 'POST', path: '/orders' });
    expect(result.attempts).toBe(2);
  });
});

describe('timeouts', () => {
  it('times out a body that stalls after the headers', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"partial":');
      // ...and never finishes.
    };
    const { http } = client({ timeoutMs: 150, retry: { maxRetries: 0 } });
    const started = performance.now();
    const error = await rejection(http.request({ operation: 'getOrder', method: 'GET', path: '/' }));
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(150);
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      'testpay did not answer within 150 ms. The outcome is unknown: check the payment before repeating a money-moving call.',
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('times out a server that never answers; a POST without key is not retried', async () => {
    handler = () => {};
    const { http } = client({ timeoutMs: 100 });
    const error = await rejection(
      http.request({ operation: 'createOrder', method: 'POST', path: '/orders' }),
    );
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(received).toHaveLength(1);
  });

  it('retries a timed out GET, and takes a per-call timeout', async () => {
    let count = 0;
    handler = (_request, response) => {
      if (++count === 1) return; // the first attempt hangs
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    };
    const { http } = client({ timeoutMs: 60_000 });
    const result = await http.request({
      operation: 'getOrder',
      method: 'GET',
      path: '/',
      options: { timeout: 100 },
    });
    expect(result.attempts).toBe(2);
  });
});

describe('AbortSignal', () => {
  it('aborts a request in flight with the caller’s reason', async () => {
    handler = () => {};
    const { http } = client({ timeoutMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user navigated away')), 50);
    const started = performance.now();
    await expect(
      http.request({
        operation: 'getOrder',
        method: 'GET',
        path: '/',
        options: { signal: controller.signal },
      }),
    ).rejects.toThrow('user navigated away');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(received).toHaveLength(1);
  });

  it('aborts while waiting between retries', async () => {
    handler = json(503, {});
    const http = createHttpClient({ provider: 'testpay', baseUrl, retry: { initialDelayMs: 10_000 } });
    const controller = new AbortController();
    const { events, hooks } = collectHooks();
    const withHooks = createHttpClient({
      ...http.settings,
      hooks: {
        ...hooks,
        onRetry: (event) => {
          events.retry.push(event);
          setTimeout(() => controller.abort(new Error('shutting down')), 20);
        },
      },
    });
    const started = performance.now();
    await expect(
      withHooks.request({ operation: 'x', method: 'GET', path: '/', options: { signal: controller.signal } }),
    ).rejects.toThrow('shutting down');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(received).toHaveLength(1);
    expect(events.retry).toHaveLength(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    handler = json(200, {});
    await expect(
      client().http.request({
        operation: 'x',
        method: 'GET',
        path: '/',
        options: { signal: AbortSignal.abort(new Error('too late')) },
      }),
    ).rejects.toThrow('too late');
    expect(received).toHaveLength(0);
  });

  it('sends nothing when the caller aborts while the auth headers are fetched', async () => {
    handler = json(200, {});
    const controller = new AbortController();
    const promise = client().http.request({
      operation: 'x',
      method: 'GET',
      path: '/',
      options: { signal: controller.signal },
      auth: async () => {
        controller.abort(new Error('aborted during auth'));
        return { authorization: 'Bearer t' };
      },
    });
    await expect(promise).rejects.toThrow('aborted during auth');
    expect(received).toHaveLength(0);
  });
});

describe('auth', () => {
  it('refreshes the token once on 401 and repeats the call (also a POST without key)', async () => {
    handler = (request, response) => {
      const ok = request.headers.authorization === 'Bearer fresh';
      json(ok ? 200 : 401, ok ? { id: 'ord_1' } : { error: 'invalid_token' })(
        request,
        response,
        undefined as never,
      );
    };
    const calls: boolean[] = [];
    const { http } = client();
    const result = await http.request({
      operation: 'createOrder',
      method: 'POST',
      path: '/orders',
      json: { amount: 1 },
      auth: async (forceRefresh) => {
        calls.push(forceRefresh);
        return { authorization: `Bearer ${forceRefresh ? 'fresh' : 'stale'}` };
      },
    });
    expect(result.data).toEqual({ id: 'ord_1' });
    expect(result.attempts).toBe(1); // the 401 round does not count as a retry
    expect(calls).toEqual([false, true]);
    expect(received.map((request) => request.headers.authorization)).toEqual([
      'Bearer stale',
      'Bearer fresh',
    ]);
  });

  it('gives up with AuthenticationError when the fresh token is refused too', async () => {
    handler = json(401, { error: 'invalid_client' });
    const calls: boolean[] = [];
    const { http } = client();
    const error = await rejection(
      http.request({
        operation: 'getOrder',
        method: 'GET',
        path: '/',
        auth: async (forceRefresh) => {
          calls.push(forceRefresh);
          return { authorization: 'Bearer x' };
        },
      }),
    );
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error.statusCode).toBe(401);
    expect(calls).toEqual([false, true]);
    expect(received).toHaveLength(2);
  });

  it('passes an auth failure through unchanged, without sending, and reports it to onError', async () => {
    handler = json(200, {});
    const { events, hooks } = collectHooks();
    const { http } = client({ hooks });
    const tokenError = new AuthenticationError('token endpoint refused the client', { provider: 'testpay' });
    const error = await rejection(
      http.request({
        operation: 'x',
        method: 'GET',
        path: '/',
        auth: async () => Promise.reject(tokenError),
      }),
    );
    expect(error).toBe(tokenError);
    expect(received).toHaveLength(0);
    expect(events.error[0]?.error).toBe(tokenError);
    const plain = new TypeError('bug in auth');
    await expect(
      http.request({ operation: 'x', method: 'GET', path: '/', auth: async () => Promise.reject(plain) }),
    ).rejects.toBe(plain);
  });
});

describe('hooks', () => {
  const secret = 'sk-live-abcdef123456';

  it('see every request, response, retry and final error, redacted', async () => {
    handler = sequence(
      json(503, { error: 'busy' }, { 'x-request-id': 'r1' }),
      json(200, { id: 'ord_1', access_token: 'returned-token' }, { 'x-request-id': 'r2' }),
    );
    const { events, hooks } = collectHooks();
    const { http } = client({
      hooks,
      secrets: () => [secret],
      headers: { 'x-api-key': secret },
    });
    await http.request({
      operation: 'createOrder',
      method: 'POST',
      path: '/orders',
      query: { token: 'query-token', lang: 'ka' },
      json: { amount: 1050, card: { number: '4111111111111111', cvv: '123' }, note: `key ${secret}` },
      idempotencyHeader: 'Idempotency-Key',
      auth: async () => ({ authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig' }),
    });
    expect(events.request).toHaveLength(2);
    const first = events.request[0] as RequestHookEvent;
    expect(first).toMatchObject({
      provider: 'testpay',
      operation: 'createOrder',
      method: 'POST',
      attempt: 1,
      url: `${baseUrl}/orders?token=${REDACTED}&lang=ka`,
    });
    expect(first.idempotencyKey).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(first.headers.authorization).toBe(REDACTED);
    expect(first.headers['x-api-key']).toBe(REDACTED);
    expect(first.headers['idempotency-key']).toBe(first.idempotencyKey);
    expect(first.body).toEqual({
      amount: 1050,
      card: { number: '****1111', cvv: REDACTED },
      note: `key ${REDACTED}`,
    });
    expect(events.request[1]?.attempt).toBe(2);

    expect(events.response.map((event) => [event.statusCode, event.requestId, event.attempt])).toEqual([
      [503, 'r1', 1],
      [200, 'r2', 2],
    ]);
    expect(events.response[1]?.responseBody).toEqual({ id: 'ord_1', access_token: REDACTED });
    expect(events.response[1]?.durationMs).toBeGreaterThanOrEqual(0);

    expect(events.retry).toHaveLength(1);
    expect(events.retry[0]).toMatchObject({ attempt: 1, delayMs: 500, idempotencyKey: first.idempotencyKey });
    expect(GatewayError.isInstance(events.retry[0]?.error)).toBe(true);
    expect(events.error).toHaveLength(0);

    const serialized = JSON.stringify(events);
    expect(serialized).not.toContain(secret);
    expect(serialized).not.toContain('4111111111111111');
    expect(serialized).not.toContain('query-token');
    expect(serialized).not.toContain('returned-token');
    expect(serialized).not.toContain('eyJhbGciOiJIUzI1NiJ9');
  });

  it('strip the configured secrets from URLs too', async () => {
    handler = json(500, {});
    const { events, hooks } = collectHooks();
    const { http } = client({ hooks, secrets: () => ['merchant-key-in-path'], retry: { maxRetries: 1 } });
    await rejection(
      http.request({ operation: 'x', method: 'GET', path: '/merchants/merchant-key-in-path/orders' }),
    );
    expect(received[0]?.url).toBe('/merchants/merchant-key-in-path/orders');
    const urls = [...events.request, ...events.response, ...events.retry, ...events.error].map(
      (event) => event.url,
    );
    expect(urls).toHaveLength(6); // 2 requests, 2 responses, 1 retry, 1 final error
    for (const url of urls) expect(url).toBe(`${baseUrl}/merchants/${REDACTED}/orders`);
  });

  it('reports the final error to onError', async () => {
    handler = json(404, { message: 'nope' });
    const { events, hooks } = collectHooks();
    const error = await rejection(
      client({ hooks }).http.request({ operation: 'getOrder', method: 'GET', path: '/o' }),
    );
    expect(events.error).toHaveLength(1);
    expect(events.error[0]).toMatchObject({ operation: 'getOrder', attempts: 1, url: `${baseUrl}/o` });
    expect(events.error[0]?.error).toBe(error);
  });

  it('a throwing or rejecting hook changes nothing', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const boom = () => {
        throw new Error('logger crashed');
      };
      const reject = async () => {
        throw new Error('async logger crashed');
      };
      for (const hook of [boom, reject]) {
        received = [];
        handler = sequence(json(503, {}), json(200, { ok: true }));
        const { http } = client({
          hooks: { onRequest: hook, onResponse: hook, onRetry: hook, onError: hook },
        });
        const result = await http.request({ operation: 'x', method: 'GET', path: '/' });
        expect(result.data).toEqual({ ok: true });
        expect(result.attempts).toBe(2);
        handler = json(404, {});
        expect(
          NotFoundError.isInstance(
            await rejection(http.request({ operation: 'x', method: 'GET', path: '/' })),
          ),
        ).toBe(true);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('client', () => {
  it('exposes its settings and a redact bound to its secrets', () => {
    const { http } = client({ secrets: () => ['merchant-secret-value'] });
    expect(http.settings.provider).toBe('testpay');
    expect(http.redact({ note: 'merchant-secret-value', password: 'x' })).toEqual({
      note: REDACTED,
      password: REDACTED,
    });
  });

  it('classifies a transport failure without a code as a connection error', async () => {
    const transport: Transport = {
      name: 'broken',
      request: async () => {
        throw 'a string, not an Error';
      },
    };
    const { http } = client({ transport, retry: { maxRetries: 0 } });
    const error = await rejection(http.request({ operation: 'x', method: 'GET', path: '/' }));
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.message).toContain('network error: a string, not an Error');
  });

  it('passes a Colchis error thrown by a transport through', async () => {
    const own = new GatewayError('from transport', { retryable: false });
    const { http } = client({ transport: { name: 'x', request: async () => Promise.reject(own) } });
    expect(await rejection(http.request({ operation: 'x', method: 'GET', path: '/' }))).toBe(own);
  });

  it('reports a TLS failure as a configuration-type connection error that is not retried', async () => {
    const tlsError = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    const { http } = client({ transport: { name: 'x', request: async () => Promise.reject(tlsError) } });
    const error = await rejection(http.request({ operation: 'x', method: 'GET', path: '/' }));
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('TLS handshake with testpay failed (SELF_SIGNED_CERT_IN_CHAIN');
    expect(error.message).toContain('Check the client certificate, its key and the CA bundle.');
  });

  it('works over the fetch transport against the same server', async () => {
    handler = sequence(json(503, {}), json(200, { via: 'fetch' }));
    const { http } = client({ transport: fetchTransport() });
    const result = await http.request({
      operation: 'x',
      method: 'POST',
      path: '/p',
      json: { a: 1 },
      idempotencyHeader: 'Idempotency-Key',
    });
    expect(result.data).toEqual({ via: 'fetch' });
    expect(received).toHaveLength(2);
    expect(received[0]?.headers['idempotency-key']).toBe(received[1]?.headers['idempotency-key']);
  });
});
