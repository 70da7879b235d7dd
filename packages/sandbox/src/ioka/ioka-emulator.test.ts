import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../server.js';
import { PythonNumber, pythonJsonDumps } from './ioka-python-json.js';

// A real ioka delivery (boomfly/meteor-ioka lib/server/ioka.coffee, signTest body1) rebuilt as a
// value: the sandbox's writer must reproduce ioka's bytes and ioka's signature exactly.
const RECORDED_BODY =
  '{"event": "PAYMENT_CAPTURED", "order": {"id": "ord_QDNUK6JH11", "status": "PAID", "created_at": "2021-11-09T10:05:55.358023", "amount": 1050000, "currency": "KZT", "capture_method": "AUTO", "external_id": "hqH2B2rkqiWJDPH7X", "description": "\\u041e\\u043f\\u043b\\u0430\\u0442\\u0430 \\u0431\\u0440\\u043e\\u043d\\u0438: eXqu5cXrufMsLeq3S", "extra_info": null, "due_date": null, "back_url": "https://42c9-2a03-32c0-3000-f0c0-81a5-bd88-91e9-381a.ngrok.io/accounts/my-bookings/eXqu5cXrufMsLeq3S", "success_url": null, "failure_url": null, "template": null}, "payment": {"id": "pay_L3INB0YJLE", "order_id": "ord_QDNUK6JH11", "status": "CAPTURED", "created_at": "2021-11-09T10:06:02.598026", "approved_amount": 1050000, "captured_amount": 1050000, "refunded_amount": 0, "processing_fee": 0.0, "payer": {"pan_masked": "555555******5599", "expiry_date": "12/24", "holder": "Holder", "payment_system": null, "emitter": null, "email": null, "phone": null, "customer_id": null, "card_id": null}}}';
const RECORDED_KEY = '11cf6a7d5999eac284b117ebb7a443c6da9af8904cf99d5601e9c5287af6874b';
const RECORDED_SIGNATURE = '65d3668da6a3568b75afeb7a3663e593a160b8f6d2d23a33a400a85d69d7fa44';

describe('pythonJsonDumps', () => {
  it("reproduces a real ioka delivery and ioka's signature over it", () => {
    const value = JSON.parse(RECORDED_BODY) as { payment: Record<string, unknown> };
    value.payment.processing_fee = new PythonNumber('0.0');
    expect(pythonJsonDumps(value, { sortKeys: false, ensureAscii: true })).toBe(RECORDED_BODY);
    const canonical = pythonJsonDumps(value, { sortKeys: true, ensureAscii: false });
    expect(canonical).toContain('"description": "Оплата брони: eXqu5cXrufMsLeq3S"');
    expect(createHmac('sha256', RECORDED_KEY).update(canonical).digest('hex')).toBe(RECORDED_SIGNATURE);
  });

  it('writes compact separators on request', () => {
    expect(
      pythonJsonDumps({ b: [1, null], a: 'x' }, { sortKeys: true, ensureAscii: true, compact: true }),
    ).toBe('{"a":"x","b":[1,null]}');
  });
});

describe('ioka emulator over HTTP', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  const api = (path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${sandbox.ioka.url}/v2${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', 'api-key': init.key ?? sandbox.ioka.apiKey },
    });

  it('requires the API-KEY', async () => {
    const response = await api('/orders', { key: 'wrong' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'Unauthorized' });
  });

  it('creates orders, answers GET unwrapped, and refuses a repeated external_id with 409', async () => {
    const body = JSON.stringify({ amount: 50000, external_id: `emulator-${Date.now()}` });
    const created = await api('/orders', { method: 'POST', body });
    expect(created.status).toBe(201);
    const { order, order_access_token } = (await created.json()) as {
      order: { id: string; checkout_url: string };
      order_access_token: string;
    };
    expect(order_access_token).toBe(`${order.id}_secret_${order_access_token.split('_secret_')[1]}`);
    const fetched = await api(`/orders/${order.id}`);
    expect(await fetched.json()).toMatchObject({
      id: order.id,
      status: 'UNPAID',
      amount: 50000,
      payments: [],
    });
    const duplicate = await api('/orders', { method: 'POST', body });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({ code: 'OrderExists' });
    const invalid = await api('/orders', { method: 'POST', body: JSON.stringify({ amount: 1.5 }) });
    expect(invalid.status).toBe(400);
    const page = await (await fetch(order.checkout_url)).text();
    expect(page).toContain('4111111111111111');
    expect(page).toContain('500.00 KZT');
  });

  it('4000000000000341 pays and is saved, then declines charges of the saved card without the customer', async () => {
    const { customer } = (await (await api('/customers', { method: 'POST', body: '{}' })).json()) as {
      customer: { id: string };
    };
    const newOrder = async (fields: Record<string, unknown>) =>
      (
        (await (
          await api('/orders', { method: 'POST', body: JSON.stringify({ amount: 50000, ...fields }) })
        ).json()) as { order: { id: string; checkout_url: string } }
      ).order;
    const submit = (url: string, fields: Record<string, string>) =>
      fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });

    // The customer pays on the checkout page and the card is saved for them.
    const first = await newOrder({ customer_id: customer.id });
    await submit(first.checkout_url, {
      card_number: '4000000000000341',
      expiry: '12/49',
      cvc: '123',
      save: '1',
    });
    expect(await (await api(`/orders/${first.id}`)).json()).toMatchObject({ status: 'PAID' });
    const [card] = (await (await api(`/customers/${customer.id}/cards`)).json()) as Array<{ id: string }>;
    expect(card).toBeDefined();

    // The merchant charges the saved card from the server: declined, the order stays unpaid.
    const renewal = await newOrder({ customer_id: customer.id, card_id: card?.id });
    const charged = await api(`/orders/${renewal.id}/payments/card`, {
      method: 'POST',
      body: JSON.stringify({ card_id: card?.id }),
    });
    expect(charged.status).toBe(201);
    expect(await charged.json()).toMatchObject({
      status: 'DECLINED',
      error: { code: 'InsufficientFunds', message: 'Insufficient funds' },
    });
    expect(await (await api(`/orders/${renewal.id}`)).json()).toMatchObject({ status: 'UNPAID' });

    // The customer confirms the same saved card on the checkout page (CVC): it pays.
    const present = await newOrder({ customer_id: customer.id, card_id: card?.id });
    await submit(present.checkout_url, { cvc: '123' });
    expect(await (await api(`/orders/${present.id}`)).json()).toMatchObject({ status: 'PAID' });
  });

  it('lists what the CLI prints', () => {
    const lines = sandbox.describe().filter((line) => line.includes('ioka'));
    expect(lines[0]).toContain(sandbox.ioka.url);
    expect(lines.some((line) => line.includes('5555555555555599'))).toBe(true);
    expect(lines.some((line) => line.includes('4000000000000341'))).toBe(true);
  });
});
