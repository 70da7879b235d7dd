import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ColchisError, type Hooks, TimeoutError } from '@colchis/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeAdapter } from './stripe-adapter.js';

// Transport behaviour through the real stripe-node client against a local server that misbehaves
// in ways the contract suite does not cover: a body that trickles in, a caller that gives up.
const intent = readFileSync(new URL('./__fixtures__/payment-intent.json', import.meta.url), 'utf8');
let server: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    hits++;
    if (request.url?.startsWith('/v1/payment_intents/pi_trickle')) {
      // Never idle long enough for a socket timeout, never done within the deadline.
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write(' '), 50);
      response.on('close', () => clearInterval(timer));
      return;
    }
    const delay = request.url?.startsWith('/v1/payment_intents/pi_slow') ? 250 : 0;
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(intent);
    }, delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const adapter = (hooks?: Hooks) =>
  createStripeAdapter({
    apiKey: 'sk_test_requestTests00000000',
    stripeOptions: { host: '127.0.0.1', port, protocol: 'http', telemetry: false },
    timeoutMs: 300,
    maxRetries: 0,
    ...(hooks ? { hooks } : {}),
  });

describe('stripe adapter: the whole-attempt timeout and abort', () => {
  it('gives up on a body that keeps trickling past the timeout', async () => {
    const started = Date.now();
    const error = (await adapter()
      .getPayment('pi_trickle')
      .catch((caught: unknown) => caught)) as ColchisError;
    expect(TimeoutError.isInstance(error)).toBe(true);
    // The hard deadline: two network attempts and stripe-node's 500 ms re-send pause (1.2 s here).
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("stops waiting when the caller aborts, with the caller's reason", async () => {
    const controller = new AbortController();
    const reason = new Error('user navigated away');
    setTimeout(() => controller.abort(reason), 50);
    const started = Date.now();
    await expect(adapter().getPayment('pi_slow', { signal: controller.signal })).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('hands hooks the attempt, status and request shape, without the API key', async () => {
    const seen: unknown[] = [];
    const payment = await adapter({
      onRequest: (event) => seen.push(event),
      onResponse: (event) => seen.push(event),
    }).getPayment('pi_3MtwBwLkdIwHu7ix28a3tqPa');
    expect(payment.status).toBe('requires_action');
    expect(seen).toMatchObject([
      {
        provider: 'stripe',
        operation: 'getPayment',
        method: 'GET',
        url: `http://127.0.0.1:${port}/v1/payment_intents/pi_3MtwBwLkdIwHu7ix28a3tqPa`,
        attempt: 1,
      },
      { statusCode: 200, responseBody: { client_secret: '[REDACTED]' } },
    ]);
    expect(JSON.stringify(seen)).not.toContain('sk_test_requestTests');
    expect(hits).toBeGreaterThan(0);
  });
});
