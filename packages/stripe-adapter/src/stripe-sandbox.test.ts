import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthenticationError,
  type ColchisError,
  InvalidRequestError,
  isPaid,
  NotFoundError,
  type Payment,
  type RequestHookEvent,
  SignatureVerificationError,
  type WebhookEvent,
} from '@colchis/core';
import { type Sandbox, startSandbox } from '@colchis/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStripeAdapter, type StripeAdapter } from './stripe-adapter.js';
import type { StripeAdapterSettings } from './stripe-adapter-settings.js';
import { getStripeClientSecret } from './stripe-client-secret.js';

// End to end against @colchis/sandbox with the official stripe client underneath: real sockets,
// the hosted Checkout page submitted over HTTP, webhooks delivered to a real local endpoint.
let sandbox: Sandbox;
let adapter: StripeAdapter;
let receiver: Server;
const deliveries: Array<{ body: string; headers: IncomingMessage['headers'] }> = [];
const requests: RequestHookEvent[] = [];

function createAdapter(overrides: Partial<StripeAdapterSettings> = {}): StripeAdapter {
  const { host, port, protocol, apiKey, webhookSecret } = sandbox.stripe;
  return createStripeAdapter({
    apiKey,
    webhookSecret,
    stripeOptions: { host, port, protocol, telemetry: false },
    retry: { initialDelayMs: 5, maxDelayMs: 20 },
    hooks: { onRequest: (event) => requests.push(event) },
    ...overrides,
  });
}

async function rejection(promise: Promise<unknown>): Promise<ColchisError> {
  try {
    await promise;
  } catch (error) {
    return error as ColchisError;
  }
  throw new Error('expected the call to fail');
}

/** Pays on the sandbox's hosted Checkout page like a browser: GET the page, POST its form. */
async function payOnHostedPage(url: string, card: string): Promise<Response> {
  const page = await fetch(url);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)" id="card-form"/.exec(html)?.[1];
  if (!action) throw new Error(`no card form at ${url}: ${html.slice(0, 200)}`);
  return fetch(new URL(action, url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ card_number: card, expiry: '12/34', cvc: '123' }),
    redirect: 'manual',
  });
}

/** Completes a sandbox 3-D Secure challenge page. */
async function authenticate(challengeUrl: string, password = 'pass'): Promise<Response> {
  return fetch(challengeUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password }),
    redirect: 'manual',
  });
}

/** Verifies every delivered webhook with the adapter and returns the normalized events. */
async function verifiedEvents(): Promise<WebhookEvent[]> {
  await sandbox.webhooks.idle();
  return Promise.all(
    deliveries.map((delivery) =>
      adapter.verifyWebhook({ rawBody: delivery.body, headers: delivery.headers as Record<string, string> }),
    ),
  );
}

async function paidCheckout(
  overrides: Partial<Parameters<StripeAdapter['createPayment']>[0]> = {},
  card = '4242424242424242',
) {
  const created = await adapter.createPayment({
    amount: { amount: 4900, currency: 'USD' },
    reference: `enrollment-${Math.random().toString(36).slice(2, 8)}`,
    description: 'Course: TypeScript for payments',
    returnUrl: 'https://school.example/enrollments/return?session={CHECKOUT_SESSION_ID}',
    ...overrides,
  });
  const response = await payOnHostedPage(created.redirectUrl as string, card);
  return { created, response };
}

beforeAll(async () => {
  sandbox = await startSandbox({ webhookRetryDelaysMs: [20] });
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ body: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  sandbox.stripe.setWebhookUrl(
    `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`,
  );
  adapter = createAdapter();
});
afterAll(async () => {
  await sandbox?.close();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});
beforeEach(async () => {
  await sandbox.webhooks.idle();
  sandbox.reset();
  deliveries.length = 0;
  requests.length = 0;
});

