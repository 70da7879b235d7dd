import {
  AuthenticationError,
  InvalidRequestError,
  NotFoundError,
  ResponseValidationError,
} from '@colchis/core';
import {
  type CannedResponse,
  type FaultServer,
  type RecordedRequest,
  startFaultServer,
} from '@colchis/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BogClient } from './bog-client.js';
import { toBogIdempotencyKey } from './bog-idempotency-key.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SECRET = 'client-secret-never-shown-9d1c';
let server: FaultServer;
let next: CannedResponse | undefined;
let bog: BogClient;

beforeAll(async () => {
  server = await startFaultServer((request: RecordedRequest) => {
    if (request.url === '/token') {
      return { status: 200, body: { access_token: 'access-token', token_type: 'Bearer', expires_in: 3600 } };
    }
    return next ?? { status: 200, body: { key: 'request_received', message: 'ok', action_id: 'act-1' } };
  });
  bog = new BogClient({
    clientId: 'client-test',
    clientSecret: SECRET,
    environment: 'sandbox',
    tokenUrl: `${server.url}/token`,
    apiUrl: `${server.url}/payments/v1`,
    paymentPageUrl: `${server.url}/page/`,
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  next = undefined;
});

const apiRequests = () => server.requests.filter((request) => request.url !== '/token');
const only = () => {
  const requests = apiRequests();
  expect(requests).toHaveLength(1);
  return requests[0] as RecordedRequest;
};
const order = {
  callbackUrl: 'https://shop.example/cb',
  purchaseUnits: { totalAmount: 1050, basket: [{ productId: 'p', quantity: 1, unitPrice: 1050 }] },
};

describe('BogClient requests', () => {
  it('creates an order with a Bearer token, a UUID Idempotency-Key, Accept-Language and Theme', async () => {
    next = {
      status: 200,
      body: {
        id: 'order-1',
        _links: {
          details: { href: 'https://x/receipt/order-1' },
          redirect: { href: 'https://pay/?order_id=order-1' },
        },
      },
    };
    const created = await bog.createOrder(order, { language: 'en', theme: 'dark' });
    const request = only();
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/payments/v1/ecommerce/orders');
    expect(request.headers.authorization).toBe('Bearer access-token');
    expect(request.headers['idempotency-key']).toMatch(UUID);
    expect(request.headers['accept-language']).toBe('en');
    expect(request.headers.theme).toBe('dark');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toMatch(/^@colchis\/bog\//);
    expect(request.body).toBe(
      '{"callback_url":"https://shop.example/cb","purchase_units":{"currency":"GEL","total_amount":10.5,"basket":[{"product_id":"p","quantity":1,"unit_price":10.5}]}}',
    );
    expect(created).toMatchObject({
      id: 'order-1',
      redirectUrl: 'https://pay/?order_id=order-1',
      detailsUrl: 'https://x/receipt/order-1',
      idempotencyKey: request.headers['idempotency-key'],
    });
  });

  it('omits Accept-Language and Theme unless asked, and falls back to the hosted page for a missing redirect link', async () => {
    next = { status: 200, body: { id: 'order-2' } };
    const created = await bog.createOrder(order);
    const request = only();
    expect(request.headers['accept-language']).toBeUndefined();
    expect(request.headers.theme).toBeUndefined();
    expect(created.redirectUrl).toBe(`${server.url}/page/?order_id=order-2`);
  });

  it('sends a caller UUID key unchanged and turns any other key into a stable UUID', async () => {
    const uuid = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
    next = { status: 200, body: { id: 'order-3' } };
    await bog.createOrder(order, { idempotencyKey: uuid });
    expect(only().headers['idempotency-key']).toBe(uuid);
    server.reset();
    await bog.createOrder(order, { idempotencyKey: 'enrollment-42' });
    const derived = only().headers['idempotency-key'];
    expect(derived).toMatch(UUID);
    expect(derived).toBe(await toBogIdempotencyKey('enrollment-42'));
    expect(await toBogIdempotencyKey('enrollment-42', 'save-card')).not.toBe(derived);
  });

  it('refunds with the amount in major units, or with an empty body for a full refund', async () => {
    const result = await bog.refund('order-1', { amount: 1999 });
    let request = only();
    expect(request.url).toBe('/payments/v1/payment/refund/order-1');
    expect(request.body).toBe('{"amount":19.99}');
    expect(request.headers['idempotency-key']).toMatch(UUID);
    expect(result).toMatchObject({ accepted: true, key: 'request_received', actionId: 'act-1' });
    server.reset();
    await bog.refund('order-1');
    request = only();
    expect(request.body).toBe('{}');
  });

  it('approves and cancels pre-authorizations at the documented paths', async () => {
    await bog.approvePreauthorization('order-1', { amount: 500, description: 'partial' });
    expect(only()).toMatchObject({
      url: '/payments/v1/payment/authorization/approve/order-1',
      body: '{"amount":5,"description":"partial"}',
    });
    server.reset();
    await bog.cancelPreauthorization('order-1', { description: 'out of stock' });
    expect(only()).toMatchObject({
      url: '/payments/v1/payment/authorization/cancel/order-1',
      body: '{"description":"out of stock"}',
    });
  });

  it('saves, charges and deletes saved cards at the documented paths', async () => {
    next = { status: 202, body: '' };
    await bog.saveCardForRecurrentPayments('order-1');
    expect(only()).toMatchObject({ method: 'PUT', url: '/payments/v1/orders/order-1/cards' });
    server.reset();
    await bog.saveCardForAutomaticPayments('order-1');
    expect(only()).toMatchObject({ method: 'PUT', url: '/payments/v1/orders/order-1/subscriptions' });
    expect(only().headers['idempotency-key']).toMatch(UUID);
    server.reset();
    await bog.deleteSavedCard('order-1');
    expect(only()).toMatchObject({ method: 'DELETE', url: '/payments/v1/charges/card/order-1' });
    server.reset();
    next = {
      status: 200,
      body: { id: 'child-1', _links: { details: { href: 'https://x/receipt/child-1' } } },
    };
    const charge = await bog.chargeSubscription('order-1', {
      externalOrderId: 'renewal-3',
      callbackUrl: 'https://shop.example/cb',
    });
    expect(only()).toMatchObject({
      method: 'POST',
      url: '/payments/v1/ecommerce/orders/order-1/subscribe',
      body: '{"callback_url":"https://shop.example/cb","external_order_id":"renewal-3"}',
    });
    expect(charge).toMatchObject({ id: 'child-1', detailsUrl: 'https://x/receipt/child-1' });
    server.reset();
    next = {
      status: 200,
      body: { id: 'child-2', _links: { redirect: { href: 'https://pay/?order_id=child-2' } } },
    };
    const recurrent = await bog.payWithSavedCard('order-1', order);
    expect(only()).toMatchObject({ method: 'POST', url: '/payments/v1/ecommerce/orders/order-1' });
    expect(recurrent.redirectUrl).toBe('https://pay/?order_id=child-2');
  });

  it('completes external Apple Pay with the token as a string', async () => {
    next = {
      status: 200,
      body: {
        id: 'order-9',
        status: 'completed',
        order_details: { order_id: 'order-9', order_status: { key: 'completed' } },
      },
    };
    const result = await bog.completeApplePayPayment('order-9', { paymentData: { version: 'EC_v1' } });
    expect(only()).toMatchObject({
      url: '/payments/v1/ecommerce/orders/order-9/payment',
      body: JSON.stringify({ apple_pay_token: '{"paymentData":{"version":"EC_v1"}}' }),
    });
    expect(result.orderDetails?.status).toBe('completed');
  });

  it('encodes order ids in paths and refuses empty ones before any request', async () => {
    next = { status: 200, body: { order_id: 'a/b', order_status: { key: 'created' } } };
    await bog.getPaymentDetails('a/b');
    expect(only().url).toBe('/payments/v1/receipt/a%2Fb');
    server.reset();
    await expect(bog.getPaymentDetails('')).rejects.toSatisfy((error) =>
      InvalidRequestError.isInstance(error),
    );
    await expect(bog.refund('order-1', { amount: 0 })).rejects.toThrow(/more than zero/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('BogClient errors', () => {
  it('reports 400 "Invalid order_id" as NotFoundError', async () => {
    next = { status: 400, body: { message: 'Invalid order_id' } };
    const error = await bog.getPaymentDetails('missing').catch((caught: unknown) => caught);
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect((error as NotFoundError).statusCode).toBe(400);
  });

  it('reports 403 as a feature not activated for the merchant', async () => {
    next = { status: 403, body: { error: 'forbidden' } };
    await expect(bog.saveCardForAutomaticPayments('order-1')).rejects.toSatisfy(
      (error) => AuthenticationError.isInstance(error) && /activated/.test((error as Error).message),
    );
  });

  it('reports other 400s as InvalidRequestError with BOG message', async () => {
    next = { status: 400, body: { message: 'amount cannot exceed transfer_amount' } };
    await expect(bog.refund('order-1', { amount: 100 })).rejects.toSatisfy(
      (error) => InvalidRequestError.isInstance(error) && /transfer_amount/.test((error as Error).message),
    );
  });

  it('reports an unreadable answer as ResponseValidationError naming the field', async () => {
    next = { status: 200, body: { _links: {} } };
    const error = await bog.createOrder(order).catch((caught: unknown) => caught);
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/\(at id\)/);
  });

  it('never puts the client secret in an error', async () => {
    next = { status: 500, body: { message: `boom ${SECRET}` } };
    const error = await bog
      .getPaymentDetails('order-1', { maxRetries: 0 })
      .catch((caught: unknown) => caught);
    expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toContain(SECRET);
  });
});
