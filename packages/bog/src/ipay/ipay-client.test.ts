import { readFileSync } from 'node:fs';
import { AuthenticationError, ColchisError, InvalidRequestError, toDecimalString } from '@colchis/core';
import { type FaultServer, type RecordedRequest, startFaultServer } from '@colchis/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIpayClient, type IpayClient } from './ipay-client.js';
import type { IpayCreateOrderRequest } from './ipay-requests.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

const SECRET_KEY = 'client-test-secret-93c1';
let server: FaultServer;
let answers: Record<string, { status: number; body?: unknown }> = {};
let tokenCounter = 0;

function serve(request: RecordedRequest) {
  if (request.url === '/oauth2/token') {
    return {
      status: 200,
      body: {
        ...(fixture('token-response.json') as object),
        access_token: `token-${++tokenCounter}`,
        expires_in: Date.now() + 3_600_000,
      },
    };
  }
  return answers[`${request.method} ${request.url}`];
}

function client(overrides: Parameters<typeof createIpayClient>[0] = {}): IpayClient {
  // A private token cache per client, so the token requests of each test are its own.
  return createIpayClient({
    baseUrl: server.url,
    clientId: 'client-test',
    secretKey: SECRET_KEY,
    maxRetries: 1,
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
    ...overrides,
  });
}

const apiRequests = () => server.requests.filter((request) => request.url !== '/oauth2/token');
const tokenRequests = () => server.requests.filter((request) => request.url === '/oauth2/token');

beforeAll(async () => {
  server = await startFaultServer((request) => serve(request));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  answers = {};
});

