import {
  ConflictError,
  canTransition,
  InvalidRequestError,
  isTerminal,
  type Payment,
  type WebhookEvent,
} from '@colchis/core';
import { type Sandbox, startSandbox } from '@colchis/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIokaClient, type IokaClient } from './ioka-client.js';
import { createIoka, type IokaProvider } from './ioka-provider.js';
import { payOnHostedPage, startWebhookReceiver, type WebhookReceiver } from './ioka-sandbox.test-helper.js';
import { tenge } from './ioka-tenge.js';

// End-to-end flows against the sandbox over real sockets: the provider talks to the emulated
// API, a "shopper" fills in the hosted pages, and signed webhooks arrive at a local receiver
// that verifies them with the provider.

let sandbox: Sandbox;
let receiver: WebhookReceiver;
let client: IokaClient;
let ioka: IokaProvider;
let counter = 0;
const reference = (name: string) => `${name}-${Date.now()}-${++counter}`;
const RETURN_URL = 'https://shop.example/payments/return';

beforeAll(async () => {
  sandbox = await startSandbox({ webhookRetryDelaysMs: [20, 50] });
  receiver = await startWebhookReceiver((rawBody, headers) => ioka.verifyWebhook({ rawBody, headers }));
  client = createIokaClient(sandbox.ioka.settings);
  // Two registrations, as a shop might have: each has its own key, and they ask for the two
  // spellings of the cancel event that ioka's docs use.
  const main = await client.webhooks.create({
    url: receiver.url,
    events: [
      'PAYMENT_APPROVED',
      'PAYMENT_CAPTURED',
      'PAYMENT_CANCELED',
      'PAYMENT_DECLINED',
      'ORDER_EXPIRED',
      'CARD_APPROVED',
      'CARD_DECLINED',
    ],
  });
  const cancellations = await client.webhooks.create({ url: receiver.url, events: ['PAYMENT_CANCELLED'] });
  expect(main.key).toMatch(/^[0-9a-f]{64}$/);
  ioka = createIoka({
    ...sandbox.ioka.settings,
    webhookKey: [main.key as string, cancellations.key as string],
  });
});

afterAll(async () => {
  await sandbox?.close();
  await receiver?.close();
});

async function eventsFor(paymentId: string): Promise<WebhookEvent[]> {
  await sandbox.webhooks.idle();
  return receiver.events.filter((event) => event.paymentId === paymentId);
}

async function createAndPay(
  amount: number,
  card: string,
  extra: Partial<Parameters<IokaProvider['createPayment']>[0]> = {},
): Promise<Payment> {
  const payment = await ioka.createPayment({
    amount: { amount, currency: 'KZT' },
    reference: reference('order'),
    returnUrl: RETURN_URL,
    ...extra,
  });
  // A shopper keeps the "save card" box ticked when the order is tied to a customer.
  const fields = { card_number: card, ...(extra.savePaymentMethod ? { save: '1' } : {}) };
  const result = await payOnHostedPage(payment.redirectUrl as string, fields);
  expect(result.status).toBe(303);
  return payment;
}

