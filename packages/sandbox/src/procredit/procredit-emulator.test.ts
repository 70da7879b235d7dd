import { createPrivateKey, X509Certificate } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../server.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => sandbox.reset());

/** One request to the mutual-TLS API, presenting `identity` (default: the merchant's certificate). */
function api(
  method: string,
  path: string,
  body?: unknown,
  identity?: { cert: string; key: string } | null,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const { certificates } = sandbox.procredit;
  const credentials =
    identity === null
      ? {}
      : (identity ?? { cert: certificates.client.certificate, key: certificates.client.privateKey });
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      `${sandbox.procredit.url}${path}`,
      {
        method,
        ca: certificates.ca,
        ...credentials,
        agent: false,
        headers: { 'content-type': 'application/json' },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString() || '{}'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const ORDER = {
  typeRid: 'ORD1',
  amount: '10.00',
  currency: 'GEL',
  language: 'en',
  description: 'Order 12345',
  hppRedirectUrl: 'https://shop.example/procredit-payment/success?order_id=PC_ABCD1234',
  initiationEnvKind: 'Browser',
};

describe('certificates', () => {
  it('issues a client certificate whose CN is the merchant id, a server certificate for localhost and 127.0.0.1, and broken variants', () => {
    const { certificates, merchantId } = sandbox.procredit;
    const ca = new X509Certificate(certificates.ca);
    const client = new X509Certificate(certificates.client.certificate);
    expect(client.subject).toContain(`CN=${merchantId}`);
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(client.checkPrivateKey(createPrivateKey(certificates.client.privateKey))).toBe(true);
    const server = new X509Certificate(certificates.server.certificate);
    expect(server.subjectAltName).toContain('DNS:localhost');
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(new X509Certificate(certificates.wrongCaClient.certificate).verify(ca.publicKey)).toBe(false);
    const expired = new X509Certificate(certificates.expiredClient.certificate);
    expect(expired.verify(ca.publicKey)).toBe(true);
    expect(new Date(expired.validTo).getTime()).toBeLessThan(Date.now());
  });

  it('serves them to other processes through the control API', async () => {
    const response = await fetch(`${sandbox.url}/_control/procredit/certificates`);
    const body = (await response.json()) as Record<string, string>;
    expect(body.merchantId).toBe(sandbox.procredit.merchantId);
    expect(body.certificate).toBe(sandbox.procredit.certificates.client.certificate);
  });
});

describe('mutual TLS API', () => {
  it('refuses a connection without a client certificate', async () => {
    await expect(api('GET', '/order/1?password=x', undefined, null)).rejects.toThrow();
  });

  it('creates a bare order like Quipu and serves it at the requested detail levels', async () => {
    const created = await api('POST', '/order', { order: ORDER });
    expect(created.status).toBe(200);
    const order = created.json.order as Record<string, unknown>;
    expect(Object.keys(order).sort()).toEqual(['hppUrl', 'id', 'password', 'status']);
    expect(order.hppUrl).toBe(sandbox.procredit.hostedPageUrl);
    const short = await api('GET', `/order/${order.id}?password=${order.password}`);
    expect(short.json.order).toMatchObject({
      id: order.id,
      status: 'Preparing',
      amount: 10,
      currency: 'GEL',
    });
    expect((short.json.order as Record<string, unknown>).password).toBeUndefined();
    const full = await api('GET', `/order/${order.id}?password=${order.password}&orderDetailLevel=2`);
    expect(full.json.order).toMatchObject({ password: order.password, clearedChargeAmount: 0 });
    const wrong = await api('GET', `/order/${order.id}?password=guess`);
    expect(wrong).toEqual({
      status: 404,
      json: { errorCode: 'InvalidRequest', errorDescription: 'Order not found' },
    });
  });

  it('validates requests the way the documentation describes them', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...ORDER, amount: 10 }, 'InvalidAmt'],
      [{ ...ORDER, amount: '10.5' }, 'InvalidAmt'],
      [{ ...ORDER, currency: '981' }, 'InvalidRequest'],
      [{ ...ORDER, description: 'შეკვეთა' }, 'InvalidRequest'],
      [{ ...ORDER, typeRid: 'Purchase' }, 'InvalidRequest'],
      [{ ...ORDER, hppRedirectUrl: undefined }, 'InvalidRequest'],
      [{ ...ORDER, consumerDevice: { browser: { screenW: 1920 } } }, 'InvalidRequest'],
    ];
    for (const [order, errorCode] of cases) {
      const response = await api('POST', '/order', { order });
      expect(response.status, JSON.stringify(order)).toBe(400);
      expect(response.json.errorCode).toBe(errorCode);
    }
  });

  it('answers a wrong order state with HTTP 500 and InvalidOrderState, as Kapital does', async () => {
    const created = (await api('POST', '/order', { order: ORDER })).json.order as { id: number };
    const refund = await api('POST', `/order/${created.id}/exec-tran`, {
      tran: { phase: 'Single', type: 'Refund', amount: '1.00' },
    });
    expect(refund.status).toBe(500);
    expect(refund.json.errorCode).toBe('InvalidOrderState');
  });

  it('forgets orders on reset', async () => {
    const created = (await api('POST', '/order', { order: ORDER })).json.order as {
      id: number;
      password: string;
    };
    sandbox.reset();
    expect((await api('GET', `/order/${created.id}?password=${created.password}`)).status).toBe(404);
  });
});

describe('hosted page and return', () => {
  it('refuses a link with a wrong password', async () => {
    const created = (await api('POST', '/order', { order: ORDER })).json.order as { id: number };
    const page = await fetch(`${sandbox.procredit.hostedPageUrl}?id=${created.id}&password=nope`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Order not found');
  });

  it('appends ID, STATUS and PASSWORD to a return URL that already has a query', async () => {
    const created = (await api('POST', '/order', { order: ORDER })).json.order as {
      id: number;
      password: string;
    };
    const page = await fetch(
      `${sandbox.procredit.hostedPageUrl}?id=${created.id}&password=${created.password}`,
    );
    expect(await page.text()).toContain('10.00 GEL');
    const paid = await fetch(`${sandbox.url}/procredit/flex/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        id: String(created.id),
        password: created.password,
        card_number: '4111 1111 1111 1111',
      }),
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    const back = new URL(paid.headers.get('location') ?? '');
    expect(back.pathname).toBe('/procredit-payment/success');
    expect(Object.fromEntries(back.searchParams)).toEqual({
      order_id: 'PC_ABCD1234',
      ID: String(created.id),
      STATUS: 'FullyPaid',
      PASSWORD: created.password,
    });
  });
});

describe('HTTP Basic variant', () => {
  it('refuses wrong credentials with InvalidLogin', async () => {
    const response = await fetch(`${sandbox.procredit.basic.baseUrl}/order/1?password=x`, {
      headers: { authorization: `Basic ${Buffer.from('someone:wrong').toString('base64')}` },
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errorCode: string }).errorCode).toBe('InvalidLogin');
  });
});
