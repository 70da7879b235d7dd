import { verify } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../server.js';

let sandbox: Sandbox;
let callbackServer: Server;
let callbackUrl: string;
const callbacks: Array<{ body: string; signature: string | undefined }> = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  callbackServer = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      callbacks.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: request.headers['callback-signature'] as string | undefined,
      });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
});
afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => callbackServer.close(resolve));
});
beforeEach(() => {
  sandbox.reset();
  callbacks.length = 0;
});

async function token(): Promise<string> {
  const basic = Buffer.from(`${sandbox.bog.clientId}:${sandbox.bog.clientSecret}`).toString('base64');
  const response = await fetch(sandbox.bog.tokenUrl, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

function orderBody(overrides: Record<string, unknown> = {}) {
  return {
    callback_url: callbackUrl,
    external_order_id: 'sandbox-test-1',
    purchase_units: {
      currency: 'GEL',
      total_amount: 10.5,
      basket: [{ product_id: 'p1', quantity: 1, unit_price: 10.5 }],
    },
    redirect_urls: { success: 'https://shop.example/success', fail: 'https://shop.example/fail' },
    ...overrides,
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON answers.
type Json = Record<string, any>;

async function api(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${sandbox.bog.apiUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${await token()}`,
      'content-type': 'application/json',
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : undefined };
}

async function payOnPage(orderId: string, cardNumber: string): Promise<Response> {
  const page = await fetch(`${sandbox.bog.paymentPageUrl}?order_id=${orderId}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)" id="card-form">/.exec(html)?.[1];
  expect(action).toBeDefined();
  return fetch(action as string, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      order_id: orderId,
      card_number: cardNumber,
      expiry: '12/30',
      cvc: '123',
    }).toString(),
    redirect: 'manual',
  });
}

describe('Bank of Georgia sandbox', () => {
  it('issues short-lived tokens with expires_in as an epoch in milliseconds, and refuses wrong credentials', async () => {
    const wrong = await fetch(sandbox.bog.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('x:y').toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_client');
    const basic = Buffer.from(`${sandbox.bog.clientId}:${sandbox.bog.clientSecret}`).toString('base64');
    const response = await fetch(sandbox.bog.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const body = (await response.json()) as { expires_in: number; token_type: string };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBeGreaterThan(1e12);
    expect(Math.abs(body.expires_in - (sandbox.clock.now() + sandbox.bog.tokenLifetimeMs))).toBeLessThan(
      2000,
    );
  });

  it('expires tokens by the sandbox clock', async () => {
    const access = await token();
    await sandbox.clock.advance(sandbox.bog.tokenLifetimeMs + 1000);
    const response = await fetch(`${sandbox.bog.apiUrl}/receipt/anything`, {
      headers: { authorization: `Bearer ${access}` },
    });
    expect(response.status).toBe(401);
  });

  it('answers 400 "Invalid order_id" for an unknown order', async () => {
    const result = await api('/receipt/00000000-0000-4000-8000-000000000000');
    expect(result.status).toBe(400);
    expect(result.body?.message).toBe('Invalid order_id');
  });

  it('refuses fields Bank of Georgia would silently ignore', async () => {
    const result = await api('/ecommerce/orders', {
      method: 'POST',
      body: { ...orderBody(), currency: 'GEL' },
    });
    expect(result.status).toBe(400);
    expect(result.body?.message).toContain('currency');
    const buyer = await api('/ecommerce/orders', {
      method: 'POST',
      body: orderBody({ buyer: { email: 'a@b.ge' } }),
    });
    expect(buyer.status).toBe(400);
    expect(buyer.body?.message).toContain('masked_email');
  });

  it('replays the answer for a repeated Idempotency-Key and creates one order', async () => {
    const headers = { 'idempotency-key': '0b9d3f4e-8f7a-4c55-9a51-2f0c3a1d7e10' };
    const first = await api('/ecommerce/orders', { method: 'POST', body: orderBody(), headers });
    const second = await api('/ecommerce/orders', { method: 'POST', body: orderBody(), headers });
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(sandbox.bog.orders()).toHaveLength(1);
  });

  it('takes a payment on the hosted page and posts a callback signed with its own key', async () => {
    const created = await api('/ecommerce/orders', { method: 'POST', body: orderBody() });
    const id = created.body?.id as string;
    expect(created.body?._links.redirect.href).toBe(`${sandbox.bog.paymentPageUrl}?order_id=${id}`);
    const paid = await payOnPage(id, '4000000000000001');
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe('https://shop.example/success');
    await sandbox.webhooks.idle();
    expect(callbacks).toHaveLength(1);
    const callback = callbacks[0] as { body: string; signature: string };
    expect(
      verify(
        'sha256',
        Buffer.from(callback.body),
        sandbox.bog.callbackPublicKey,
        Buffer.from(callback.signature, 'base64'),
      ),
    ).toBe(true);
    const envelope = JSON.parse(callback.body) as { event: string; body: Json };
    expect(envelope.event).toBe('order_payment');
    expect(envelope.body.order_status.key).toBe('completed');
    expect(envelope.body.purchase_units.transfer_amount).toBe('10.5');
    expect(envelope.body.payment_detail.code).toBe('100');
    expect(envelope.body.create_date).not.toMatch(/Z$/);
    expect(envelope.body.zoned_create_date).toMatch(/Z$/);
  });

  it('declines the insufficient-funds card with code 107', async () => {
    const created = await api('/ecommerce/orders', { method: 'POST', body: orderBody() });
    const paid = await payOnPage(created.body?.id as string, '4000000000000002');
    expect(paid.headers.get('location')).toBe('https://shop.example/fail');
    const receipt = await api(`/receipt/${created.body?.id}`);
    expect(receipt.body?.order_status.key).toBe('rejected');
    expect(receipt.body?.payment_detail.code).toBe('107');
  });

  it('expires an unpaid order when the clock passes its ttl, with a callback', async () => {
    const created = await api('/ecommerce/orders', { method: 'POST', body: orderBody({ ttl: 5 }) });
    await sandbox.clock.advance(6 * 60_000);
    await sandbox.webhooks.idle();
    const receipt = await api(`/receipt/${created.body?.id}`);
    expect(receipt.body?.order_status.key).toBe('rejected');
    expect(receipt.body?.reject_reason).toBe('expiration');
    expect(callbacks).toHaveLength(1);
  });

  it('refuses to save a card after the customer paid', async () => {
    const created = await api('/ecommerce/orders', { method: 'POST', body: orderBody() });
    const id = created.body?.id as string;
    await payOnPage(id, '4000000000000001');
    const late = await api(`/orders/${id}/subscriptions`, { method: 'PUT' });
    expect(late.status).toBe(400);
    expect(late.body?.message).toContain('before the customer pays');
  });

  it('charges a card saved for automatic payments for the parent amount only', async () => {
    const created = await api('/ecommerce/orders', { method: 'POST', body: orderBody() });
    const id = created.body?.id as string;
    expect((await api(`/orders/${id}/subscriptions`, { method: 'PUT' })).status).toBe(202);
    await payOnPage(id, '4000000000000001');
    const withAmount = await api(`/ecommerce/orders/${id}/subscribe`, {
      method: 'POST',
      body: { amount: 5 },
    });
    expect(withAmount.status).toBe(400);
    const charge = await api(`/ecommerce/orders/${id}/subscribe`, {
      method: 'POST',
      body: { external_order_id: 'renewal-1' },
    });
    expect(charge.status).toBe(200);
    const receipt = await api(`/receipt/${charge.body?.id}`);
    expect(receipt.body?.order_status.key).toBe('completed');
    expect(receipt.body?.purchase_units.request_amount).toBe('10.5');
    expect(receipt.body?.payment_detail.payment_option).toBe('subscription');
    expect(receipt.body?.payment_detail.parent_order_id).toBe(id);
    expect(receipt.body?.external_order_id).toBe('renewal-1');
  });
});
