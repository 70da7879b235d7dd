import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectionError, InvalidRequestError, SignatureVerificationError } from '@colchis/core';
import { type Sandbox, startSandbox } from '@colchis/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIpay, type IpayProvider } from './ipay-provider.js';
import { buildIpayCallback } from './ipay-test-callback.js';
import type { IpayStoredOrder, IpayWebhookEvent } from './ipay-webhook.js';

// The merchant's side of the test: a database of orders, and a callback endpoint that answers
// 200 only for callbacks verifyWebhook accepts (404 otherwise, as BOG's sample does).
interface Receiver {
  url: string;
  events: IpayWebhookEvent[];
  rejected: Array<{ body: string; error: unknown }>;
  close(): Promise<void>;
}

let sandbox: Sandbox;
let receiver: Receiver;
let ipay: IpayProvider;
const database = new Map<string, IpayStoredOrder>();

async function startReceiver(
  handle: (rawBody: Buffer, request: IncomingMessage) => Promise<number>,
): Promise<{
  server: Server;
  url: string;
}> {
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const status = await handle(Buffer.concat(chunks), request).catch(() => 500);
    response.writeHead(status);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Opens the hosted page like a browser and submits its card form; returns where iPay redirected. */
async function payOnHostedPage(approveUrl: string, cardNumber: string): Promise<string> {
  const page = await fetch(approveUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const form = /<form method="post" action="([^"]+)" id="card-form">([\s\S]*?)<\/form>/.exec(html);
  expect(form, 'the payment page has a card form').not.toBeNull();
  const fields = new URLSearchParams();
  for (const input of (form?.[2] ?? '').matchAll(/<input [^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
    fields.set(decodeHtml(input[1] as string), decodeHtml(input[2] as string));
  }
  fields.set('card_number', cardNumber);
  const answer = await fetch(decodeHtml(form?.[1] ?? ''), {
    method: 'POST',
    body: fields,
    redirect: 'manual',
  });
  expect(answer.status).toBe(302);
  return answer.headers.get('location') ?? '';
}

function decodeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)));
}

async function createStoredPayment(
  input: Partial<Parameters<IpayProvider['createPayment']>[0]> & {
    amount?: { amount: number; currency: string };
  } = {},
) {
  const payment = await ipay.createPayment({
    amount: { amount: 2550, currency: 'GEL' },
    reference: `enrollment-${Math.random().toString(36).slice(2)}`,
    returnUrl: 'https://school.example/payment/return',
    description: 'Course: Georgian for beginners',
    ...input,
  });
  expect(payment.paymentHash).toBeTruthy();
  database.set(payment.id, {
    paymentHash: payment.paymentHash as string,
    amount: payment.amount,
    reference: payment.reference,
  });
  return payment;
}