describe('ipay client: wire format', () => {
  it('gets a token with HTTP Basic client credentials, once for many calls', async () => {
    answers['GET /checkout/payment/o-1'] = { status: 200, body: fixture('payment-details-error.json') };
    const ipay = client({ clientId: 'token-test', secretKey: 'token-test-secret' });
    await Promise.all([
      ipay.getPaymentDetails('o-1'),
      ipay.getPaymentDetails('o-1'),
      ipay.getPaymentDetails('o-1'),
    ]);
    const tokens = tokenRequests();
    expect(tokens).toHaveLength(1);
    const [token] = tokens as [RecordedRequest];
    expect(token.method).toBe('POST');
    expect(token.headers.authorization).toBe(
      `Basic ${Buffer.from('token-test:token-test-secret').toString('base64')}`,
    );
    expect(token.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(token.body).toBe('grant_type=client_credentials');
    for (const request of apiRequests()) expect(request.headers.authorization).toMatch(/^Bearer token-\d+$/);
  });

  it('sends the documented Order Request as JSON and reads the answer', async () => {
    answers['POST /checkout/orders'] = { status: 200, body: fixture('create-order-response.json') };
    const request: IpayCreateOrderRequest = {
      intent: 'CAPTURE',
      items: [
        {
          amount: toDecimalString(1050, 'GEL'),
          description: 'test_product',
          quantity: 1,
          product_id: '123456',
        },
      ],
      locale: 'ka',
      shop_order_id: '123456',
      redirect_url: 'https://demo.ipay.ge/return',
      show_shop_order_id_on_extract: true,
      capture_method: 'AUTOMATIC',
      purchase_units: [{ amount: { currency_code: 'GEL', value: toDecimalString(1050, 'GEL') } }],
    };
    const answer = await client().createOrder(request);
    expect(answer.order_id).toBe('899318b1ce0d5885cb7405fe86e3930178ff90be');
    expect(answer.payment_hash).toBe('d7936f718c2b0ec2517a28c9de76966bcbecfe29');
    const [sent] = apiRequests() as [RecordedRequest];
    expect(sent.headers['content-type']).toBe('application/json');
    const documented = fixture('create-order-request.json') as Record<string, unknown>;
    const body = JSON.parse(sent.body) as Record<string, unknown>;
    // The same fields and values as the docs' example (which sends quantity as a string).
    expect(Object.keys(body).sort()).toEqual(Object.keys(documented).sort());
    expect(body.purchase_units).toEqual(documented.purchase_units);
    expect(body.items).toEqual([{ ...(documented.items as object[])[0], quantity: 1 }]);
  });

  it('sends a refund form-encoded with order_id and an exact decimal amount', async () => {
    answers['POST /checkout/refund'] = { status: 200 };
    const answer = await client().refund({
      order_id: '899318b1ce0d5885cb7405fe86e3930178ff90be',
      amount: toDecimalString(525, 'GEL'),
    });
    expect(answer).toEqual({});
    const [sent] = apiRequests() as [RecordedRequest];
    expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent.body).toBe(
      readFileSync(new URL('./__fixtures__/refund-request.txt', import.meta.url), 'utf8'),
    );
  });

  it('omits amount for a full refund, and never throws on an odd 2xx body after money moved', async () => {
    answers['POST /checkout/refund'] = { status: 200, body: 'OK' };
    const answer = await client().refund({ order_id: 'o-2' });
    expect(answer.message).toBe('OK');
    expect((apiRequests()[0] as RecordedRequest).body).toBe('order_id=o-2');
  });

  it('sends recurring and pre-authorization bodies as documented', async () => {
    answers['POST /checkout/payment/subscription'] = {
      status: 200,
      body: fixture('recurring-response.json'),
    };
    answers['POST /checkout/payment/o-3/pre-auth/completion'] = {
      status: 200,
      body: fixture('pre-auth-response.json'),
    };
    const ipay = client();
    const recurring = await ipay.createRecurringPayment(fixture('recurring-request.json') as never);
    expect(recurring.status).toBe('success');
    const full = await ipay.completePreAuthorization('o-3', { auth_type: 'FULL_COMPLETE' });
    expect(full.description).toBe('Pre-authorization successfully completed');
    await ipay.completePreAuthorization('o-3', { auth_type: 'PARTIAL_COMPLETE', amount: '10.50' });
    const [recurringSent, fullSent, partialSent] = apiRequests() as RecordedRequest[];
    expect(JSON.parse(recurringSent?.body ?? '')).toEqual(fixture('recurring-request.json'));
    expect(JSON.parse(fullSent?.body ?? '')).toEqual(fixture('pre-auth-full-complete-request.json'));
    expect(JSON.parse(partialSent?.body ?? '')).toEqual({ auth_type: 'PARTIAL_COMPLETE', amount: '10.50' });
  });

  it('checks requests before sending anything', async () => {
    const ipay = client();
    const valid: IpayCreateOrderRequest = {
      intent: 'CAPTURE',
      items: [{ amount: '1.00', description: 'x', quantity: 1, product_id: '1' }],
      redirect_url: 'https://shop.example/return',
      purchase_units: [{ amount: { currency_code: 'GEL', value: '1.00' } }],
    };
    const bad: Array<() => Promise<unknown>> = [
      () => ipay.createOrder({ ...valid, redirect_url: '/relative' }),
      () =>
        ipay.createOrder({
          ...valid,
          purchase_units: [{ amount: { currency_code: 'USD' as 'GEL', value: '1.00' } }],
        }),
      () =>
        ipay.createOrder({
          ...valid,
          purchase_units: [{ amount: { currency_code: 'GEL', value: '10.505' } }],
        }),
      () =>
        ipay.createOrder({
          ...valid,
          purchase_units: [{ amount: { currency_code: 'GEL', value: 10.5 as unknown as string } }],
        }),
      () => ipay.createOrder({ ...valid, items: [] }),
      () =>
        ipay.createOrder({
          ...valid,
          items: [{ amount: '1.00', description: 'x', quantity: 1.5, product_id: '1' }],
        }),
      () => ipay.refund({ order_id: 'o', amount: '0.00' }),
      () => ipay.refund({ order_id: '' }),
      () => ipay.completePreAuthorization('o', { auth_type: 'PARTIAL_COMPLETE' }),
      () => ipay.completePreAuthorization('o', { auth_type: 'CANCEL', amount: '1.00' }),
      () => ipay.createRecurringPayment({ order_id: 'o', amount: { currency_code: 'GEL', value: '-1' } }),
      () => ipay.getPaymentDetails(''),
    ];
    for (const call of bad) {
      await expect(call()).rejects.toSatisfy((error) => InvalidRequestError.isInstance(error));
    }
    expect(server.requests).toHaveLength(0);
  });

  it('turns an error answer into a typed error with the gateway message and no secret', async () => {
    answers['GET /checkout/payment/o-4'] = { status: 400, body: { message: 'Order not found' } };
    const error = await client()
      .getPaymentDetails('o-4')
      .catch((caught: unknown) => caught);
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('Order not found');

    const wrong = createIpayClient({
      baseUrl: `${server.url}/nowhere`,
      clientId: 'x',
      secretKey: SECRET_KEY,
    });
    const authError = await wrong.getPaymentDetails('o-4').catch((caught: unknown) => caught);
    expect(ColchisError.isInstance(authError)).toBe(true);
    expect(JSON.stringify({ ...(authError as object), message: (authError as Error).message })).not.toContain(
      SECRET_KEY,
    );
  });

  it('reports refused credentials as AuthenticationError', async () => {
    const refusing = await startFaultServer((request) =>
      request.url === '/oauth2/token'
        ? { status: 401, body: { error: 'invalid_client', error_description: 'Bad client credentials' } }
        : undefined,
    );
    try {
      const ipay = createIpayClient({ baseUrl: refusing.url, clientId: 'x', secretKey: SECRET_KEY });
      const error = await ipay.getPaymentDetails('o-5').catch((caught: unknown) => caught);
      expect(AuthenticationError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('Bad client credentials');
      expect((error as Error).message).not.toContain(SECRET_KEY);
    } finally {
      await refusing.close();
    }
  });
});