describe('stripe adapter against the sandbox: Checkout', () => {
  it('creates a session, is paid on the hosted page, is confirmed by a verified webhook and by getPayment', async () => {
    const created = await adapter.createPayment({
      amount: { amount: 4900, currency: 'USD' },
      reference: 'enrollment-42',
      description: 'Course: TypeScript for payments',
      returnUrl: 'https://school.example/enrollments/42/return?session={CHECKOUT_SESSION_ID}',
      locale: 'ka',
      metadata: { student: 'nino' },
    });
    expect(created).toMatchObject({
      provider: 'stripe',
      status: 'requires_action',
      rawStatus: 'open',
      amount: { amount: 4900, currency: 'USD' },
      amountCaptured: 0,
      reference: 'enrollment-42',
      nextAction: { type: 'redirect', method: 'GET' },
    });
    expect(created.id).toMatch(/^cs_test_/);
    expect(created.redirectUrl).toBe(`${sandbox.url}/stripe/checkout/${created.id}`);

    const response = await payOnHostedPage(created.redirectUrl as string, '4242424242424242');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      `https://school.example/enrollments/42/return?session=${created.id}`,
    );

    const events = await verifiedEvents();
    const completed = events.find((event) => event.paymentId === created.id);
    expect(completed).toMatchObject({
      provider: 'stripe',
      type: 'payment.updated',
      status: 'captured',
      reference: 'enrollment-42',
      signed: true,
    });
    const succeeded = events.find(
      (event) => (event.raw as { type: string }).type === 'payment_intent.succeeded',
    );
    expect(succeeded).toMatchObject({ status: 'captured', reference: 'enrollment-42' });
    expect(succeeded?.paymentId).toMatch(/^pi_/);

    const payment = await adapter.getPayment(created.id);
    expect(payment).toMatchObject({
      id: created.id,
      status: 'captured',
      rawStatus: 'succeeded',
      amountCaptured: 4900,
      amountRefunded: 0,
      reference: 'enrollment-42',
      card: { brand: 'visa', maskedPan: '****4242' },
    });
    expect(isPaid(payment.status)).toBe(true);
    expect(payment.redirectUrl).toBeUndefined();
    // The PaymentIntent id works too, and tells the same story.
    const byIntent = await adapter.getPayment(succeeded?.paymentId as string);
    expect(byIntent).toMatchObject({ status: 'captured', amountCaptured: 4900, reference: 'enrollment-42' });
  });

  it('keeps a declined attempt open (requires_action with the failure) so the customer can retry', async () => {
    const { created, response } = await paidCheckout({}, '4000000000009995');
    expect(response.status).toBe(402);
    const payment = await adapter.getPayment(created.id);
    expect(payment).toMatchObject({
      status: 'requires_action',
      rawStatus: 'open',
      failure: { code: 'insufficient_funds', rawCode: 'insufficient_funds' },
    });
    expect(payment.redirectUrl).toBe(created.redirectUrl);
    const retry = await payOnHostedPage(created.redirectUrl as string, '5555555555554444');
    expect(retry.status).toBe(303);
    expect((await adapter.getPayment(created.id)).status).toBe('captured');
  });

  it('holds with capture: manual, captures part of it and refunds part of the capture', async () => {
    const { created } = await paidCheckout({ capture: 'manual' });
    const authorized = await adapter.getPayment(created.id);
    expect(authorized).toMatchObject({
      status: 'authorized',
      rawStatus: 'requires_capture',
      amountCaptured: 0,
    });

    const captured = await adapter.capture(created.id, { amount: 3000 });
    expect(captured).toMatchObject({
      id: created.id,
      status: 'captured',
      amountCaptured: 3000,
      amountRefunded: 0,
    });
    expect(captured.reference).toBe(created.reference);

    const refund = await adapter.refund(created.id, { amount: 1000, reason: 'requested_by_customer' });
    expect(refund).toMatchObject({
      provider: 'stripe',
      paymentId: created.id,
      status: 'succeeded',
      amount: 1000,
      currency: 'USD',
    });
    expect(refund.id).toMatch(/^re_/);
    expect(await adapter.getPayment(created.id)).toMatchObject({
      status: 'partially_refunded',
      amountCaptured: 3000,
      amountRefunded: 1000,
    });

    const rest = await adapter.refund(created.id);
    expect(rest.amount).toBe(2000);
    expect(await adapter.getPayment(created.id)).toMatchObject({ status: 'refunded', amountRefunded: 3000 });

    const tooMuch = await rejection(adapter.refund(created.id, { amount: 1 }));
    expect(InvalidRequestError.isInstance(tooMuch)).toBe(true);
    expect(tooMuch.message).toMatch(/already been refunded/);
  });

  it('cancels an authorization, and expires a session nobody paid', async () => {
    const { created } = await paidCheckout({ capture: 'manual' });
    const canceled = await adapter.cancel(created.id);
    expect(canceled).toMatchObject({
      id: created.id,
      status: 'canceled',
      rawStatus: 'canceled',
      amountCaptured: 0,
    });

    const unpaid = await adapter.createPayment({
      amount: { amount: 1200, currency: 'EUR' },
      reference: 'donation-5',
      returnUrl: 'https://trees.example/thanks',
    });
    const expired = await adapter.cancel(unpaid.id);
    expect(expired).toMatchObject({ id: unpaid.id, status: 'expired', rawStatus: 'expired' });
    expect(expired.redirectUrl).toBeUndefined();
    expect((await fetch(unpaid.redirectUrl as string)).status).toBe(410);
  });

  it('reports a session the clock expired as expired, with a webhook saying so', async () => {
    const unpaid = await adapter.createPayment({
      amount: { amount: 1200, currency: 'USD' },
      reference: 'order-late',
      returnUrl: 'https://shop.example/return',
    });
    await sandbox.clock.advance(25 * 60 * 60 * 1000);
    expect(await adapter.getPayment(unpaid.id)).toMatchObject({ status: 'expired', reference: 'order-late' });
    const events = await verifiedEvents();
    expect(events.find((event) => event.paymentId === unpaid.id)).toMatchObject({
      type: 'payment.updated',
      status: 'expired',
      reference: 'order-late',
    });
  });

  it('uses the idempotency key: the same createPayment twice is one session', async () => {
    const input = {
      amount: { amount: 700, currency: 'USD' },
      reference: 'order-idem',
      returnUrl: 'https://shop.example/return',
      idempotencyKey: 'order-idem-attempt-1',
    };
    const first = await adapter.createPayment(input);
    const second = await adapter.createPayment(input);
    expect(second.id).toBe(first.id);
    expect(requests.map((request) => request.idempotencyKey)).toEqual([
      'order-idem-attempt-1',
      'order-idem-attempt-1',
    ]);
  });
});