describe('ioka provider against the sandbox', () => {
  it('create -> checkout -> signed webhook -> captured', async () => {
    const payment = await ioka.createPayment({
      amount: { amount: tenge('500'), currency: 'KZT' },
      reference: reference('donation'),
      description: 'Пожертвование: 10 деревьев',
      returnUrl: RETURN_URL,
      metadata: { campaign: 'spring' },
    });
    expect(payment).toMatchObject({
      provider: 'ioka',
      status: 'requires_action',
      rawStatus: 'UNPAID',
      amount: { amount: 50000, currency: 'KZT' },
      amountCaptured: 0,
    });
    expect(payment.id).toMatch(/^ord_/);
    expect(payment.redirectUrl).toBe(`${sandbox.ioka.checkoutUrl}/orders/${payment.id}`);
    expect(payment.nextAction).toEqual({ type: 'redirect', url: payment.redirectUrl, method: 'GET' });
    expect(JSON.stringify(payment.raw)).not.toContain('_secret_');

    const result = await payOnHostedPage(payment.redirectUrl as string, {
      card_number: '5555 5555 5555 5599',
    });
    expect(result).toMatchObject({ status: 303, location: RETURN_URL });

    const events = await eventsFor(payment.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'payment.updated',
      status: 'captured',
      rawStatus: 'CAPTURED',
      reference: payment.reference,
      signed: true,
    });
    expect(canTransition(payment.status, events[0]?.status ?? 'processing')).toBe(true);
    // ioka sends Python-style JSON (escaped Cyrillic, 0.0) and signs its canonical form.
    const delivered = receiver.bodies.find((body) => body.includes(payment.id)) ?? '';
    expect(delivered).toContain('"processing_fee": 0.0');
    expect(delivered).toContain('\\u041f\\u043e\\u0436');

    const fetched = await ioka.getPayment(payment.id);
    expect(fetched).toMatchObject({
      status: 'captured',
      amountCaptured: 50000,
      amountRefunded: 0,
      card: { maskedPan: '555555******5599', brand: 'MASTERCARD' },
    });
    expect(fetched.createdAt).toBeInstanceOf(Date);
  });

  it('3-D Secure: a wrong ACS password declines with attempts left, then another card pays', async () => {
    const payment = await ioka.createPayment({
      amount: { amount: 25000, currency: 'KZT' },
      reference: reference('three-ds'),
    });
    const failed = await payOnHostedPage(
      payment.redirectUrl as string,
      { card_number: '4111111111111111' },
      { password: 'wrong' },
    );
    expect(failed.html).toContain('Payment declined');

    const declined = await ioka.getPayment(payment.id);
    // A decline with attempts left is not final: the shopper may try again on the same page.
    expect(declined.status).toBe('requires_action');
    expect(isTerminal(declined.status)).toBe(false);
    expect(declined.rawStatus).toBe('DECLINED');
    expect(declined.failure).toMatchObject({
      code: 'authentication_failed',
      rawCode: 'AuthenticationFailed',
    });
    expect(declined.redirectUrl).toBe(payment.redirectUrl);

    const paid = await payOnHostedPage(
      payment.redirectUrl as string,
      { card_number: '4111111111111111' },
      { password: sandbox.ioka.acsPassword },
    );
    expect(paid.html).toContain('Payment successful');
    const events = await eventsFor(payment.id);
    expect(events.map((event) => event.rawStatus)).toEqual(['DECLINED', 'CAPTURED']);
    expect(events[0]).toMatchObject({
      status: 'requires_action',
      payment: { failure: { code: 'authentication_failed' } },
    });
    expect((await ioka.getPayment(payment.id)).status).toBe('captured');
  });

  it('a decline that uses the last attempt fails the payment', async () => {
    const payment = await ioka.createPayment({
      amount: { amount: 10000, currency: 'KZT' },
      reference: reference('last-attempt'),
      providerOptions: { ioka: { attempts: 1 } },
    });
    const result = await payOnHostedPage(payment.redirectUrl as string, { card_number: '4444444411111111' });
    expect(result.html).not.toContain('Try another card');
    const failed = await ioka.getPayment(payment.id);
    expect(failed).toMatchObject({
      status: 'failed',
      rawStatus: 'DECLINED',
      failure: { code: 'insufficient_funds', rawCode: 'InsufficientFunds', message: 'Insufficient funds' },
    });
  });

  it('two-stage: authorize, then capture part of the hold', async () => {
    const payment = await createAndPay(80000, '5555555555555599', { capture: 'manual' });
    const held = await ioka.getPayment(payment.id);
    expect(held).toMatchObject({ status: 'authorized', rawStatus: 'APPROVED', amountCaptured: 0 });
    expect((await eventsFor(payment.id)).map((event) => event.status)).toEqual(['authorized']);

    await expect(ioka.capture(payment.id, { amount: 90000 })).rejects.toSatisfy((error: unknown) =>
      InvalidRequestError.isInstance(error),
    );
    const captured = await ioka.capture(payment.id, { amount: 30000 });
    expect(captured).toMatchObject({ status: 'captured', amountCaptured: 30000, amount: { amount: 80000 } });
    expect((await eventsFor(payment.id)).map((event) => event.status)).toEqual(['authorized', 'captured']);
    expect(await ioka.getPayment(payment.id)).toMatchObject({ status: 'captured', amountCaptured: 30000 });
  });

  it('two-stage: capture without an amount takes the whole hold', async () => {
    const payment = await createAndPay(12300, '5555555555555599', { capture: 'manual' });
    expect(await ioka.capture(payment.id)).toMatchObject({ status: 'captured', amountCaptured: 12300 });
  });

  it('two-stage: cancel releases the hold (both spellings of the webhook arrive, each verified)', async () => {
    const payment = await createAndPay(40000, '5555555555555599', { capture: 'manual' });
    const canceled = await ioka.cancel(payment.id);
    expect(canceled).toMatchObject({ status: 'canceled', rawStatus: 'CANCELLED', amountCaptured: 0 });
    expect(await ioka.cancel(payment.id)).toMatchObject({ status: 'canceled' });
    await expect(ioka.capture(payment.id)).rejects.toSatisfy((error: unknown) =>
      InvalidRequestError.isInstance(error),
    );
    const events = await eventsFor(payment.id);
    const cancelEvents = events.filter((event) => event.status === 'canceled');
    expect(cancelEvents).toHaveLength(2);
    const names = cancelEvents.map((event) => (event.raw as { event: string }).event).sort();
    expect(names).toEqual(['PAYMENT_CANCELED', 'PAYMENT_CANCELLED']);
    expect(receiver.rejected).toEqual([]);
  });

  it('the hold is captured by ioka after about 48 hours', async () => {
    const payment = await createAndPay(15000, '5555555555555599', { capture: 'manual' });
    await sandbox.clock.advance(49 * 3_600_000);
    expect(await ioka.getPayment(payment.id)).toMatchObject({ status: 'captured', amountCaptured: 15000 });
    expect((await eventsFor(payment.id)).map((event) => event.status)).toEqual(['authorized', 'captured']);
  });

  it('partial refunds, then the rest', async () => {
    const payment = await createAndPay(100000, '5555555555555599');
    const first = await ioka.refund(payment.id, { amount: 30000, reason: 'one item returned' });
    expect(first).toMatchObject({
      provider: 'ioka',
      paymentId: payment.id,
      status: 'succeeded',
      amount: 30000,
    });
    expect(first.id).toMatch(/^rfd_/);
    expect(await ioka.getPayment(payment.id)).toMatchObject({
      status: 'partially_refunded',
      amountCaptured: 100000,
      amountRefunded: 30000,
    });
    await ioka.refund(payment.id, { amount: 20000 });
    const tooMuch = await ioka.refund(payment.id, { amount: 60000 }).catch((error: unknown) => error);
    expect(InvalidRequestError.isInstance(tooMuch)).toBe(true);
    expect((tooMuch as InvalidRequestError).code).toBe('PaymentRefundAmountExceededError');
    const rest = await ioka.refund(payment.id);
    expect(rest.amount).toBe(50000);
    expect(await ioka.getPayment(payment.id)).toMatchObject({ status: 'refunded', amountRefunded: 100000 });
    await expect(ioka.refund(payment.id)).rejects.toThrow(/nothing left to refund/);
    const refunds = await client.refunds.list(payment.id);
    expect(refunds.map((refund) => refund.amount)).toEqual([30000, 20000, 50000]);
  });

  it('rejects bad input before sending anything', async () => {
    let requests = 0;
    const counted = createIoka({ ...sandbox.ioka.settings, hooks: { onRequest: () => void requests++ } });
    const cases: Array<() => Promise<unknown>> = [
      () => counted.createPayment({ amount: { amount: 10.5, currency: 'KZT' }, reference: 'x' }),
      () => counted.createPayment({ amount: { amount: 1000, currency: 'USD' }, reference: 'x' }),
      () => counted.createPayment({ amount: { amount: 1000, currency: 'KZT' }, reference: '' }),
      () =>
        counted.createPayment({
          amount: { amount: 1000, currency: 'KZT' },
          reference: 'x',
          returnUrl: 'not a url',
        }),
      () =>
        counted.createPayment({
          amount: { amount: 1000, currency: 'KZT' },
          reference: 'x',
          savePaymentMethod: true,
        }),
      () => counted.refund('ord_X', { amount: 99 }),
      () => counted.capture('ord_X', { amount: 1.5 }),
      () =>
        counted.chargeSavedMethod({
          savedMethod: { id: 'card' },
          amount: { amount: 100, currency: 'KZT' },
          reference: 'x',
        }),
    ];
    for (const call of cases) {
      const error = await call().catch((caught: unknown) => caught);
      expect(InvalidRequestError.isInstance(error), String(error)).toBe(true);
    }
    expect(requests).toBe(0);
  });

  it('expires an unpaid order at its due_date on the sandbox clock', async () => {
    const payment = await ioka.createPayment({
      amount: { amount: 5000, currency: 'KZT' },
      reference: reference('expiring'),
      providerOptions: { ioka: { due_date: new Date(sandbox.clock.now() + 3_600_000) } },
    });
    expect(payment.status).toBe('requires_action');
    await sandbox.clock.advance(2 * 3_600_000);
    const events = await eventsFor(payment.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'payment.updated', status: 'expired', rawStatus: 'EXPIRED' });
    expect(await ioka.getPayment(payment.id)).toMatchObject({ status: 'expired', rawStatus: 'EXPIRED' });
    const page = await fetch(payment.redirectUrl as string);
    expect(page.status).toBe(410);
  });

  it('repeating createPayment with the same reference returns the same order', async () => {
    const ref = reference('idempotent');
    const input = { amount: { amount: 7000, currency: 'KZT' }, reference: ref, returnUrl: RETURN_URL };
    const first = await ioka.createPayment(input);
    const second = await ioka.createPayment(input);
    expect(second.id).toBe(first.id);
    expect(second.status).toBe('requires_action');
    const listed = await client.orders.list({ external_id: ref });
    expect(listed.total).toBe(1);
    // Paid in between: the repeat reports the truth, not a fresh order.
    await payOnHostedPage(first.redirectUrl as string, { card_number: '5555555555555599' });
    expect(await ioka.createPayment(input)).toMatchObject({ id: first.id, status: 'captured' });
    // The same reference for another amount is a mistake, not a repeat.
    const conflict = await ioka
      .createPayment({ ...input, amount: { amount: 9000, currency: 'KZT' } })
      .catch((error: unknown) => error);
    expect(ConflictError.isInstance(conflict)).toBe(true);
    expect(String(conflict)).toMatch(/different amount/);
  });

  it('reconciles by external_id when the connection drops after ioka created the order', async () => {
    const ref = reference('dropped');
    sandbox.faults.add({ kind: 'reset-after', pathPrefix: '/ioka/v2/orders', method: 'POST' });
    const payment = await ioka.createPayment({ amount: { amount: 3000, currency: 'KZT' }, reference: ref });
    expect(payment.reference).toBe(ref);
    const listed = await client.orders.list({ external_id: ref });
    expect(listed.total).toBe(1);
    expect(listed.data[0]?.id).toBe(payment.id);
  });

  it('after a 504 that did nothing, looks the order up, then creates it once', async () => {
    const ref = reference('gateway-timeout');
    let creates = 0;
    const counting = createIoka({
      ...sandbox.ioka.settings,
      retry: { initialDelayMs: 1, maxDelayMs: 5 },
      hooks: {
        onRequest: (event) =>
          void (event.method === 'POST' && event.operation === 'createOrder' && creates++),
      },
    });
    sandbox.faults.add({ kind: 'status', status: 504, pathPrefix: '/ioka/v2/orders', method: 'POST' });
    const payment = await counting.createPayment({
      amount: { amount: 3000, currency: 'KZT' },
      reference: ref,
    });
    expect(creates).toBe(2);
    expect((await client.orders.list({ external_id: ref })).total).toBe(1);
    expect(payment.status).toBe('requires_action');
  });

  it('retries a 503 (ioka guarantees nothing was done)', async () => {
    const ref = reference('unavailable');
    sandbox.faults.add({ kind: 'status', status: 503, pathPrefix: '/ioka/v2/orders', method: 'POST' });
    const fast = createIoka({ ...sandbox.ioka.settings, retry: { initialDelayMs: 1, maxDelayMs: 5 } });
    await fast.createPayment({ amount: { amount: 3000, currency: 'KZT' }, reference: ref });
    expect((await client.orders.list({ external_id: ref })).total).toBe(1);
  });
});

