import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../server.js';
import { signStripePayload } from './stripe-events.js';
import { parseStripeParams } from './stripe-form.js';

let sandbox: Sandbox;
let stripe: Stripe;
let receiver: Server;
let receiverUrl: string;
const received: Array<{ body: string; signature: string }> = [];

function client(apiKey = sandbox.stripe.apiKey): Stripe {
  const { host, port, protocol } = sandbox.stripe;
  return new Stripe(apiKey, { host, port, protocol, maxNetworkRetries: 0, telemetry: false });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Submits the hosted Checkout page like a browser would. */
async function payOnHostedPage(url: string, card: string, extra: Record<string, string> = {}) {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)" id="card-form"/.exec(html)?.[1];
  expect(action).toBeDefined();
  return fetch(new URL(action as string, url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ card_number: card, expiry: '12/34', cvc: '123', ...extra }),
    redirect: 'manual',
  });
}

beforeAll(async () => {
  sandbox = await startSandbox({ webhookRetryDelaysMs: [20] });
  stripe = client();
  receiver = createServer(async (request, response) => {
    received.push({ body: await readBody(request), signature: String(request.headers['stripe-signature']) });
    response.writeHead(200).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`;
  sandbox.stripe.setWebhookUrl(receiverUrl);
});
afterAll(async () => {
  await sandbox?.close();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});
beforeEach(() => {
  sandbox.reset();
  received.length = 0;
});

describe('stripe emulator: form encoding', () => {
  it('decodes stripe-node bracket notation into nested objects and arrays', () => {
    const params = parseStripeParams(
      'amount=4900&metadata[reference]=enr-1&line_items[0][price_data][unit_amount]=100&line_items[0][quantity]=2&expand[0]=latest_charge&expand[1]=customer&empty=',
    );
    expect(params).toEqual({
      amount: '4900',
      metadata: { reference: 'enr-1' },
      line_items: [{ price_data: { unit_amount: '100' }, quantity: '2' }],
      expand: ['latest_charge', 'customer'],
      empty: '',
    });
    expect(parseStripeParams('expand[]=a&expand[]=b')).toEqual({ expand: ['a', 'b'] });
  });
});

describe('stripe emulator: the official client offline', () => {
  it('refuses a wrong API key the way Stripe does', async () => {
    const error = await client('sk_test_wrong_key_123456')
      .customers.create({})
      .catch((caught: unknown) => caught);
    expect((error as Stripe.errors.StripeError).type).toBe('StripeAuthenticationError');
    expect((error as Stripe.errors.StripeError).statusCode).toBe(401);
    expect((error as Error).message).not.toContain('sk_test_wrong_key_123456');
  });

  it('creates customers, attaches test payment methods and lists them', async () => {
    const customer = await stripe.customers.create({ email: 'nino@example.com', metadata: { user: '7' } });
    expect(customer).toMatchObject({
      object: 'customer',
      email: 'nino@example.com',
      metadata: { user: '7' },
    });
    const method = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(method.id).toMatch(/^pm_/);
    expect(method.card).toMatchObject({ brand: 'visa', last4: '4242' });
    const list = await stripe.customers.listPaymentMethods(customer.id, { type: 'card' });
    expect(list.data.map((item) => item.id)).toEqual([method.id]);
    const declined = await stripe.paymentMethods
      .attach('pm_card_chargeDeclined', { customer: customer.id })
      .catch((caught: unknown) => caught);
    expect((declined as Stripe.errors.StripeError).type).toBe('StripeCardError');
  });

  it('confirms a PaymentIntent server-side and expands its charge', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 4900,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      metadata: { reference: 'order-1' },
      expand: ['latest_charge'],
    });
    expect(intent.status).toBe('succeeded');
    expect(intent.amount_received).toBe(4900);
    const charge = intent.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({
      object: 'charge',
      amount_captured: 4900,
      captured: true,
      metadata: { reference: 'order-1' },
    });
    expect(charge.payment_method_details?.card?.last4).toBe('4242');
  });

  it('requires a return_url for automatic payment methods that may redirect', async () => {
    const error = await stripe.paymentIntents
      .create({ amount: 4900, currency: 'usd', payment_method: 'pm_card_visa', confirm: true })
      .catch((caught: unknown) => caught);
    expect((error as Stripe.errors.StripeError).type).toBe('StripeInvalidRequestError');
    expect((error as Stripe.errors.StripeError).param).toBe('return_url');
  });

  it('declines with a 402 card error carrying the PaymentIntent', async () => {
    const error = (await stripe.paymentIntents
      .create({
        amount: 4900,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclinedInsufficientFunds',
        confirm: true,
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      })
      .catch((caught: unknown) => caught)) as Stripe.errors.StripeCardError;
    expect(error.type).toBe('StripeCardError');
    expect(error.statusCode).toBe(402);
    expect(error.decline_code).toBe('insufficient_funds');
    const intent = (error.raw as { payment_intent: Stripe.PaymentIntent }).payment_intent;
    expect(intent.status).toBe('requires_payment_method');
    expect(intent.last_payment_error?.decline_code).toBe('insufficient_funds');
  });

  it('replays an idempotent POST and refuses the same key with other parameters', async () => {
    const params = { amount: 1000, currency: 'usd' } as const;
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'order-77' });
    const replay = await stripe.paymentIntents.create(params, { idempotencyKey: 'order-77' });
    expect(replay.id).toBe(first.id);
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    const conflict = await stripe.paymentIntents
      .create({ ...params, amount: 2000 }, { idempotencyKey: 'order-77' })
      .catch((caught: unknown) => caught);
    expect((conflict as Stripe.errors.StripeError).type).toBe('StripeIdempotencyError');
    expect((await stripe.paymentIntents.list()).data).toHaveLength(1);
  });

  it('answers unknown ids with resource_missing', async () => {
    const error = await stripe.paymentIntents.retrieve('pi_doesNotExist').catch((caught: unknown) => caught);
    expect((error as Stripe.errors.StripeError).statusCode).toBe(404);
    expect((error as Stripe.errors.StripeError).code).toBe('resource_missing');
  });

  it('captures part of a hold and refunds part, then refuses to refund more than is left', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 5000,
      currency: 'usd',
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    expect(intent.status).toBe('requires_capture');
    expect(intent.amount_capturable).toBe(5000);
    const captured = await stripe.paymentIntents.capture(intent.id, {
      amount_to_capture: 3000,
      expand: ['latest_charge'],
    });
    expect(captured.status).toBe('succeeded');
    expect(captured.amount_received).toBe(3000);
    expect((captured.latest_charge as Stripe.Charge).amount_refunded).toBe(0);
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 1000 });
    expect(refund).toMatchObject({
      object: 'refund',
      amount: 1000,
      status: 'succeeded',
      payment_intent: intent.id,
    });
    const tooMuch = await stripe.refunds
      .create({ payment_intent: intent.id, amount: 2500 })
      .catch((caught: unknown) => caught);
    expect((tooMuch as Stripe.errors.StripeError).code).toBe('amount_too_large');
    const rest = await stripe.refunds.create({ payment_intent: intent.id });
    expect(rest.amount).toBe(2000);
    const charge = await stripe.charges.retrieve(
      captured.latest_charge ? (captured.latest_charge as Stripe.Charge).id : '',
    );
    expect(charge).toMatchObject({ amount_refunded: 3000, refunded: true });
  });

  it('cancels an authorization', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 5000,
      currency: 'usd',
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    const canceled = await stripe.paymentIntents.cancel(intent.id, {
      cancellation_reason: 'requested_by_customer',
    });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'requested_by_customer' });
    const again = await stripe.paymentIntents.capture(intent.id).catch((caught: unknown) => caught);
    expect((again as Stripe.errors.StripeError).code).toBe('payment_intent_unexpected_state');
  });
});

describe('stripe emulator: Checkout and webhooks', () => {
  it('takes a payment on the hosted page, redirects to success_url and delivers signed events', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      success_url: 'https://shop.example/return?session={CHECKOUT_SESSION_ID}',
      client_reference_id: 'enrollment-9',
      line_items: [
        { quantity: 2, price_data: { currency: 'usd', unit_amount: 1250, product_data: { name: 'Lesson' } } },
      ],
      payment_intent_data: { metadata: { reference: 'enrollment-9' } },
    });
    expect(session).toMatchObject({
      status: 'open',
      payment_status: 'unpaid',
      amount_total: 2500,
      payment_intent: null,
    });
    const response = await payOnHostedPage(session.url as string, '4242 4242 4242 4242');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`https://shop.example/return?session=${session.id}`);
    const done = await stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent.latest_charge'],
    });
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', url: null });
    const intent = done.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({
      status: 'succeeded',
      amount_received: 2500,
      metadata: { reference: 'enrollment-9' },
    });
    expect((intent.latest_charge as Stripe.Charge).object).toBe('charge');

    await sandbox.webhooks.idle();
    const types = received.map((delivery) => JSON.parse(delivery.body).type);
    expect(types).toEqual(
      expect.arrayContaining([
        'payment_intent.created',
        'charge.succeeded',
        'payment_intent.succeeded',
        'checkout.session.completed',
      ]),
    );
    for (const delivery of received) {
      const event = await Stripe.webhooks.constructEventAsync(
        delivery.body,
        delivery.signature,
        sandbox.stripe.webhookSecret,
      );
      expect(event.object).toBe('event');
    }
    const signature = received[0]?.signature ?? '';
    const timestamp = Number(/t=(\d+)/.exec(signature)?.[1]);
    expect(signature).toBe(
      signStripePayload(received[0]?.body ?? '', sandbox.stripe.webhookSecret, timestamp),
    );
  });

  it('shows a decline on the page and keeps the session open for another card', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      success_url: 'https://shop.example/return',
      line_items: [
        { quantity: 1, price_data: { currency: 'usd', unit_amount: 900, product_data: { name: 'Book' } } },
      ],
    });
    const declined = await payOnHostedPage(session.url as string, '4000000000000002');
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    const paid = await payOnHostedPage(session.url as string, '4242424242424242');
    expect(paid.status).toBe(303);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('complete');
  });

  it('runs 3-D Secure for 4000002500003155 and saves the card for off-session use', async () => {
    const customer = await stripe.customers.create({ email: 'eka@example.com' });
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      customer: customer.id,
      success_url: 'https://shop.example/return',
      line_items: [
        { quantity: 1, price_data: { currency: 'usd', unit_amount: 1500, product_data: { name: 'Plan' } } },
      ],
      payment_intent_data: { setup_future_usage: 'off_session' },
    });
    const challenge = await payOnHostedPage(session.url as string, '4000002500003155');
    expect(challenge.status).toBe(303);
    const challengeUrl = new URL(challenge.headers.get('location') as string, session.url as string);
    const page = await fetch(challengeUrl);
    expect(await page.text()).toContain('3-D Secure');
    const done = await fetch(challengeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'password=pass',
      redirect: 'manual',
    });
    expect(done.headers.get('location')).toBe('https://shop.example/return');
    const intent = await stripe.paymentIntents.retrieve(
      (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string,
    );
    expect(intent.status).toBe('succeeded');
    // Saved for off-session use after authentication: a later merchant-initiated charge passes.
    const renewal = await stripe.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      customer: customer.id,
      payment_method: intent.payment_method as string,
      off_session: true,
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    expect(renewal.status).toBe('succeeded');
  });

  it('expires open sessions when the sandbox clock passes expires_at', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      success_url: 'https://shop.example/return',
      line_items: [
        { quantity: 1, price_data: { currency: 'usd', unit_amount: 900, product_data: { name: 'Book' } } },
      ],
    });
    await sandbox.clock.advance(25 * 60 * 60 * 1000);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('expired');
    const page = await fetch(session.url as string);
    expect(page.status).toBe(410);
    await sandbox.webhooks.idle();
    expect(received.map((delivery) => JSON.parse(delivery.body).type)).toContain('checkout.session.expired');
  });

  it('creates webhook endpoints with their own secrets through the API', async () => {
    const endpoint = await stripe.webhookEndpoints.create({
      url: receiverUrl,
      enabled_events: ['customer.created'],
    });
    expect(endpoint.secret).toMatch(/^whsec_/);
    await stripe.customers.create({ email: 'x@example.com' });
    await sandbox.webhooks.idle();
    const own = received.filter((delivery) => {
      try {
        Stripe.webhooks.constructEvent(delivery.body, delivery.signature, endpoint.secret as string);
        return true;
      } catch {
        return false;
      }
    });
    expect(own).toHaveLength(1);
    await stripe.webhookEndpoints.del(endpoint.id);
  });

  it('keeps the webhook endpoint across reset and sets it through the control route', async () => {
    sandbox.reset();
    const current = await fetch(`${sandbox.url}/_control/stripe/webhook-endpoint`).then((r) => r.json());
    expect(current).toEqual({ url: receiverUrl, secret: sandbox.stripe.webhookSecret });
    const bad = await fetch(`${sandbox.url}/_control/stripe/webhook-endpoint`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'not a url' }),
    });
    expect(bad.status).toBe(400);
  });
});