describe('stripe adapter against the sandbox: saved cards', () => {
  it('saves a card during checkout and charges it off-session later', async () => {
    const { created } = await paidCheckout({
      savePaymentMethod: true,
      customer: { email: 'nino@example.com', id: 'user-7' },
    });
    const first = await adapter.getPayment(created.id);
    expect(first.status).toBe('captured');
    expect(first.savedMethod).toMatchObject({ usage: 'off_session', maskedPan: '****4242', brand: 'visa' });
    expect(first.savedMethod?.id).toMatch(/^pm_/);
    expect(first.savedMethod?.customerId).toMatch(/^cus_/);

    const renewal = await adapter.chargeSavedMethod({
      savedMethod: first.savedMethod as NonNullable<Payment['savedMethod']>,
      amount: { amount: 1900, currency: 'USD' },
      reference: 'subscription-7-2024-08',
    });
    expect(renewal).toMatchObject({
      status: 'captured',
      amountCaptured: 1900,
      reference: 'subscription-7-2024-08',
    });
    expect(renewal.id).toMatch(/^pi_/);
    expect(await adapter.getPayment(renewal.id)).toMatchObject({ status: 'captured' });
  });

  it('reports authentication_required off-session as requires_action, and completes it on-session through the redirect', async () => {
    const { created, response } = await paidCheckout(
      { savePaymentMethod: true, customer: { email: 'eka@example.com' } },
      '4000002760003184',
    );
    // This card wants 3-D Secure on every payment: the first one on the hosted page too.
    expect(response.status).toBe(303);
    const challenge = new URL(response.headers.get('location') as string, created.redirectUrl as string);
    expect((await authenticate(challenge.toString())).status).toBe(303);
    const saved = (await adapter.getPayment(created.id)).savedMethod as NonNullable<Payment['savedMethod']>;
    expect(saved).toBeDefined();

    const offSession = await adapter.chargeSavedMethod({
      savedMethod: saved,
      amount: { amount: 1900, currency: 'USD' },
      reference: 'renewal-auth',
    });
    expect(offSession).toMatchObject({
      status: 'requires_action',
      rawStatus: 'requires_payment_method',
      failure: { code: 'authentication_failed', rawCode: 'authentication_required' },
    });
    expect(offSession.redirectUrl).toBeUndefined();
    expect(getStripeClientSecret(offSession)).toMatch(/^pi_.+_secret_/);
    expect(JSON.stringify(offSession)).not.toContain('_secret_');

    // Bring the customer back: an on-session charge with a return URL gets Stripe's redirect.
    const onSession = await adapter.chargeSavedMethod({
      savedMethod: { ...saved, usage: 'on_session' },
      amount: { amount: 1900, currency: 'USD' },
      reference: 'renewal-auth',
      returnUrl: 'https://shop.example/renewal/return',
    });
    expect(onSession).toMatchObject({ status: 'requires_action', rawStatus: 'requires_action' });
    expect(onSession.redirectUrl).toBe(`${sandbox.url}/stripe/3ds/${onSession.id}`);
    const back = await authenticate(onSession.redirectUrl as string);
    const returned = new URL(back.headers.get('location') as string);
    expect(returned.origin + returned.pathname).toBe('https://shop.example/renewal/return');
    expect(returned.searchParams.get('payment_intent')).toBe(onSession.id);
    expect(returned.searchParams.get('redirect_status')).toBe('succeeded');
    expect(await adapter.getPayment(onSession.id)).toMatchObject({
      status: 'captured',
      amountCaptured: 1900,
    });
  });

  it('reports an off-session decline as failed (nobody is there to retry)', async () => {
    const { created } = await paidCheckout(
      { savePaymentMethod: 'off_session', customer: { email: 'x@example.com' } },
      '4000000000000341',
    );
    const first = await adapter.getPayment(created.id);
    // 4000000000000341 saves fine but declines every charge, the first one included.
    expect(first.status).toBe('requires_action');
    const customer = await adapter.client.customers.create({ email: 'x@example.com' });
    const method = await adapter.client.paymentMethods.attach('pm_card_chargeCustomerFail', {
      customer: customer.id,
    });
    const renewal = await adapter.chargeSavedMethod({
      savedMethod: { id: method.id, customerId: customer.id },
      amount: { amount: 1900, currency: 'USD' },
      reference: 'renewal-declined',
    });
    expect(renewal).toMatchObject({
      status: 'failed',
      rawStatus: 'requires_payment_method',
      failure: { code: 'card_declined', rawCode: 'generic_decline' },
      savedMethod: { id: method.id, customerId: customer.id },
    });
    expect(await adapter.getPayment(renewal.id)).toMatchObject({ status: 'failed' });
    const events = await verifiedEvents();
    expect(events.filter((event) => event.paymentId === renewal.id).map((event) => event.status)).toContain(
      'failed',
    );
  });
});

