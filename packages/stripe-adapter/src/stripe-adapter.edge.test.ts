// The Stripe adapter in the edge-runtime environment (project `stripe-adapter-edge`): stripe-node's
// worker build (fetch HTTP client, SubtleCrypto webhooks) and core's web build, against the sandbox
// started on Node by the project's globalSetup (stripe-edge-sandbox.test-helper.ts). Events go
// through a Worker-style `fetch(request)` handler, the way a Cloudflare Worker or a Vercel Edge
// route receives them.
import { defaultTransport, SignatureVerificationError, type WebhookEvent } from '@colchis/core';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { createStripeAdapter, createStripeTestWebhook, type StripeAdapter } from './index.js';

// Provided by the `stripe-adapter-edge` project's globalSetup. The Node project's
// `src/**/*.test.ts` also matches this file; there nothing is provided and the suite is skipped.
const sandbox = inject('stripeEdgeSandbox');
const adapterFor = (settings: typeof sandbox) =>
  createStripeAdapter({
    apiKey: settings.apiKey,
    webhookSecret: settings.webhookSecret,
    stripeOptions: {
      host: settings.host,
      port: settings.port,
      protocol: settings.protocol,
      telemetry: false,
    },
    retry: { initialDelayMs: 5, maxDelayMs: 20 },
  });
const stripe: StripeAdapter | undefined = sandbox && adapterFor(sandbox);
let counter = 0;
const reference = (name: string) => `edge-${name}-${Date.now()}-${++counter}`;

/** The handler a Worker exports: verify on the raw body, answer 400 to anything unsigned. */
async function handleWebhook(request: Request): Promise<{ response: Response; event?: WebhookEvent }> {
  try {
    const event = await (stripe as StripeAdapter).verifyWebhook({
      rawBody: await request.text(),
      headers: request.headers,
    });
    return { response: new Response('ok'), event };
  } catch (error) {
    if (SignatureVerificationError.isInstance(error))
      return { response: new Response('bad', { status: 400 }) };
    throw error;
  }
}

interface HeldDelivery {
  gateway: string;
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** The events the sandbox holds that mention `id` (its queue is on hold for this project). */
async function deliveriesFor(id: string): Promise<HeldDelivery[]> {
  const listing = (await (await fetch(`${sandbox.url}/_control/webhooks`)).json()) as {
    deliveries: HeldDelivery[];
  };
  return listing.deliveries.filter((delivery) => delivery.body.includes(id));
}

function asRequest(delivery: HeldDelivery, body = delivery.body): Request {
  return new Request(delivery.url, { method: 'POST', headers: delivery.headers, body });
}

/** Pays on the sandbox's hosted Checkout page like a browser: GET the page, POST its form. */
async function payOnHostedPage(url: string, card: string): Promise<Response> {
  const html = await (await fetch(url)).text();
  const action = /<form method="post" action="([^"]+)" id="card-form"/.exec(html)?.[1];
  expect(action, 'the Checkout page has a card form').toBeDefined();
  return fetch(new URL(action as string, url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ card_number: card, expiry: '12/34', cvc: '123' }),
    redirect: 'manual',
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.runIf(stripe !== undefined)('Stripe adapter on an edge runtime', () => {
  const adapter = stripe as StripeAdapter;

  it("runs stripe-node's worker build: fetch HTTP client, no Node platform", () => {
    expect((globalThis as { EdgeRuntime?: unknown }).EdgeRuntime).toBe('edge-runtime');
    expect(defaultTransport().name).toBe('fetch');
    expect(adapter.client.getApiField('httpClient').getClientName()).toBe('fetch');
  });

  it('Checkout: create -> hosted page -> signed events -> captured -> partial refund', async () => {
    // stripe-node's fetch client takes the global fetch when the client is created: spy first.
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const adapter = adapterFor(sandbox);
    const created = await adapter.createPayment({
      amount: { amount: 4900, currency: 'USD' },
      reference: reference('enrollment'),
      description: 'Course: TypeScript for payments',
      returnUrl: 'https://school.example/return?session={CHECKOUT_SESSION_ID}',
    });
    expect(created).toMatchObject({ provider: 'stripe', status: 'requires_action', rawStatus: 'open' });
    expect(created.id).toMatch(/^cs_test_/);
    // stripe-node's fetch client called the sandbox through the runtime's global fetch.
    expect(fetchSpy.mock.calls.map(([url]) => String(url))).toContain(`${sandbox.url}/v1/checkout/sessions`);

    const answer = await payOnHostedPage(created.redirectUrl as string, '4242424242424242');
    expect(answer.status).toBe(303);

    const deliveries = await deliveriesFor(created.id);
    expect(deliveries.length).toBeGreaterThan(0);
    const handled = await Promise.all(deliveries.map((delivery) => handleWebhook(asRequest(delivery))));
    expect(handled.map(({ response }) => response.status)).toEqual(deliveries.map(() => 200));
    const completed = handled.find(({ event }) => event?.paymentId === created.id)?.event;
    expect(completed).toMatchObject({
      provider: 'stripe',
      type: 'payment.updated',
      status: 'captured',
      signed: true,
    });

    expect(await adapter.getPayment(created.id)).toMatchObject({ status: 'captured', amountCaptured: 4900 });
    await adapter.refund(created.id, { amount: 900, reason: 'requested_by_customer' });
    expect(await adapter.getPayment(created.id)).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 900,
    });
  });

  it('keeps a declined attempt open with the failure, then another card pays', async () => {
    const created = await adapter.createPayment({
      amount: { amount: 2500, currency: 'USD' },
      reference: reference('declined'),
      returnUrl: 'https://school.example/return',
    });
    expect((await payOnHostedPage(created.redirectUrl as string, '4000000000009995')).status).toBe(402);
    expect(await adapter.getPayment(created.id)).toMatchObject({
      status: 'requires_action',
      failure: { code: 'insufficient_funds' },
    });
    expect((await payOnHostedPage(created.redirectUrl as string, '5555555555554444')).status).toBe(303);
    expect((await adapter.getPayment(created.id)).status).toBe('captured');
  });

  it('rejects tampered and unsigned events, and verifies test webhooks signed on WebCrypto', async () => {
    const created = await adapter.createPayment({
      amount: { amount: 1200, currency: 'USD' },
      reference: reference('tamper'),
      returnUrl: 'https://school.example/return',
    });
    await payOnHostedPage(created.redirectUrl as string, '4242424242424242');
    const [delivery] = await deliveriesFor(created.id);
    const held = delivery as HeldDelivery;
    const tampered = held.body.replace('1200', '1');
    expect(tampered).not.toBe(held.body);
    expect((await handleWebhook(asRequest(held, tampered))).response.status).toBe(400);
    expect(
      (await handleWebhook(new Request(held.url, { method: 'POST', body: held.body }))).response.status,
    ).toBe(400);

    const event = JSON.parse(held.body) as object;
    const signed = await createStripeTestWebhook({ event, secret: sandbox.webhookSecret });
    const own = new Request(held.url, { method: 'POST', headers: signed.headers, body: signed.rawBody });
    expect((await handleWebhook(own)).response.status).toBe(200);
    const foreign = await createStripeTestWebhook({ event, secret: 'whsec_someone_else' });
    expect(
      (
        await handleWebhook(
          new Request(held.url, { method: 'POST', headers: foreign.headers, body: foreign.rawBody }),
        )
      ).response.status,
    ).toBe(400);
  });
});
