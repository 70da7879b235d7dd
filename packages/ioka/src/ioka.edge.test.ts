// The ioka package in the edge-runtime environment (project `ioka-edge`): core's web build
// (fetch transport, WebCrypto HMAC), against the sandbox started on Node by the project's
// globalSetup (ioka-edge-sandbox.test-helper.ts). Webhooks go through a Worker-style
// `fetch(request)` handler, the way a Cloudflare Worker or Vercel Edge route receives them.
import {
  ConfigurationError,
  defaultTransport,
  SignatureVerificationError,
  type WebhookEvent,
} from '@colchis/core';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import {
  createIoka,
  createIokaClient,
  type IokaProvider,
  signIokaTestWebhook,
  signIokaTestWebhookAsync,
  tenge,
} from './index.js';

// Provided by the `ioka-edge` project's globalSetup. The Node project's `src/**/*.test.ts` also
// matches this file; there nothing is provided and the suite is skipped.
const sandbox = inject('iokaEdgeSandbox');
const RETURN_URL = 'https://shop.example/payments/return';
const WEBHOOK_URL = 'https://shop.example/webhooks/ioka';
let ioka: IokaProvider;
let counter = 0;
const reference = (name: string) => `edge-${name}-${Date.now()}-${++counter}`;

/** The handler a Worker exports: verify on the raw body, answer 400 to anything unsigned. */
async function handleWebhook(request: Request): Promise<{ response: Response; event?: WebhookEvent }> {
  try {
    const event = await ioka.verifyWebhook({ rawBody: await request.text(), headers: request.headers });
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

/** The webhooks the sandbox holds for a payment (its queue is on hold for this project). */
async function deliveriesFor(paymentId: string): Promise<HeldDelivery[]> {
  const listing = (await (await fetch(`${sandbox.url}/_control/webhooks`)).json()) as {
    deliveries: HeldDelivery[];
  };
  return listing.deliveries.filter(
    (delivery) => delivery.gateway === 'ioka' && delivery.body.includes(paymentId),
  );
}

function asRequest(delivery: HeldDelivery, body = delivery.body): Request {
  return new Request(delivery.url, { method: 'POST', headers: delivery.headers, body });
}

/** A shopper on the hosted checkout: open it, submit the card, answer 3-D Secure if asked. */
async function payOnHostedPage(pageUrl: string, cardNumber: string): Promise<Response> {
  const page = await (await fetch(pageUrl)).text();
  const action = /<form method="post" action="([^"]+)" id="card-form"/
    .exec(page)?.[1]
    ?.replaceAll('&#38;', '&');
  expect(action, 'the checkout page has a card form').toBeDefined();
  const post = (url: string, fields: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
  let answer = await post(action as string, { card_number: cardNumber, expiry: '12/30', cvc: '123' });
  const location = answer.headers.get('location');
  if (answer.status === 303 && location?.includes('/3ds')) {
    await (await fetch(location)).text();
    answer = await post(location, { password: sandbox.acsPassword });
  }
  return answer;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.runIf(sandbox !== undefined)('ioka on an edge runtime', () => {
  beforeAll(async () => {
    // Registering the webhook is an API call too: the key it returns signs the deliveries.
    const client = createIokaClient(sandbox.settings);
    const webhook = await client.webhooks.create({
      url: WEBHOOK_URL,
      events: ['PAYMENT_CAPTURED', 'PAYMENT_DECLINED', 'PAYMENT_APPROVED'],
    });
    ioka = createIoka({ ...sandbox.settings, webhookKey: webhook.key as string });
  });

  it('runs in the Edge Runtime with fetch as the default transport', () => {
    expect((globalThis as { EdgeRuntime?: unknown }).EdgeRuntime).toBe('edge-runtime');
    expect(defaultTransport().name).toBe('fetch');
  });

  it('create -> hosted checkout with 3-D Secure -> signed webhook -> captured -> partial refund', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const payment = await ioka.createPayment({
      amount: { amount: tenge('500'), currency: 'KZT' },
      reference: reference('donation'),
      description: 'Пожертвование: 10 деревьев',
      returnUrl: RETURN_URL,
    });
    expect(payment).toMatchObject({ provider: 'ioka', status: 'requires_action', rawStatus: 'UNPAID' });
    // The provider called the sandbox through the runtime's global fetch (no undici here).
    expect(fetchSpy).toHaveBeenCalledWith(
      expect.stringContaining(`${sandbox.settings.baseUrl}/v2/orders`),
      expect.objectContaining({ method: 'POST' }),
    );

    const answer = await payOnHostedPage(payment.redirectUrl as string, '4111 1111 1111 1111');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(RETURN_URL);

    const [delivery] = await deliveriesFor(payment.id);
    expect(delivery, 'ioka sent a webhook').toBeDefined();
    const { response, event } = await handleWebhook(asRequest(delivery as HeldDelivery));
    expect(response.status).toBe(200);
    expect(event).toMatchObject({
      provider: 'ioka',
      paymentId: payment.id,
      status: 'captured',
      rawStatus: 'CAPTURED',
      signed: true,
    });

    expect(await ioka.getPayment(payment.id)).toMatchObject({ status: 'captured', amountCaptured: 50000 });
    await ioka.refund(payment.id, { amount: 20000, reason: 'one tree fewer' });
    expect(await ioka.getPayment(payment.id)).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 20000,
    });
  });

  it('rejects a tampered or unsigned delivery with 400', async () => {
    const payment = await ioka.createPayment({
      amount: { amount: 10000, currency: 'KZT' },
      reference: reference('tamper'),
    });
    await payOnHostedPage(payment.redirectUrl as string, '5555555555555599');
    const [delivery] = await deliveriesFor(payment.id);
    expect(delivery).toBeDefined();
    const held = delivery as HeldDelivery;
    const tampered = held.body.replace('10000', '1');
    expect(tampered).not.toBe(held.body);
    expect((await handleWebhook(asRequest(held, tampered))).response.status).toBe(400);
    const unsigned = new Request(held.url, { method: 'POST', body: held.body });
    expect((await handleWebhook(unsigned)).response.status).toBe(400);
  });

  it('a declined card (limit exceeded) is reported by webhook and by getPayment', async () => {
    const payment = await ioka.createPayment({
      amount: { amount: 10000, currency: 'KZT' },
      reference: reference('declined'),
      providerOptions: { ioka: { attempts: 1 } },
    });
    await payOnHostedPage(payment.redirectUrl as string, '4444444444446666');
    const [delivery] = await deliveriesFor(payment.id);
    const { event } = await handleWebhook(asRequest(delivery as HeldDelivery));
    // The webhook does not say how many attempts are left, so it stays non-terminal with the
    // decline attached; the order itself (getPayment) is final.
    expect(event).toMatchObject({
      status: 'requires_action',
      rawStatus: 'DECLINED',
      signed: true,
      payment: { failure: { code: 'limit_exceeded', rawCode: 'LimitExceeded' } },
    });
    expect(await ioka.getPayment(payment.id)).toMatchObject({
      status: 'failed',
      failure: { code: 'limit_exceeded' },
    });
  });

  it('signs test webhooks with WebCrypto; the synchronous signer says to use the async one', async () => {
    const testIoka = createIoka({ ...sandbox.settings, webhookKey: 'edge-test-key' });
    const body = { event: 'PAYMENT_CAPTURED', order: { id: 'ord_EDGE1', status: 'PAID', amount: 50000 } };
    const signed = await signIokaTestWebhookAsync(body, 'edge-test-key');
    expect(signed.signature).toMatch(/^[0-9a-f]{64}$/);
    const event = await testIoka.verifyWebhook({ rawBody: signed.body, headers: signed.headers });
    expect(event).toMatchObject({ paymentId: 'ord_EDGE1', signed: true });
    expect(() => signIokaTestWebhook(body, 'edge-test-key')).toThrow(ConfigurationError);
    expect(() => signIokaTestWebhook(body, 'edge-test-key')).toThrow(/signIokaTestWebhookAsync/);
  });
});
