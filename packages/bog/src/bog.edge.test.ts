// The Bank of Georgia package in the edge-runtime environment (project `bog-edge`): core's web
// build (fetch transport, RSA-SHA256 on WebCrypto with an SPKI key), against the sandbox started
// on Node by the project's globalSetup (bog-edge-sandbox.test-helper.ts). Callbacks go through a
// Worker-style `fetch(request)` handler, the way a Cloudflare Worker, a Vercel Edge route or a
// Supabase Edge Function receives them.
import { defaultTransport, SignatureVerificationError, type WebhookEvent } from '@colchis/core';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { type BogProvider, createBog, createBogTestCallback, createBogTestKeyPair } from './index.js';

// Provided by the `bog-edge` project's globalSetup. The Node project's `src/**/*.test.ts` also
// matches this file; there nothing is provided and the suite is skipped.
const sandbox = inject('bogEdgeSandbox');
const CALLBACK_URL = 'https://shop.example/webhooks/bog';
const bog: BogProvider | undefined = sandbox && createBog({ ...sandbox.settings, callbackUrl: CALLBACK_URL });
let counter = 0;
const reference = (name: string) => `edge-${name}-${Date.now()}-${++counter}`;

/** The handler a Worker exports: verify on the raw body, answer 400 to anything unsigned. */
async function handleCallback(
  request: Request,
  provider: BogProvider = bog as BogProvider,
): Promise<{ response: Response; event?: WebhookEvent }> {
  try {
    const event = await provider.verifyWebhook({ rawBody: await request.text(), headers: request.headers });
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

/** The newest callback the sandbox holds for an order (its queue is on hold for this project). */
async function lastCallbackFor(orderId: string): Promise<HeldDelivery> {
  const listing = (await (await fetch(`${sandbox.url}/_control/webhooks`)).json()) as {
    deliveries: HeldDelivery[];
  };
  const delivery = listing.deliveries.filter((held) => held.body.includes(orderId)).at(-1);
  expect(delivery, `a callback for ${orderId}`).toBeDefined();
  return delivery as HeldDelivery;
}

function asRequest(delivery: HeldDelivery, body = delivery.body): Request {
  return new Request(delivery.url, { method: 'POST', headers: delivery.headers, body });
}

/** A shopper on the hosted page: load it, fill in the card form, submit. */
async function payOnHostedPage(redirectUrl: string, cardNumber: string): Promise<Response> {
  const html = await (await fetch(redirectUrl)).text();
  const form = /<form method="post" action="([^"]+)" id="card-form">([\s\S]*?)<\/form>/.exec(html);
  expect(form, 'the hosted page has a card form').not.toBeNull();
  const fields = new URLSearchParams();
  for (const input of (form?.[2] ?? '').matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
    fields.set(input[1] as string, input[2] as string);
  }
  fields.set('card_number', cardNumber);
  return fetch(form?.[1] as string, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.runIf(bog !== undefined)('Bank of Georgia on an edge runtime', () => {
  const provider = bog as BogProvider;

  it('runs in the Edge Runtime with fetch as the default transport', () => {
    expect((globalThis as { EdgeRuntime?: unknown }).EdgeRuntime).toBe('edge-runtime');
    expect(defaultTransport().name).toBe('fetch');
  });

  it('create -> hosted page -> signed callback -> captured -> partial refund', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const payment = await provider.createPayment({
      amount: { amount: 2550, currency: 'GEL' },
      reference: reference('enrollment'),
      description: 'Course enrollment',
      returnUrl: 'https://shop.example/return',
    });
    expect(payment.status).toBe('requires_action');
    expect(payment.redirectUrl).toBe(`${sandbox.settings.paymentPageUrl}?order_id=${payment.id}`);
    // The token and the order went through the runtime's global fetch (no undici here).
    const called = fetchSpy.mock.calls.map(([url]) => String(url));
    expect(called).toContain(sandbox.settings.tokenUrl);
    expect(called).toContain(`${sandbox.settings.apiUrl}/ecommerce/orders`);

    const answer = await payOnHostedPage(payment.redirectUrl as string, '4000 0000 0000 0001');
    expect(answer.status).toBe(303);

    const callback = await lastCallbackFor(payment.id);
    expect(Object.keys(callback.headers).map((name) => name.toLowerCase())).toContain('callback-signature');
    const { response, event } = await handleCallback(asRequest(callback));
    expect(response.status).toBe(200);
    expect(event).toMatchObject({
      provider: 'bog',
      type: 'payment.updated',
      paymentId: payment.id,
      status: 'captured',
      rawStatus: 'completed',
      signed: true,
    });

    expect(await provider.getPayment(payment.id)).toMatchObject({ status: 'captured', amountCaptured: 2550 });
    await provider.refund(payment.id, { amount: 550 });
    expect(await provider.getPayment(payment.id)).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 550,
    });
  });

  it('pre-authorization: holds, then captures part of the hold', async () => {
    const payment = await provider.createPayment({
      amount: { amount: 4000, currency: 'GEL' },
      reference: reference('hold'),
      capture: 'manual',
    });
    await payOnHostedPage(payment.redirectUrl as string, '4000000000000001');
    const { event } = await handleCallback(asRequest(await lastCallbackFor(payment.id)));
    expect(event).toMatchObject({ status: 'authorized', signed: true });
    const captured = await provider.capture(payment.id, { amount: 2575 });
    expect(captured).toMatchObject({ status: 'captured', amountCaptured: 2575 });
  });

  it('a declined card is failed, with the normalized failure code', async () => {
    const payment = await provider.createPayment({
      amount: { amount: 1000, currency: 'GEL' },
      reference: reference('declined'),
    });
    await payOnHostedPage(payment.redirectUrl as string, '4000000000000002');
    const { event } = await handleCallback(asRequest(await lastCallbackFor(payment.id)));
    expect(event).toMatchObject({ status: 'failed', signed: true });
    expect(await provider.getPayment(payment.id)).toMatchObject({
      status: 'failed',
      failure: { code: 'insufficient_funds', rawCode: '107' },
    });
  });

  it('rejects a tampered callback, an unsigned one and one signed with another key', async () => {
    const payment = await provider.createPayment({
      amount: { amount: 1250, currency: 'GEL' },
      reference: reference('tamper'),
    });
    await payOnHostedPage(payment.redirectUrl as string, '4000000000000001');
    const callback = await lastCallbackFor(payment.id);
    const tampered = callback.body.replace('12.5', '1.25');
    expect(tampered).not.toBe(callback.body);
    expect((await handleCallback(asRequest(callback, tampered))).response.status).toBe(400);
    const unsigned = new Request(CALLBACK_URL, { method: 'POST', body: callback.body });
    expect((await handleCallback(unsigned)).response.status).toBe(400);

    // The test-signing helpers are WebCrypto too: a key pair of our own signs a valid callback
    // that this provider (configured with the sandbox's key) refuses and another one accepts.
    const keys = await createBogTestKeyPair();
    const details = (JSON.parse(callback.body) as { body: Record<string, unknown> }).body;
    const own = await createBogTestCallback(details, keys.privateKey);
    const ownRequest = () =>
      new Request(CALLBACK_URL, { method: 'POST', headers: own.headers, body: own.rawBody });
    expect((await handleCallback(ownRequest())).response.status).toBe(400);
    const trusting = createBog({ ...sandbox.settings, callbackPublicKey: keys.publicKey });
    const accepted = await handleCallback(ownRequest(), trusting);
    expect(accepted.response.status).toBe(200);
    expect(accepted.event).toMatchObject({ paymentId: payment.id, status: 'captured', signed: true });
  });
});
