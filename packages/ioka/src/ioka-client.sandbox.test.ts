import {
  AuthenticationError,
  ConfigurationError,
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  ResponseValidationError,
} from '@colchis/core';
import { startFaultServer } from '@colchis/core/testing';
import { type Sandbox, startSandbox } from '@colchis/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIokaClient, type IokaClient } from './ioka-client.js';
import { payOnHostedPage } from './ioka-sandbox.test-helper.js';
import { tenge } from './ioka-tenge.js';

let sandbox: Sandbox;
let client: IokaClient;
let counter = 0;
const externalId = (name: string) => `${name}-${Date.now()}-${++counter}`;

beforeAll(async () => {
  sandbox = await startSandbox();
  client = createIokaClient(sandbox.ioka.settings);
});
afterAll(async () => {
  await sandbox?.close();
});

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; statusCode?: number }> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

describe('ioka client against the sandbox', () => {
  it('creates an order with every OrderIn field and reads it back unwrapped', async () => {
    const id = externalId('full');
    const created = await client.orders.create({
      amount: tenge('1234.56'),
      currency: 'kzt',
      capture_method: 'MANUAL',
      external_id: id,
      description: 'Заказ #1',
      extra_info: { cart: ['a', 'b'] },
      attempts: 3,
      due_date: new Date(Date.UTC(2031, 0, 2, 3, 4, 5)),
      back_url: 'https://shop.example/back',
      success_url: 'https://shop.example/ok',
      failure_url: 'https://shop.example/fail',
      template: 'default',
    });
    expect(created.order_access_token).toMatch(/_secret_/);
    expect(created.order).toMatchObject({
      status: 'UNPAID',
      amount: 123456,
      currency: 'KZT',
      capture_method: 'MANUAL',
      external_id: id,
      attempts: 3,
      due_date: '2031-01-02T03:04:05',
      extra_info: { cart: ['a', 'b'] },
    });
    const order = await client.orders.get(created.order.id);
    expect(order.id).toBe(created.order.id);
    expect(order.checkout_url).toBe(created.order.checkout_url);
    expect(await client.orders.findByExternalId(id)).toMatchObject({ id: order.id });
    expect(await client.orders.findByExternalId(`${id}-none`)).toBeUndefined();
  });

  it('lists orders with filters, pages and the x-count total', async () => {
    const marker = externalId('listed');
    for (const amount of [1000, 2000, 3000]) {
      await client.orders.create({ amount, external_id: `${marker}-${amount}` });
    }
    const fixed = await client.orders.list({
      amount_category: 'FIXED',
      fixed_amount: 2000,
      order_status: 'UNPAID',
    });
    expect(fixed.data.every((order) => order.amount === 2000)).toBe(true);
    const first = await client.orders.list({ limit: 2, page: 1 });
    expect(first.data).toHaveLength(2);
    expect(first.total).toBeGreaterThanOrEqual(3);
    const range = await client.orders.list({
      amount_category: 'RANGE',
      min_amount: 1500,
      max_amount: 3000,
      from_dt: new Date(Date.now() - 60_000),
    });
    expect(range.data.every((order) => order.amount >= 1500 && order.amount <= 3000)).toBe(true);
  });

  it('covers payments, capture, refunds and events of an order', async () => {
    const { order } = await client.orders.create({
      amount: 50000,
      capture_method: 'MANUAL',
      external_id: externalId('p'),
    });
    await payOnHostedPage(order.checkout_url as string, { card_number: '5555555555555599' });
    const payments = await client.payments.list(order.id);
    expect(payments.total).toBe(1);
    const payment = payments.data[0];
    expect(payment).toMatchObject({ status: 'APPROVED', approved_amount: 50000, processing_fee: 0 });
    const fetched = await client.payments.get(order.id, payment?.id as string);
    expect(fetched.order_id).toBe(order.id);
    const captured = await client.payments.capture(order.id, fetched.id, {
      amount: 40000,
      reason: 'partial',
    });
    expect(captured).toMatchObject({ status: 'CAPTURED', captured_amount: 40000 });
    const refund = await client.payments.createRefund(order.id, fetched.id, { amount: 1000 });
    expect(refund).toMatchObject({ status: 'APPROVED', amount: 1000, payment_id: fetched.id });
    const orderRefund = await client.refunds.create(order.id, { amount: 500, reason: 'goodwill' });
    expect(await client.refunds.get(order.id, orderRefund.id)).toMatchObject({
      amount: 500,
      reason: 'goodwill',
    });
    const listed = await client.payments.listRefunds(order.id, fetched.id, { refund_status: 'APPROVED' });
    expect(listed.total).toBe(2);
    const events = await client.orders.listEvents(order.id);
    expect(events.map((event) => event.name)).toEqual(
      expect.arrayContaining([
        'ORDER_CREATED',
        'PAYMENT_CREATED',
        'PAYMENT_APPROVED',
        'PAYMENT_CAPTURED',
        'REFUND_APPROVED',
      ]),
    );
  });

  it('cancels at order and payment level', async () => {
    const one = (await client.orders.create({ amount: 10000, capture_method: 'MANUAL' })).order;
    await payOnHostedPage(one.checkout_url as string, { card_number: '5555555555555599' });
    expect(await client.orders.cancel(one.id, { reason: 'out of stock' })).toMatchObject({
      status: 'CANCELLED',
    });
    const two = (await client.orders.create({ amount: 10000, capture_method: 'MANUAL' })).order;
    await payOnHostedPage(two.checkout_url as string, { card_number: '5555555555555599' });
    const [payment] = (await client.payments.list(two.id)).data;
    expect(await client.payments.cancel(two.id, payment?.id as string)).toMatchObject({
      status: 'CANCELLED',
    });
    const error = await rejection(client.orders.capture(two.id, { amount: 10000 }));
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.code).toBe('OrderHasNoApprovedPayment');
    expect(error.message).toContain('OrderHasNoApprovedPayment');
  });

  it('maps ioka error bodies to typed errors with the ioka code', async () => {
    const missing = await rejection(client.orders.get('ord_DOESNOTEXIST'));
    expect(NotFoundError.isInstance(missing)).toBe(true);
    expect(missing).toMatchObject({ code: 'OrderNotFound', statusCode: 404, provider: 'ioka' });

    const id = externalId('dup');
    await client.orders.create({ amount: 100, external_id: id });
    const duplicate = await rejection(client.orders.create({ amount: 100, external_id: id }));
    expect(ConflictError.isInstance(duplicate)).toBe(true);
    expect(duplicate.code).toBe('OrderExists');

    const unpaid = (await client.orders.create({ amount: 1000 })).order;
    const refund = await rejection(client.refunds.create(unpaid.id, { amount: 500 }));
    expect(refund).toMatchObject({ code: 'OrderUnpaid', statusCode: 400 });

    const wrongKey = createIokaClient({ ...sandbox.ioka.settings, apiKey: 'not-the-sandbox-key-123' });
    const unauthorized = await rejection(wrongKey.orders.list());
    expect(AuthenticationError.isInstance(unauthorized)).toBe(true);
    expect(unauthorized.code).toBe('Unauthorized');
    expect(unauthorized.message).not.toContain('not-the-sandbox-key-123');
  });

  it('validates input before any request', async () => {
    let requests = 0;
    const counted = createIokaClient({
      ...sandbox.ioka.settings,
      hooks: { onRequest: () => void requests++ },
    });
    const calls: Array<() => Promise<unknown>> = [
      () => counted.orders.create({ amount: 0 }),
      () => counted.orders.create({ amount: 10.5 }),
      () => counted.orders.create({ amount: 100, attempts: 51 }),
      () => counted.orders.create({ amount: 100, capture_method: 'LATER' as 'AUTO' }),
      () => counted.orders.create({ amount: 100, back_url: 'ftp://nope' }),
      () => counted.orders.create({ amount: 100, due_date: 'tomorrow' }),
      () => counted.orders.create({ amount: 100, external_id: '' }),
      () => counted.orders.capture('ord_1', { amount: 99 }),
      () => counted.refunds.create('ord_1', { amount: 100, reason: 'x'.repeat(256) }),
      () => counted.orders.get(''),
      () => counted.payments.createCardPayment('ord_1', {}),
      () => counted.webhooks.create({ url: 'https://shop.example/hook', events: [] }),
      () =>
        counted.subscriptions.create({ customer_id: 'c', card_id: '', amount: 100, next_pay: new Date() }),
    ];
    for (const call of calls) {
      const error = await rejection(call());
      expect(InvalidRequestError.isInstance(error), error.message).toBe(true);
    }
    expect(requests).toBe(0);
  });

  it('manages customers and their cards', async () => {
    const id = externalId('customer');
    const created = await client.customers.create({
      external_id: id,
      email: 'a@example.kz',
      phone: '+77010000000',
    });
    expect(created.customer).toMatchObject({ status: 'PENDING', external_id: id });
    expect(created.customer_access_token).toMatch(/_secret_/);
    const duplicate = await rejection(client.customers.create({ external_id: id }));
    expect(duplicate).toMatchObject({ code: 'CustomerExists' });
    await payOnHostedPage(created.customer.checkout_url as string, { card_number: '5555555555555599' });
    expect(await client.customers.get(created.customer.id)).toMatchObject({ status: 'READY' });
    const listed = await client.customers.list({ external_id: id });
    expect(listed).toMatchObject({ total: 1 });
    const cards = await client.cards.list(created.customer.id);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({
      status: 'APPROVED',
      pan_masked: '555555******5599',
      cvc_required: false,
    });
    const card = await client.cards.get(created.customer.id, cards[0]?.id as string);
    const events = await client.customers.listEvents(created.customer.id);
    expect(events.map((event) => event.name)).toEqual(
      expect.arrayContaining(['CUSTOMER_CREATED', 'CARD_CREATED', 'CARD_APPROVED', 'CUSTOMER_READY']),
    );
    await client.cards.delete(created.customer.id, card.id);
    expect(await client.cards.list(created.customer.id)).toEqual([]);
    await client.customers.delete(created.customer.id);
    expect(NotFoundError.isInstance(await rejection(client.customers.get(created.customer.id)))).toBe(true);
  });

  it('registers, reads, updates and deletes webhooks; the key comes back from create', async () => {
    const created = await client.webhooks.create({
      url: 'https://shop.example/hooks/ioka',
      events: ['PAYMENT_CAPTURED', 'PAYMENT_DECLINED'],
    });
    expect(created).toMatchObject({ active: true, events: ['PAYMENT_CAPTURED', 'PAYMENT_DECLINED'] });
    expect(created.id).toMatch(/^whk_/);
    expect(created.key).toBeTruthy();
    expect((await client.webhooks.list()).map((webhook) => webhook.id)).toContain(created.id);
    expect((await client.webhooks.get(created.id)).key).toBe(created.key);
    const updated = await client.webhooks.update(created.id, { events: ['PAYMENT_CAPTURED'] });
    expect(updated.events).toEqual(['PAYMENT_CAPTURED']);
    await client.webhooks.delete(created.id);
    expect(await rejection(client.webhooks.get(created.id))).toMatchObject({ code: 'WebhookNotFound' });
  });

  it('accepts a base URL that already ends in /v2', async () => {
    const withSuffix = createIokaClient({ ...sandbox.ioka.settings, baseUrl: `${sandbox.ioka.url}/v2/` });
    expect(withSuffix.baseUrl).toBe(sandbox.ioka.url);
    await withSuffix.orders.list({ limit: 1 });
  });
});

