import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../server.js';

// The iPay emulator driven over HTTP exactly as a client (or a browser) would.
let sandbox: Sandbox;
let callbackServer: Server;
let callbackUrl: string;
const callbacks: Array<{ path: string; contentType: string | undefined; body: string }> = [];

async function token(): Promise<string> {
  const response = await fetch(`${sandbox.ipay.url}/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${sandbox.ipay.clientId}:${sandbox.ipay.secretKey}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function api(method: string, path: string, body?: unknown, form = false) {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${await token()}` } };
  if (body !== undefined) {
    init.headers = {
      authorization: `Bearer ${await token()}`,
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
    };
    init.body = form ? new URLSearchParams(body as Record<string, string>) : JSON.stringify(body);
  }
  const response = await fetch(`${sandbox.ipay.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

function order(overrides: Record<string, unknown> = {}) {
  return {
    intent: 'CAPTURE',
    items: [{ amount: '10.50', description: 'Course', quantity: 1, product_id: 'course-1' }],
    redirect_url: 'https://shop.example/return',
    shop_order_id: 'shop-1',
    purchase_units: [{ amount: { currency_code: 'GEL', value: '10.50' } }],
    ...overrides,
  };
}

async function createOrder(overrides: Record<string, unknown> = {}) {
  const created = await api('POST', '/checkout/orders', order(overrides));
  expect(created.status).toBe(200);
  return created.body as {
    order_id: string;
    payment_hash: string;
    links: Array<{ rel: string; href: string }>;
  };
}

async function pay(orderId: string, cardNumber: string) {
  const response = await fetch(`${sandbox.ipay.hostedPageUrl}pay`, {
    method: 'POST',
    body: new URLSearchParams({ order_id: orderId, card_number: cardNumber, expiry: '12/30', cvc: '123' }),
    redirect: 'manual',
  });
  expect(response.status).toBe(302);
  await sandbox.webhooks.idle();
  return response.headers.get('location');
}

beforeAll(async () => {
  sandbox = await startSandbox({ webhookRetryDelaysMs: [] });
  callbackServer = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    callbacks.push({
      path: request.url ?? '',
      contentType: request.headers['content-type'],
      body: Buffer.concat(chunks).toString('utf8'),
    });
    response.writeHead(200);
    response.end();
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sandbox?.close();
  await new Promise((resolve) => callbackServer?.close(resolve));
});
beforeEach(async () => {
  sandbox.reset();
  callbacks.length = 0;
  const registered = await fetch(`${sandbox.url}/ipay/_sandbox/callback-urls`, {
    method: 'PUT',
    body: JSON.stringify({ paymentStatus: `${callbackUrl}/status`, amountReturn: `${callbackUrl}/return` }),
  });
  expect(registered.status).toBe(200);
});

describe('ipay emulator', () => {
  it('issues short-lived tokens with an epoch-millisecond expires_in, and only for the right credentials', async () => {
    const response = await fetch(`${sandbox.ipay.url}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('1006:wrong').toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(401);
    const issued = await fetch(`${sandbox.ipay.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sandbox.ipay.clientId}:${sandbox.ipay.secretKey}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await issued.json()) as { expires_in: number; token_type: string; access_token: string };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBeGreaterThan(1e12);
    expect(body.expires_in - sandbox.clock.now()).toBeLessThanOrEqual(sandbox.ipay.tokenLifetimeMs);
    await sandbox.clock.advance(sandbox.ipay.tokenLifetimeMs + 1);
    const expired = await fetch(`${sandbox.ipay.url}/checkout/payment/x`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(expired.status).toBe(401);
  });

  it('creates an order with self and approve links, and answers 400 for what it cannot take', async () => {
    const created = await createOrder();
    expect(created.order_id).toMatch(/^[0-9a-f]{40}$/);
    expect(created.payment_hash).toMatch(/^[0-9a-f]{40}$/);
    expect(created.links.find((link) => link.rel === 'approve')?.href).toBe(
      `${sandbox.ipay.hostedPageUrl}?order_id=${created.order_id}&locale=ka`,
    );
    const details = await api('GET', `/checkout/payment/${created.order_id}`);
    expect(details.body).toMatchObject({
      status: 'in_progress',
      payment_hash: created.payment_hash,
      shop_order_id: 'shop-1',
    });
    const self = await api('GET', `/checkout/orders/${created.order_id}`);
    expect(self.body).toMatchObject({
      status: 'CREATED',
      purchaseUnit: { amount: { value: '10.50', currency_code: 'GEL' } },
    });

    expect(
      (
        await api(
          'POST',
          '/checkout/orders',
          order({ purchase_units: [{ amount: { currency_code: 'USD', value: '1' } }] }),
        )
      ).status,
    ).toBe(400);
    expect((await api('POST', '/checkout/orders', order({ redirect_url: undefined }))).status).toBe(400);
    expect((await api('GET', '/checkout/payment/0000')).status).toBe(400);
  });

  it('serves the hosted page with the test cards and posts an unsigned form callback when paid', async () => {
    const created = await createOrder();
    const page = await fetch(`${sandbox.ipay.hostedPageUrl}?order_id=${created.order_id}&locale=ka`);
    const html = await page.text();
    expect(html).toContain('10.50 GEL');
    expect(html).toContain('4000000000000001');
    expect(html).toContain('id="pay-with-bog-login"');
    expect(await pay(created.order_id, '4000000000000001')).toBe('https://shop.example/return');
    expect(callbacks).toHaveLength(1);
    const [callback] = callbacks;
    expect(callback?.path).toBe('/status');
    expect(callback?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(callback?.body))).toMatchObject({
      status: 'success',
      order_id: created.order_id,
      payment_hash: created.payment_hash,
      status_description: 'PERFORMED',
      payment_method: 'GC_CARD',
      card_type: 'VISA',
      pan: '400000******0001',
      shop_order_id: 'shop-1',
    });
    const closed = await fetch(`${sandbox.ipay.hostedPageUrl}?order_id=${created.order_id}`);
    expect(await closed.text()).toContain('already paid');
  });

  it('declines unknown cards and the insufficient-funds card', async () => {
    for (const card of ['4000000000000002', '4111111111111111']) {
      const created = await createOrder();
      await pay(created.order_id, card);
      const details = await api('GET', `/checkout/payment/${created.order_id}`);
      expect(details.body).toMatchObject({
        status: 'error',
        status_description: 'REJECTED',
        payment_method: 'UNKNOWN',
      });
    }
  });

  it('returns amounts form-encoded: partial below the paid amount, then the rest', async () => {
    const created = await createOrder();
    await pay(created.order_id, '4000000000000001');
    expect(
      (await api('POST', '/checkout/refund', { order_id: created.order_id, amount: '10.50' }, true)).status,
    ).toBe(400);
    expect(
      (await api('POST', '/checkout/refund', { order_id: created.order_id, amount: '0.50' }, true)).status,
    ).toBe(200);
    expect((await api('POST', '/checkout/refund', { order_id: created.order_id }, true)).status).toBe(200);
    expect(sandbox.ipay.getOrder(created.order_id)?.refunded).toBe(1050);
    expect((await api('POST', '/checkout/refund', { order_id: created.order_id }, true)).status).toBe(400);
    await sandbox.webhooks.idle();
    const returns = callbacks.filter((callback) => callback.path === '/return');
    expect(returns).toHaveLength(2);
    expect(new URLSearchParams(returns[0]?.body).has('status')).toBe(false);
  });

  it('completes, partially completes and cancels pre-authorizations', async () => {
    const held = await createOrder({ capture_method: 'MANUAL' });
    await pay(held.order_id, '4000000000000001');
    expect((await api('GET', `/checkout/payment/${held.order_id}`)).body?.pre_auth_status).toBe(
      'in_progress',
    );
    expect(
      (
        await api('POST', `/checkout/payment/${held.order_id}/pre-auth/completion`, {
          auth_type: 'PARTIAL_COMPLETE',
          amount: '10.50',
        })
      ).status,
    ).toBe(400);
    const partial = await api('POST', `/checkout/payment/${held.order_id}/pre-auth/completion`, {
      auth_type: 'PARTIAL_COMPLETE',
      amount: '4.00',
    });
    expect(partial.body).toEqual({
      status: 'success',
      description: 'Pre-authorization successfully completed',
    });
    const again = await api('POST', `/checkout/payment/${held.order_id}/pre-auth/completion`, {
      auth_type: 'FULL_COMPLETE',
    });
    expect(again.body).toEqual({ status: 'success', description: 'Already completed successful' });
    expect(sandbox.ipay.getOrder(held.order_id)).toMatchObject({ preAuthStatus: 'success', captured: 400 });

    const released = await createOrder({ capture_method: 'MANUAL' });
    await pay(released.order_id, '4000000000000001');
    await api('POST', `/checkout/payment/${released.order_id}/pre-auth/completion`, { auth_type: 'CANCEL' });
    expect((await api('GET', `/checkout/payment/${released.order_id}`)).body?.pre_auth_status).toBe(
      'success_unblocked',
    );

    const automatic = await createOrder();
    await pay(automatic.order_id, '4000000000000001');
    expect(
      (
        await api('POST', `/checkout/payment/${automatic.order_id}/pre-auth/completion`, {
          auth_type: 'FULL_COMPLETE',
        })
      ).status,
    ).toBe(400);
  });

  it('releases a hold after 30 days and expires an unpaid order after an hour of sandbox clock', async () => {
    const held = await createOrder({ capture_method: 'MANUAL' });
    await pay(held.order_id, '4000000000000001');
    const unpaid = await createOrder();
    await sandbox.clock.advance(60 * 60 * 1000);
    expect(sandbox.ipay.getOrder(unpaid.order_id)?.status).toBe('error');
    expect(sandbox.ipay.getOrder(held.order_id)?.preAuthStatus).toBe('in_progress');
    await sandbox.clock.advance(30 * 24 * 60 * 60 * 1000);
    expect(sandbox.ipay.getOrder(held.order_id)?.preAuthStatus).toBe('success_unblocked');
  });

  it('charges a card again (in_progress, then a callback), and refuses when recurring is off', async () => {
    const parent = await createOrder({ intent: 'AUTHORIZE' });
    await pay(parent.order_id, '4000000000000001');
    const charge = await api('POST', '/checkout/payment/subscription', {
      order_id: parent.order_id,
      amount: { currency_code: 'GEL', value: '16.45' },
      shop_order_id: 'renewal-1',
      purchase_description: 'Monthly plan',
    });
    expect(charge.body).toMatchObject({ status: 'in_progress' });
    const childId = charge.body?.order_id as string;
    await new Promise((resolve) => setTimeout(resolve, 60));
    await sandbox.webhooks.idle();
    expect((await api('GET', `/checkout/payment/${childId}`)).body).toMatchObject({
      status: 'success',
      shop_order_id: 'renewal-1',
    });
    expect(callbacks.some((callback) => callback.body.includes(`order_id=${childId}`))).toBe(true);

    sandbox.ipay.setRecurringEnabled(false);
    const refused = await api('POST', '/checkout/payment/subscription', {
      order_id: parent.order_id,
      amount: { currency_code: 'GEL', value: '1.00' },
    });
    expect(refused.status).toBe(403);
  });
});