describe('stripe adapter against the sandbox: PaymentIntent mode and errors', () => {
  it('creates a PaymentIntent for Stripe.js, hands out its client secret, and reads the result', async () => {
    const created = await adapter.createPayment({
      amount: { amount: 2500, currency: 'USD' },
      reference: 'order-pi',
      savePaymentMethod: 'on_session',
      customer: { email: 'buyer@example.com' },
      providerOptions: { stripe: { mode: 'payment_intent' } },
    });
    expect(created).toMatchObject({
      status: 'requires_action',
      rawStatus: 'requires_payment_method',
      reference: 'order-pi',
    });
    expect(created.id).toMatch(/^pi_/);
    expect(created.redirectUrl).toBeUndefined();
    expect(getStripeClientSecret(created)).toMatch(new RegExp(`^${created.id}_secret_`));
    expect((created.raw as { client_secret: string }).client_secret).toBe('[REDACTED]');
    // What Stripe.js would do in the browser, done here with the official client.
    await adapter.client.paymentIntents.confirm(created.id, {
      payment_method: 'pm_card_visa',
      return_url: 'https://shop.example/return',
    });
    const payment = await adapter.getPayment(created.id);
    expect(payment).toMatchObject({
      status: 'captured',
      amountCaptured: 2500,
      savedMethod: { usage: 'on_session' },
    });
    expect(payment.savedMethod?.customerId).toMatch(/^cus_/);
  });

  it('refuses bad input with a typed error before sending anything', async () => {
    const calls: Array<Promise<unknown>> = [
      adapter.createPayment({ amount: { amount: 4900, currency: 'USD' }, reference: 'no-return-url' }),
      adapter.createPayment({
        amount: { amount: 49.5, currency: 'USD' },
        reference: 'float',
        returnUrl: 'https://x.example',
      }),
      adapter.createPayment({
        amount: { amount: 0, currency: 'USD' },
        reference: 'zero',
        returnUrl: 'https://x.example',
      }),
      adapter.createPayment({
        amount: { amount: 1000, currency: 'USD' },
        reference: 'lines',
        returnUrl: 'https://x.example',
        lineItems: [{ name: 'A', quantity: 3, unitAmount: 300 }],
      }),
      adapter.getPayment('order-42'),
      adapter.refund('pi_x', { amount: -1 }),
      adapter.chargeSavedMethod({
        savedMethod: { id: 'pm_x' },
        amount: { amount: 100, currency: 'USD' },
        reference: 'r',
      }),
    ];
    for (const call of calls) {
      expect(InvalidRequestError.isInstance(await rejection(call))).toBe(true);
    }
    expect(requests).toHaveLength(0);
  });

  it('maps Stripe errors: unknown ids, a wrong key', async () => {
    const missing = await rejection(adapter.getPayment('pi_doesNotExist0000'));
    expect(NotFoundError.isInstance(missing)).toBe(true);
    expect(missing).toMatchObject({ provider: 'stripe', statusCode: 404, code: 'resource_missing' });
    expect(missing.requestId).toMatch(/^req_/);

    const wrongKey = createAdapter({ apiKey: 'sk_test_notTheSandboxKey123456' });
    const refused = await rejection(wrongKey.getPayment('pi_doesNotExist0000'));
    expect(AuthenticationError.isInstance(refused)).toBe(true);
    expect(JSON.stringify({ message: refused.message, body: refused.rawBody })).not.toContain(
      'notTheSandboxKey',
    );
  });

  it('rejects deliveries signed with another secret and maps unrelated events to unknown', async () => {
    await adapter.client.customers.create({ email: 'someone@example.com' });
    const events = await verifiedEvents();
    expect(events.map((event) => event.type)).toEqual(['unknown']);
    const [delivery] = deliveries;
    const other = createAdapter({ webhookSecret: 'whsec_someOtherEndpoint' });
    const error = await rejection(
      other.verifyWebhook({
        rawBody: delivery?.body ?? '',
        headers: delivery?.headers as Record<string, string>,
      }),
    );
    expect(SignatureVerificationError.isInstance(error)).toBe(true);
  });
});