describe('saved cards', () => {
  it('saves the card during a payment, then charges it (checkout with the card prefilled)', async () => {
    const user = { id: reference('user'), email: 'aigerim@example.kz' };
    const first = await createAndPay(20000, '5555555555555599', { savePaymentMethod: true, customer: user });
    const paid = await ioka.getPayment(first.id);
    expect(paid.status).toBe('captured');
    expect(paid.savedMethod).toMatchObject({ maskedPan: '555555******5599', brand: 'MASTERCARD' });
    const saved = paid.savedMethod as NonNullable<Payment['savedMethod']>;
    expect(saved.customerId).toBeTruthy();
    expect(await ioka.listSavedMethods(user)).toEqual([
      expect.objectContaining({ id: saved.id, customerId: saved.customerId }),
    ]);

    const renewal = await ioka.chargeSavedMethod({
      savedMethod: saved,
      amount: { amount: 20000, currency: 'KZT' },
      reference: reference('renewal'),
    });
    expect(renewal.status).toBe('requires_action');
    const order = await client.orders.get(renewal.id);
    expect(order).toMatchObject({ customer_id: saved.customerId, card_id: saved.id });
    const page = await (await fetch(renewal.redirectUrl as string)).text();
    expect(page).toContain('555555******5599');
    const result = await payOnHostedPage(renewal.redirectUrl as string, { cvc: '123' });
    expect(result.html).toContain('Payment successful');
    expect(await ioka.getPayment(renewal.id)).toMatchObject({ status: 'captured', amountCaptured: 20000 });
  });

  it('charges a saved card from the server with payByCardId', async () => {
    const user = { id: reference('user') };
    const first = await createAndPay(10000, '5555555555555599', { savePaymentMethod: true, customer: user });
    const saved = (await ioka.getPayment(first.id)).savedMethod as NonNullable<Payment['savedMethod']>;
    const charged = await ioka.chargeSavedMethod({
      savedMethod: saved,
      amount: { amount: 4500, currency: 'KZT' },
      reference: reference('mit'),
      providerOptions: { ioka: { payByCardId: true } },
    });
    expect(charged).toMatchObject({ status: 'captured', amountCaptured: 4500, rawStatus: 'CAPTURED' });
  });

  it('saves a card on the card-save page (3-D Secure), with a card.updated webhook', async () => {
    const user = { id: reference('user'), phone: '+77001234567' };
    const session = await ioka.createCardSaveSession({ customer: user });
    expect(session.checkoutUrl).toContain(`/checkout/customers/${session.customerId}`);
    const result = await payOnHostedPage(session.checkoutUrl, { card_number: '4111111111111111' });
    expect(result.html).toContain('Card saved');
    await sandbox.webhooks.idle();
    const cardEvent = receiver.events.find(
      (event) =>
        event.type === 'card.updated' &&
        (event.raw as { customer?: { id: string } }).customer?.id === session.customerId,
    );
    expect(cardEvent).toBeDefined();
    const methods = await ioka.listSavedMethods({ providerCustomerId: session.customerId });
    expect(methods).toEqual([expect.objectContaining({ customerId: session.customerId, brand: 'VISA' })]);
    // The same user again reuses the customer.
    expect((await ioka.createCardSaveSession({ customer: user })).customerId).toBe(session.customerId);
  });

  it("runs ioka's own subscriptions on the client", async () => {
    const session = await ioka.createCardSaveSession({ customer: { id: reference('subscriber') } });
    await payOnHostedPage(session.checkoutUrl, { card_number: '5555555555555599' });
    const [card] = await ioka.listSavedMethods({ providerCustomerId: session.customerId });
    const subscription = await client.subscriptions.create({
      customer_id: session.customerId,
      card_id: card?.id as string,
      amount: tenge('2990'),
      description: 'Monthly plan',
      next_pay: new Date(sandbox.clock.now() + 86_400_000),
      unit: 'MONTH',
    });
    expect(subscription.schedule).toMatchObject({ status: 'ACTIVE', unit: 'MONTH', step: 1 });
    await sandbox.clock.advance(2 * 86_400_000);
    const charges = await client.subscriptions.listPayments(subscription.id);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ status: 'CAPTURED', captured_amount: 299000 });
    const paused = await client.subscriptions.changeStatus(subscription.id, 'PAUSED');
    expect(paused.schedule.status).toBe('PAUSED');
    const updated = await client.subscriptions.update(subscription.id, { amount: tenge('3490') });
    expect(updated.amount).toBe(349000);
    const listed = await client.subscriptions.list({ status: 'PAUSED' });
    expect(listed.data.map((item) => item.id)).toContain(subscription.id);
  });
});