describe('ioka client settings', () => {
  it('needs no API key until the first request, then names both ways to give one', async () => {
    const previous = process.env.IOKA_API_KEY;
    delete process.env.IOKA_API_KEY;
    try {
      const keyless = createIokaClient({ baseUrl: 'http://127.0.0.1:9' });
      const error = await rejection(keyless.orders.list());
      expect(ConfigurationError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/apiKey.*IOKA_API_KEY/);
    } finally {
      if (previous !== undefined) process.env.IOKA_API_KEY = previous;
    }
  });

  it('picks the host from the environment setting', () => {
    expect(createIokaClient({ apiKey: 'k' }).baseUrl).toBe('https://stage-api.ioka.kz');
    expect(createIokaClient({ apiKey: 'k', environment: 'production' }).baseUrl).toBe('https://api.ioka.kz');
    expect(createIokaClient({ apiKey: 'k', environment: 'live' as 'production' }).environment).toBe(
      'production',
    );
    expect(() => createIokaClient({ apiKey: 'k', environment: 'staging-2' as 'stage' })).toThrow(
      /IOKA_ENVIRONMENT/,
    );
  });

  it('reports a body it cannot use as ResponseValidationError, naming the field', async () => {
    const server = await startFaultServer(() => ({
      status: 200,
      body: { id: 'ord_1', status: 'PAID', amount: 'lots' },
    }));
    try {
      const broken = createIokaClient({ apiKey: 'k', baseUrl: server.url });
      const error = await rejection(broken.orders.get('ord_1'));
      expect(ResponseValidationError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/amount/);
    } finally {
      await server.close();
    }
  });
});