beforeAll(async () => {
  sandbox = await startSandbox({ webhookRetryDelaysMs: [] });
  const events: IpayWebhookEvent[] = [];
  const rejected: Receiver['rejected'] = [];
  const { server, url } = await startReceiver(async (rawBody, request) => {
    try {
      events.push(await ipay.verifyWebhook({ rawBody, headers: request.headers }));
      return 200;
    } catch (error) {
      rejected.push({ body: rawBody.toString('utf8'), error });
      return SignatureVerificationError.isInstance(error) ? 404 : 500;
    }
  });
  receiver = {
    url,
    events,
    rejected,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  sandbox.ipay.registerCallbackUrls({
    paymentStatus: `${url}/ipay/callback`,
    amountReturn: `${url}/ipay/amount-return`,
  });
  ipay = createIpay({ ...sandbox.ipay.settings, lookupOrder: (orderId) => database.get(orderId) });
});

afterAll(async () => {
  await sandbox?.close();
  await receiver?.close();
});

beforeEach(async () => {
  // Callbacks of the previous test may still be on their way.
  await sandbox.webhooks.idle();
  receiver.events.length = 0;
  receiver.rejected.length = 0;
});

describe('ipay provider against the sandbox', () => {
  it('creates a payment, is paid on the hosted page, and confirms it through the callback', async () => {
    const payment = await createStoredPayment({ locale: 'en' });
    expect(payment).toMatchObject({
      provider: 'ipay',
      status: 'requires_action',
      rawStatus: 'CREATED',
      amount: { amount: 2550, currency: 'GEL' },
      amountCaptured: 0,
    });
    expect(payment.redirectUrl).toContain(`order_id=${payment.id}`);
    expect(payment.nextAction).toEqual({ type: 'redirect', url: payment.redirectUrl, method: 'GET' });
    expect((await ipay.getPayment(payment.id)).status).toBe('processing');

    const landing = await payOnHostedPage(payment.redirectUrl as string, '4000 0000 0000 0001');
    expect(landing).toBe('https://school.example/payment/return');
    await sandbox.webhooks.idle();

    expect(receiver.rejected).toEqual([]);
    expect(receiver.events).toHaveLength(1);
    const event = receiver.events[0] as IpayWebhookEvent;
    expect(event).toMatchObject({
      provider: 'ipay',
      type: 'payment.updated',
      paymentId: payment.id,
      reference: payment.reference,
      status: 'captured',
      rawStatus: 'success',
      signed: false,
      callbackKind: 'payment_status',
    });
    expect(event.payment).toMatchObject({
      amountCaptured: 2550,
      card: { maskedPan: '400000******0001', brand: 'visa' },
      savedMethod: { id: payment.id, usage: 'off_session' },
    });
    const fetched = await ipay.getPayment(payment.id);
    expect(fetched.status).toBe('captured');
    expect(fetched.amount).toEqual({ amount: 2550, currency: 'GEL' });
  });

  it('re-fetches the payment: a callback that claims success for an unpaid order reports what iPay says', async () => {
    const payment = await createStoredPayment();
    const forged = buildIpayCallback({
      order_id: payment.id,
      payment_hash: payment.paymentHash as string,
      status: 'success',
      status_description: 'PERFORMED',
    });
    const event = await ipay.verifyWebhook(forged);
    expect(event.status).toBe('processing');
    expect(event.rawStatus).toBe('in_progress');
    expect(event.signed).toBe(false);
  });

  it('reports a declined card as failed', async () => {
    const payment = await createStoredPayment();
    await payOnHostedPage(payment.redirectUrl as string, '4000000000000002');
    await sandbox.webhooks.idle();
    expect(receiver.events.map((event) => event.status)).toEqual(['failed']);
    const fetched = await ipay.getPayment(payment.id);
    expect(fetched).toMatchObject({ status: 'failed', rawStatus: 'error', failure: { rawCode: 'REJECTED' } });
    expect(fetched.savedMethod).toBeUndefined();
  });

  it('rejects forged callbacks: unknown order_id, wrong payment_hash, missing fields', async () => {
    const payment = await createStoredPayment();
    const attempts = [
      buildIpayCallback({
        order_id: 'f'.repeat(40),
        payment_hash: payment.paymentHash as string,
        status: 'success',
      }),
      buildIpayCallback({ order_id: payment.id, payment_hash: 'a'.repeat(40), status: 'success' }),
      { rawBody: `order_id=${payment.id}&status=success`, headers: {} },
    ];
    for (const attempt of attempts) {
      await expect(ipay.verifyWebhook(attempt)).rejects.toSatisfy((error) =>
        SignatureVerificationError.isInstance(error),
      );
      const answer = await fetch(`${receiver.url}/ipay/callback`, {
        method: 'POST',
        headers: attempt.headers,
        body: attempt.rawBody,
      });
      expect(answer.status).toBe(404);
    }
    expect(receiver.events).toEqual([]);
    // Nothing was paid by any of it.
    expect((await ipay.getPayment(payment.id)).status).toBe('processing');
  });

  it('refunds part, then the rest, and verifies the amount-return callbacks', async () => {
    const payment = await createStoredPayment({ amount: { amount: 1000, currency: 'GEL' } });
    await payOnHostedPage(payment.redirectUrl as string, '4000000000000001');
    const partial = await ipay.refund(payment.id, { amount: 250 });
    expect(partial).toMatchObject({
      provider: 'ipay',
      paymentId: payment.id,
      status: 'succeeded',
      amount: 250,
      currency: 'GEL',
    });
    expect(sandbox.ipay.getOrder(payment.id)?.refunded).toBe(250);
    const rest = await ipay.refund(payment.id);
    expect(rest.status).toBe('succeeded');
    expect(sandbox.ipay.getOrder(payment.id)?.refunded).toBe(1000);
    await sandbox.webhooks.idle();
    const returns = receiver.events.filter((event) => event.type === 'refund.updated');
    expect(returns).toHaveLength(2);
    expect(
      returns.every((event) => event.callbackKind === 'amount_return' && event.paymentId === payment.id),
    ).toBe(true);
  });

  it('sends a refund of the whole amount without an amount, since iPay refuses a "partial" equal to it', async () => {
    const payment = await createStoredPayment({ amount: { amount: 700, currency: 'GEL' } });
    await payOnHostedPage(payment.redirectUrl as string, '4000000000000001');
    const refund = await ipay.refund(payment.id, { amount: 700 });
    expect(refund).toMatchObject({ status: 'succeeded', amount: undefined });
    expect(sandbox.ipay.getOrder(payment.id)?.refunded).toBe(700);
  });

  it('refuses a refund larger than the payment before any request', async () => {
    const payment = await createStoredPayment({ amount: { amount: 700, currency: 'GEL' } });
    const before = sandbox.ipay.getOrder(payment.id)?.updatedAt;
    await expect(ipay.refund(payment.id, { amount: 701 })).rejects.toSatisfy((error) =>
      InvalidRequestError.isInstance(error),
    );
    expect(sandbox.ipay.getOrder(payment.id)?.updatedAt).toBe(before);
  });

  it('holds with capture: manual, then completes part of the hold', async () => {
    const payment = await createStoredPayment({
      amount: { amount: 5000, currency: 'GEL' },
      capture: 'manual',
    });
    await payOnHostedPage(payment.redirectUrl as string, '5555555555554444');
    await sandbox.webhooks.idle();
    expect(receiver.events.map((event) => event.status)).toEqual(['authorized']);
    const held = await ipay.getPayment(payment.id);
    expect(held).toMatchObject({ status: 'authorized', amountCaptured: 0, card: { brand: 'mastercard' } });

    const captured = await ipay.capture(payment.id, { amount: 3000 });
    expect(captured).toMatchObject({ status: 'captured', amountCaptured: 3000 });
    expect(sandbox.ipay.getOrder(payment.id)).toMatchObject({ preAuthStatus: 'success', captured: 3000 });
    await sandbox.webhooks.idle();
    expect(receiver.events.at(-1)?.status).toBe('captured');
  });

  it('completes a whole hold, and cancels another', async () => {
    const full = await createStoredPayment({ amount: { amount: 1200, currency: 'GEL' }, capture: 'manual' });
    await payOnHostedPage(full.redirectUrl as string, '4000000000000001');
    // The held amount in full is a FULL_COMPLETE, not a PARTIAL_COMPLETE iPay would refuse.
    expect(await ipay.capture(full.id, { amount: 1200 })).toMatchObject({
      status: 'captured',
      amountCaptured: 1200,
    });
    expect(sandbox.ipay.getOrder(full.id)?.captured).toBe(1200);

    const voided = await createStoredPayment({
      amount: { amount: 1200, currency: 'GEL' },
      capture: 'manual',
    });
    await payOnHostedPage(voided.redirectUrl as string, '4000000000000001');
    expect(await ipay.cancel(voided.id)).toMatchObject({ status: 'canceled', amountCaptured: 0 });
    expect(sandbox.ipay.getOrder(voided.id)?.preAuthStatus).toBe('success_unblocked');
    await expect(ipay.capture(voided.id)).rejects.toSatisfy((error) => InvalidRequestError.isInstance(error));
  });

  it('charges a saved card again (recurring) and confirms it through the callback', async () => {
    const first = await createStoredPayment({ savePaymentMethod: 'off_session' });
    expect(sandbox.ipay.getOrder(first.id)?.intent).toBe('AUTHORIZE');
    await payOnHostedPage(first.redirectUrl as string, '4000000000000001');
    const paid = await ipay.getPayment(first.id);
    expect(paid.savedMethod).toMatchObject({ id: first.id, usage: 'off_session' });

    const renewal = await ipay.chargeSavedMethod({
      savedMethod: paid.savedMethod as NonNullable<typeof paid.savedMethod>,
      amount: { amount: 1999, currency: 'GEL' },
      reference: 'renewal-2025-02',
      description: 'Monthly plan',
    });
    expect(renewal).toMatchObject({ status: 'processing', rawStatus: 'in_progress', amountCaptured: 0 });
    expect(renewal.id).not.toBe(first.id);
    database.set(renewal.id, {
      paymentHash: renewal.paymentHash as string,
      amount: renewal.amount,
      reference: renewal.reference,
    });

    await waitFor(() => receiver.events.some((event) => event.paymentId === renewal.id));
    const event = receiver.events.find((candidate) => candidate.paymentId === renewal.id);
    expect(event).toMatchObject({ status: 'captured', reference: 'renewal-2025-02' });
    expect(await ipay.getPayment(renewal.id)).toMatchObject({ status: 'captured', amountCaptured: 1999 });
    expect(sandbox.ipay.getOrder(renewal.id)?.parentOrderId).toBe(first.id);
  });

  it('reports a recurring charge the issuer rejects as failed', async () => {
    const first = await createStoredPayment({ savePaymentMethod: true });
    await payOnHostedPage(first.redirectUrl as string, '4000000000000003');
    const renewal = await ipay.chargeSavedMethod({
      savedMethod: { id: first.id },
      amount: { amount: 500, currency: 'GEL' },
      reference: 'renewal-rejected',
    });
    database.set(renewal.id, { paymentHash: renewal.paymentHash as string, amount: renewal.amount });
    await waitFor(() => receiver.events.some((event) => event.paymentId === renewal.id));
    expect((await ipay.getPayment(renewal.id)).status).toBe('failed');
  });

  it('expires an unpaid order after an hour of sandbox time', async () => {
    const payment = await createStoredPayment();
    await sandbox.clock.advance(61 * 60 * 1000);
    await sandbox.webhooks.idle();
    // Every unpaid order of the earlier tests expires too; this one must be among them.
    const mine = receiver.events.filter((event) => event.paymentId === payment.id);
    expect(mine.map((event) => event.status)).toEqual(['failed']);
    expect(receiver.rejected).toEqual([]);
    expect((await ipay.getPayment(payment.id)).status).toBe('failed');
    sandbox.clock.reset();
  });

  it('survives a sandbox reset (its tokens are forgotten) by refreshing the token once', async () => {
    const payment = await createStoredPayment();
    sandbox.reset();
    // The order is gone with the reset: a 400 for an unknown order id, after a successful re-auth.
    await expect(ipay.getPayment(payment.id)).rejects.toSatisfy((error) =>
      InvalidRequestError.isInstance(error),
    );
    const again = await createStoredPayment();
    expect((await ipay.getPayment(again.id)).status).toBe('processing');
  });

  it('never repeats a create whose connection dropped after iPay made the order', async () => {
    const before = sandbox.ipay.listOrders().length;
    sandbox.faults.add({
      kind: 'reset-after',
      pathPrefix: '/ipay/opay/api/v1/checkout/orders',
      method: 'POST',
    });
    await expect(createStoredPayment()).rejects.toSatisfy(
      (error) => ConnectionError.isInstance(error) && (error as ConnectionError).requestSent,
    );
    expect(sandbox.ipay.listOrders().length).toBe(before + 1);
  });

  it('never repeats a refund whose answer was lost', async () => {
    const payment = await createStoredPayment({ amount: { amount: 900, currency: 'GEL' } });
    await payOnHostedPage(payment.redirectUrl as string, '4000000000000001');
    sandbox.faults.add({ kind: 'status', status: 502, pathPrefix: '/ipay/opay/api/v1/checkout/refund' });
    await expect(ipay.refund(payment.id, { amount: 100 })).rejects.toMatchObject({ statusCode: 502 });
    sandbox.faults.add({ kind: 'reset-after', pathPrefix: '/ipay/opay/api/v1/checkout/refund' });
    await expect(ipay.refund(payment.id, { amount: 100 })).rejects.toSatisfy((error) =>
      ConnectionError.isInstance(error),
    );
    // The lost answer hid a refund that happened, exactly once.
    expect(sandbox.ipay.getOrder(payment.id)?.refunded).toBe(100);
  });

  it('refuses what iPay cannot do before any request', async () => {
    const checks: Array<Promise<unknown>> = [
      ipay.createPayment({
        amount: { amount: 100, currency: 'USD' },
        reference: 'r',
        returnUrl: 'https://a.example',
      }),
      ipay.createPayment({
        amount: { amount: 10.5, currency: 'GEL' },
        reference: 'r',
        returnUrl: 'https://a.example',
      }),
      ipay.createPayment({ amount: { amount: 100, currency: 'GEL' }, reference: 'r' }),
      ipay.createPayment({
        amount: { amount: 100, currency: 'GEL' },
        reference: 'r',
        returnUrl: 'https://a.example',
        lineItems: [{ name: 'Book', quantity: 2, unitAmount: 40 }],
      }),
      ipay.chargeSavedMethod({
        savedMethod: { id: 'x' },
        amount: { amount: 100, currency: 'EUR' },
        reference: 'r',
      }),
    ];
    const before = sandbox.ipay.listOrders().length;
    for (const check of checks) {
      await expect(check).rejects.toSatisfy((error) => InvalidRequestError.isInstance(error));
    }
    expect(sandbox.ipay.listOrders().length).toBe(before);
  });

  it('surfaces iPay refusing a recurring charge of an order it does not know', async () => {
    await expect(
      ipay.chargeSavedMethod({
        savedMethod: { id: 'no-such-order' },
        amount: { amount: 100, currency: 'GEL' },
        reference: 'r',
      }),
    ).rejects.toMatchObject({ type: 'InvalidRequestError', statusCode: 400 });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await sandbox.webhooks.idle();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
