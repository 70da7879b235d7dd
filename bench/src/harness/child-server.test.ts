import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from './child-server.js';

describe('startChildServer', () => {
  let server: ChildServer;
  beforeAll(async () => {
    server = await startChildServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves the payment document from another process on 127.0.0.1', async () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await request(`${server.origin}/payments/pay_1`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    const document = (await response.body.json()) as { object: string; amount_minor: number };
    expect(document.object).toBe('payment');
    expect(document.amount_minor).toBe(12550);
  });

  it('counts requests per route over IPC and resets the counts', async () => {
    await server.resetCounts();
    await (await request(`${server.origin}/payments/a`)).body.text();
    const token = await request(`${server.origin}/oauth2/token`, {
      method: 'POST',
      body: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(((await token.body.json()) as { access_token: string }).access_token).toBeTruthy();
    const missing = await request(`${server.origin}/nowhere`);
    await missing.body.text();
    expect(missing.statusCode).toBe(404);
    expect(await server.counts()).toEqual({ payments: 1, tokens: 1, bog: 0, ioka: 0, stripe: 0, other: 1 });
    await server.resetCounts();
    expect(await server.counts()).toEqual({ payments: 0, tokens: 0, bog: 0, ioka: 0, stripe: 0, other: 0 });
  });

  it('answers gateway-shaped routes with the documented payloads', async () => {
    await server.resetCounts();
    const intent = await request(`${server.origin}/v1/payment_intents/pi_1`);
    expect(((await intent.body.json()) as { object: string }).object).toBe('payment_intent');
    expect(intent.headers['request-id']).toBe('req_bench_0001');
    const receipt = await request(`${server.origin}/bog/payments/v1/receipt/order_1`);
    expect(((await receipt.body.json()) as { order_id: string }).order_id).toBeTruthy();
    const token = await request(`${server.origin}/bog/token`, {
      method: 'POST',
      body: 'grant_type=client_credentials',
    });
    expect(((await token.body.json()) as { access_token: string }).access_token).toBe(
      'bench-bog-access-token',
    );
    const order = await request(`${server.origin}/ioka/v2/orders/ord_1`);
    expect(((await order.body.json()) as { status: string }).status).toBe('UNPAID');
    expect(await server.counts()).toMatchObject({ stripe: 1, bog: 2, ioka: 1, other: 0 });
  });
});
