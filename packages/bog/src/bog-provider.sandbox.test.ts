import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidRequestError, NotFoundError, type Payment, type RetryHookEvent } from '@colchis/core';
import { type Sandbox, startSandbox } from '@colchis/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BogClient } from './bog-client.js';
import { type BogProvider, createBog } from './bog-provider.js';
import type { BogSavedMethod } from './map-bog-payment.js';

let sandbox: Sandbox;
let bog: BogProvider;
let callbackServer: Server;
let callbackUrl: string;
const callbacks: Array<{ rawBody: Buffer; headers: IncomingHttpHeaders }> = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  callbackServer = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      callbacks.push({ rawBody: Buffer.concat(chunks), headers: request.headers });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/bog/callback`;
  bog = createBog({ ...sandbox.bog.settings, callbackUrl });
});
afterAll(async () => {
  await sandbox?.close();
  await new Promise((resolve) => callbackServer?.close(resolve));
});
beforeEach(() => {
  sandbox.reset();
  callbacks.length = 0;
});

/** Drives the hosted page over HTTP the way a browser would: load it, fill the form, submit. */
async function payOnHostedPage(redirectUrl: string, cardNumber?: string): Promise<Response> {
  const page = await fetch(redirectUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const form = /<form method="post" action="([^"]+)" id="card-form">([\s\S]*?)<\/form>/.exec(html);
  expect(form, 'the hosted page has a card form').not.toBeNull();
  const fields = new URLSearchParams();
  for (const input of (form?.[2] ?? '').matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
    fields.set(input[1] as string, input[2] as string);
  }
  if (cardNumber !== undefined) fields.set('card_number', cardNumber);
  const answer = await fetch(form?.[1] as string, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  await sandbox.webhooks.idle();
  return answer;
}

async function lastCallbackEvent() {
  await sandbox.webhooks.idle();
  const callback = callbacks.at(-1);
  expect(callback, 'a callback arrived').toBeDefined();
  return bog.verifyWebhook({ rawBody: callback?.rawBody as Buffer, headers: callback?.headers ?? {} });
}

async function paidPayment(
  amount: number,
  options: { capture?: 'manual'; card?: string; save?: 'on_session' | 'off_session' } = {},
): Promise<Payment> {
  const payment = await bog.createPayment({
    amount: { amount, currency: 'GEL' },
    reference: `order-${globalThis.crypto.randomUUID().slice(0, 8)}`,
    description: 'Course: Georgian for beginners',
    returnUrl: 'https://shop.example/return',
    capture: options.capture,
    savePaymentMethod: options.save,
  });
  await payOnHostedPage(payment.redirectUrl as string, options.card ?? '4000000000000001');
  return bog.getPayment(payment.id);
}

describe('Bank of Georgia provider against the sandbox', () => {
  it('creates a payment, is paid on the hosted page, verifies the callback and reads it captured', async () => {
    const payment = await bog.createPayment({
      amount: { amount: 2550, currency: 'GEL' },
      reference: 'enrollment-42',
      description: 'Course enrollment',
      customer: { name: 'Nino Beridze', email: 'nino@example.ge', phone: '+995555000000' },
      returnUrl: 'https://shop.example/return',
      locale: 'en-US',
    });
    expect(payment.status).toBe('requires_action');
    expect(payment.redirectUrl).toBe(`${sandbox.bog.paymentPageUrl}?order_id=${payment.id}`);
    expect(payment.nextAction).toEqual({ type: 'redirect', url: payment.redirectUrl, method: 'GET' });

    const answer = await payOnHostedPage(payment.redirectUrl as string, '4000 0000 0000 0001');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('https://shop.example/return');

    const event = await lastCallbackEvent();
    expect(event).toMatchObject({
      provider: 'bog',
      type: 'payment.updated',
      paymentId: payment.id,
      reference: 'enrollment-42',
      status: 'captured',
      rawStatus: 'completed',
      signed: true,
    });
    expect(event.payment?.amountCaptured).toBe(2550);

    const read = await bog.getPayment(payment.id);
    expect(read).toMatchObject({
      status: 'captured',
      amount: { amount: 2550, currency: 'GEL' },
      amountCaptured: 2550,
      amountRefunded: 0,
      reference: 'enrollment-42',
      card: { maskedPan: '400000xxxxxx0001', brand: 'visa' },
    });
    expect(read.failure).toBeUndefined();
    expect(read.createdAt).toBeInstanceOf(Date);
    const receipt = sandbox.bog.order(payment.id) as { buyer: Record<string, string>; lang: string };
    expect(receipt.buyer).toEqual({
      full_name: 'Nino Beridze',
      email: 'nino@example.ge',
      phone_number: '+995555000000',
    });
    expect(receipt.lang).toBe('en');
  });

  it('reports a declined card as failed with a normalized failure code and the raw code', async () => {
    const payment = await paidPayment(1000, { card: '4000000000000002' });
    expect(payment.status).toBe('failed');
    expect(payment.failure).toEqual({
      code: 'insufficient_funds',
      message: 'Declined: insufficient funds',
      rawCode: '107',
    });
    const event = await lastCallbackEvent();
    expect(event.status).toBe('failed');
  });

  it('passes 3-D Secure on the challenge page', async () => {
    const payment = await bog.createPayment({
      amount: { amount: 700, currency: 'GEL' },
      reference: 'three-d',
    });
    const challenge = await fetch(payment.redirectUrl as string);
    const action = /action="([^"]+)" id="card-form"/.exec(await challenge.text())?.[1] as string;
    const page = await fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ order_id: payment.id, card_number: '4000000000000004' }).toString(),
    });
    const html = await page.text();
    const challengeAction = /action="([^"]+)" id="challenge-form"/.exec(html)?.[1] as string;
    const fields = new URLSearchParams({ password: '1234' });
    for (const input of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      fields.set(input[1] as string, input[2] as string);
    }
    await fetch(challengeAction, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
      redirect: 'manual',
    });
    expect((await bog.getPayment(payment.id)).status).toBe('captured');
  });

  it('expires an unpaid order on the sandbox clock', async () => {
    const payment = await bog.createPayment({
      amount: { amount: 500, currency: 'GEL' },
      reference: 'expires',
      providerOptions: { bog: { ttl: 2 } },
    });
    await sandbox.clock.advance(3 * 60_000);
    const read = await bog.getPayment(payment.id);
    expect(read.status).toBe('expired');
    expect(read.failure?.code).toBe('expired');
    expect((await lastCallbackEvent()).status).toBe('expired');
  });

  it('throws NotFoundError for an order Bank of Georgia does not know', async () => {
    await expect(bog.getPayment('00000000-0000-4000-8000-000000000000')).rejects.toSatisfy((error) =>
      NotFoundError.isInstance(error),
    );
  });

  it('recovers from an expired token with one refresh', async () => {
    const payment = await bog.createPayment({ amount: { amount: 100, currency: 'GEL' }, reference: 'token' });
    await sandbox.clock.advance(sandbox.bog.tokenLifetimeMs + 60_000);
    expect((await bog.getPayment(payment.id)).id).toBe(payment.id);
  });
});

describe('pre-authorization', () => {
  it('holds the money, then captures all of it', async () => {
    const held = await paidPayment(4000, { capture: 'manual' });
    expect(held.status).toBe('authorized');
    expect(held.amountCaptured).toBe(0);
    expect((await lastCallbackEvent()).status).toBe('authorized');
    const captured = await bog.capture(held.id);
    expect(captured.status).toBe('captured');
    expect(captured.amountCaptured).toBe(4000);
    expect((await lastCallbackEvent()).status).toBe('captured');
  });

  it('captures part of the hold', async () => {
    const held = await paidPayment(4000, { capture: 'manual' });
    const captured = await bog.capture(held.id, { amount: 2575 });
    expect(captured).toMatchObject({
      status: 'captured',
      rawStatus: 'partial_completed',
      amountCaptured: 2575,
    });
    expect(captured.amount.amount).toBe(4000);
  });

  it('cancels the hold: canceled, not failed', async () => {
    const held = await paidPayment(4000, { capture: 'manual' });
    const canceled = await bog.cancel(held.id);
    expect(canceled.status).toBe('canceled');
    expect(canceled.rawStatus).toBe('rejected');
    expect(canceled.failure).toBeUndefined();
    expect((await lastCallbackEvent()).status).toBe('canceled');
  });

  it('refuses to capture an order that holds nothing', async () => {
    const paid = await paidPayment(1000);
    await expect(bog.capture(paid.id)).rejects.toSatisfy((error) => InvalidRequestError.isInstance(error));
  });
});

describe('refunds', () => {
  it('refunds everything: accepted first, refunded when read', async () => {
    const paid = await paidPayment(3090);
    const refund = await bog.refund(paid.id);
    expect(refund).toMatchObject({
      provider: 'bog',
      paymentId: paid.id,
      status: 'pending',
      rawStatus: 'request_received',
    });
    expect(refund.amount).toBeUndefined();
    const read = await bog.getPayment(paid.id);
    expect(read).toMatchObject({ status: 'refunded', amountCaptured: 3090, amountRefunded: 3090 });
    const event = await lastCallbackEvent();
    expect(event.type).toBe('refund.updated');
    expect(event.status).toBe('refunded');
  });

  it('refunds in parts, exactly, down to the last tetri', async () => {
    const paid = await paidPayment(1001);
    await bog.refund(paid.id, { amount: 333 });
    const partly = await bog.getPayment(paid.id);
    expect(partly).toMatchObject({ status: 'partially_refunded', amountCaptured: 1001, amountRefunded: 333 });
    await bog.refund(paid.id, { amount: 667 });
    expect(await bog.getPayment(paid.id)).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 1000,
    });
    await bog.refund(paid.id, { amount: 1 });
    expect(await bog.getPayment(paid.id)).toMatchObject({
      status: 'refunded',
      amountCaptured: 1001,
      amountRefunded: 1001,
    });
  });

  it('refuses a refund larger than what is left', async () => {
    const paid = await paidPayment(1000);
    await bog.refund(paid.id, { amount: 600 });
    await expect(bog.refund(paid.id, { amount: 401 })).rejects.toSatisfy((error) =>
      InvalidRequestError.isInstance(error),
    );
  });

  it('refuses a refund in major units before any request', async () => {
    await expect(bog.refund('any-order', { amount: 10.5 })).rejects.toThrow(/integer number of minor units/);
  });
});

describe('saved cards', () => {
  it('saves a card for automatic payments, then charges it without the customer', async () => {
    const first = await paidPayment(1900, { save: 'off_session' });
    expect(first.status).toBe('captured');
    const saved = first.savedMethod as BogSavedMethod;
    expect(saved).toMatchObject({
      id: first.id,
      usage: 'off_session',
      maskedPan: '400000xxxxxx0001',
      fixedAmount: { amount: 1900, currency: 'GEL' },
    });
    const renewal = await bog.chargeSavedMethod({
      savedMethod: saved,
      amount: { amount: 1900, currency: 'GEL' },
      reference: 'renewal-2026-02',
    });
    expect(renewal).toMatchObject({ status: 'captured', amountCaptured: 1900, reference: 'renewal-2026-02' });
    expect(renewal.id).not.toBe(first.id);
    const receipt = sandbox.bog.order(renewal.id) as { payment_detail: Record<string, unknown> };
    expect(receipt.payment_detail.parent_order_id).toBe(first.id);
    expect(receipt.payment_detail.payment_option).toBe('subscription');
  });

  it('refuses a changed amount on an automatic charge before any request', async () => {
    const first = await paidPayment(1900, { save: 'off_session' });
    const retries: RetryHookEvent[] = [];
    const requests: string[] = [];
    const watched = createBog({
      ...sandbox.bog.settings,
      callbackUrl,
      hooks: { onRequest: (event) => requests.push(event.url), onRetry: (event) => retries.push(event) },
    });
    const orders = sandbox.bog.orders().length;
    const error = await watched
      .chargeSavedMethod({
        savedMethod: first.savedMethod as BogSavedMethod,
        amount: { amount: 2900, currency: 'GEL' },
        reference: 'upgrade',
      })
      .catch((caught: unknown) => caught);
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/amount of the order that saved the card/);
    expect(requests).toEqual([]);
    expect(sandbox.bog.orders()).toHaveLength(orders);

    // Given only the id, the parent is read (never charged) to learn its amount.
    await expect(
      watched.chargeSavedMethod({
        savedMethod: { id: first.id, usage: 'off_session' },
        amount: { amount: 2900, currency: 'GEL' },
        reference: 'upgrade',
      }),
    ).rejects.toSatisfy((caught) => InvalidRequestError.isInstance(caught));
    expect(requests.some((url) => url.includes('/subscribe'))).toBe(false);
    expect(sandbox.bog.orders()).toHaveLength(orders);
  });

  it('saves a card for recurrent payments and charges it with the customer present', async () => {
    const first = await paidPayment(1500, { save: 'on_session' });
    expect(first.savedMethod).toMatchObject({ id: first.id, usage: 'on_session' });
    const next = await bog.chargeSavedMethod({
      savedMethod: first.savedMethod as BogSavedMethod,
      amount: { amount: 2250, currency: 'GEL' },
      reference: 'one-click-2',
      returnUrl: 'https://shop.example/return',
    });
    expect(next.status).toBe('requires_action');
    await payOnHostedPage(next.redirectUrl as string);
    expect(await bog.getPayment(next.id)).toMatchObject({ status: 'captured', amountCaptured: 2250 });
  });

  it('deletes a saved card; a later automatic charge is refused', async () => {
    const first = await paidPayment(800, { save: 'off_session' });
    await bog.client.deleteSavedCard(first.id);
    await expect(
      bog.chargeSavedMethod({
        savedMethod: first.savedMethod as BogSavedMethod,
        amount: { amount: 800, currency: 'GEL' },
        reference: 'after-delete',
      }),
    ).rejects.toThrow(/Saved card wasn't found/);
  });

  it('reports a failed automatic charge as failed', async () => {
    const first = await paidPayment(800, { save: 'off_session', card: '4000000000000003' });
    const renewal = await bog.chargeSavedMethod({
      savedMethod: first.savedMethod as BogSavedMethod,
      amount: { amount: 800, currency: 'GEL' },
      reference: 'renewal-declined',
    });
    expect(renewal.status).toBe('failed');
    expect(renewal.failure?.rawCode).toBe('122');
  });
});

describe('idempotency', () => {
  it('retries a create whose answer was lost and makes exactly one order', async () => {
    const retries: RetryHookEvent[] = [];
    const provider = createBog({
      ...sandbox.bog.settings,
      callbackUrl,
      retry: { initialDelayMs: 1, maxDelayMs: 5 },
      hooks: { onRetry: (event) => retries.push(event) },
    });
    // A live token first: the fault must hit a create that the sandbox carries out.
    await provider.client.getAccessToken({ forceRefresh: true });
    sandbox.faults.add({
      kind: 'reset-after',
      method: 'POST',
      pathPrefix: '/bog/payments/v1/ecommerce/orders',
    });
    const payment = await provider.createPayment({
      amount: { amount: 1200, currency: 'GEL' },
      reference: 'lost-answer',
    });
    expect(retries).toHaveLength(1);
    expect(retries[0]?.operation).toBe('createOrder');
    expect(sandbox.bog.orders()).toHaveLength(1);
    expect((sandbox.bog.orders()[0] as { order_id: string }).order_id).toBe(payment.id);
  });

  it('answers a repeated createPayment with the same key with the same order', async () => {
    const input = {
      amount: { amount: 990, currency: 'GEL' },
      reference: 'same-key',
      idempotencyKey: 'enrollment-77-attempt-1',
    };
    const first = await bog.createPayment({ ...input, savePaymentMethod: 'off_session' });
    const second = await bog.createPayment({ ...input, savePaymentMethod: 'off_session' });
    expect(second.id).toBe(first.id);
    expect(sandbox.bog.orders()).toHaveLength(1);
  });
});

describe('wallets on the merchant page', () => {
  it('completes an external Apple Pay order with the Apple Pay token', async () => {
    const client = new BogClient({ ...sandbox.bog.settings });
    const order = await client.createOrder({
      callbackUrl,
      applicationType: 'web',
      paymentMethod: ['apple_pay'],
      config: { applePay: { external: true } },
      purchaseUnits: { totalAmount: 1500, basket: [{ productId: 'gift', quantity: 1, unitPrice: 1500 }] },
    });
    expect(order.redirectUrl).toBeUndefined();
    expect(order.acceptUrl).toBe(`${sandbox.bog.apiUrl}/ecommerce/orders/${order.id}/payment`);
    expect(order.applePayResult).toBeDefined();
    const paid = await client.completeApplePayPayment(order.id, { paymentData: { version: 'EC_v1' } });
    expect(paid.orderDetails?.status).toBe('completed');
    expect(paid.orderDetails?.paymentDetail?.transferMethod).toBe('apple_pay');
  });

  it('creates an external Google Pay order that completes at once', async () => {
    const client = new BogClient({ ...sandbox.bog.settings });
    const order = await client.createOrder({
      callbackUrl,
      paymentMethod: ['google_pay'],
      config: { googlePay: { external: true, googlePayToken: '{"signature":"sandbox"}' } },
      purchaseUnits: { totalAmount: 1500, basket: [{ productId: 'gift', quantity: 1, unitPrice: 1500 }] },
    });
    expect(order.status).toBe('completed');
    expect(order.orderDetails?.transferAmount).toBe(1500);
  });

  it('sends the language and theme to the hosted page', async () => {
    const client = new BogClient({ ...sandbox.bog.settings, theme: 'dark' });
    const order = await client.createOrder(
      {
        callbackUrl,
        purchaseUnits: { totalAmount: 100, basket: [{ productId: 'p', quantity: 1, unitPrice: 100 }] },
      },
      { language: 'en' },
    );
    const html = await (await fetch(order.redirectUrl as string)).text();
    expect(html).toContain('Language en, theme dark');
  });
});
