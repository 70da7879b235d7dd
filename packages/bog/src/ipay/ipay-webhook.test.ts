import { readFileSync } from 'node:fs';
import { ConfigurationError, SignatureVerificationError } from '@colchis/core';
import { type FaultServer, startFaultServer } from '@colchis/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIpay } from './ipay-provider.js';
import { buildIpayCallback } from './ipay-test-callback.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const ORDER_ID = '899318b1ce0d5885cb7405fe86e3930178ff90be';
const HASH = 'd7936f718c2b0ec2517a28c9de76966bcbecfe29';
let server: FaultServer;
let detailsHash = HASH;

beforeAll(async () => {
  server = await startFaultServer((request) => {
    if (request.url === '/oauth2/token') {
      return {
        status: 200,
        body: { access_token: 'webhook-token', token_type: 'Bearer', expires_in: Date.now() + 600_000 },
      };
    }
    if (request.url === `/checkout/payment/${ORDER_ID}`) {
      return {
        status: 200,
        body: { ...JSON.parse(fixture('payment-details-card-payment.json')), payment_hash: detailsHash },
      };
    }
    if (request.url === `/checkout/orders/${ORDER_ID}`)
      return { status: 200, body: JSON.parse(fixture('order-details.json')) };
    return undefined;
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  detailsHash = HASH;
});

const settings = () => ({ baseUrl: server.url, clientId: 'webhook-client', secretKey: 'webhook-secret' });
const apiRequests = () => server.requests.filter((request) => request.url !== '/oauth2/token');

describe('ipay verifyWebhook', () => {
  it('verifies the documented status callback and re-fetches the payment', async () => {
    const ipay = createIpay({
      ...settings(),
      lookupOrder: (orderId) =>
        orderId === ORDER_ID ? { paymentHash: HASH, amount: { amount: 10, currency: 'GEL' } } : undefined,
    });
    const event = await ipay.verifyWebhook({ rawBody: fixture('callback-payment-status.txt'), headers: {} });
    expect(event).toMatchObject({
      provider: 'ipay',
      type: 'payment.updated',
      paymentId: ORDER_ID,
      status: 'captured',
      signed: false,
      payment: { amount: { amount: 10, currency: 'GEL' }, amountCaptured: 10 },
    });
    // The stored amount spares the order request: only Payment Details was asked.
    expect(apiRequests().map((request) => request.url)).toEqual([`/checkout/payment/${ORDER_ID}`]);
    expect(JSON.stringify(event.raw)).not.toContain('400000******0001');
  });

  it('reads the amount from the order when the stored order has none, and reports a return as refund.updated', async () => {
    const ipay = createIpay({ ...settings(), lookupOrder: () => ({ paymentHash: HASH }) });
    const event = await ipay.verifyWebhook({ rawBody: fixture('callback-amount-return.txt'), headers: {} });
    expect(event).toMatchObject({
      type: 'refund.updated',
      callbackKind: 'amount_return',
      payment: { amount: { amount: 10, currency: 'GEL' } },
    });
    expect(
      apiRequests()
        .map((request) => request.url)
        .sort(),
    ).toEqual([`/checkout/orders/${ORDER_ID}`, `/checkout/payment/${ORDER_ID}`]);
  });

  it('accepts the expected order per call instead of a lookup', async () => {
    const ipay = createIpay(settings());
    const callback = buildIpayCallback({ order_id: ORDER_ID, payment_hash: HASH, status: 'success' });
    const event = await ipay.verifyWebhook(callback, {
      expected: { orderId: ORDER_ID, paymentHash: HASH, amount: { amount: 10, currency: 'GEL' } },
    });
    expect(event.status).toBe('captured');
    await expect(
      ipay.verifyWebhook(callback, { expected: { orderId: 'another-order', paymentHash: HASH } }),
    ).rejects.toSatisfy((error) => SignatureVerificationError.isInstance(error));
  });

  it('says how to configure it when there is nothing to compare with, before any request', async () => {
    const ipay = createIpay(settings());
    const error = await ipay
      .verifyWebhook(buildIpayCallback({ order_id: ORDER_ID, payment_hash: HASH, status: 'success' }))
      .catch((caught: unknown) => caught);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('lookupOrder');
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a stored hash that iPay does not confirm', async () => {
    detailsHash = 'e'.repeat(40);
    const ipay = createIpay({
      ...settings(),
      lookupOrder: () => ({ paymentHash: HASH, amount: { amount: 10, currency: 'GEL' } }),
    });
    await expect(
      ipay.verifyWebhook(buildIpayCallback({ order_id: ORDER_ID, payment_hash: HASH, status: 'success' })),
    ).rejects.toSatisfy((error) => SignatureVerificationError.isInstance(error));
  });

  it('rejects unknown orders and wrong hashes without asking iPay', async () => {
    const ipay = createIpay({
      ...settings(),
      lookupOrder: (orderId) => (orderId === ORDER_ID ? { paymentHash: HASH } : null),
    });
    for (const callback of [
      buildIpayCallback({ order_id: 'unknown', payment_hash: HASH, status: 'success' }),
      buildIpayCallback({ order_id: ORDER_ID, payment_hash: HASH.slice(0, -1), status: 'success' }),
      buildIpayCallback({ order_id: ORDER_ID, payment_hash: `${HASH.slice(0, -1)}0`, status: 'success' }),
    ]) {
      await expect(ipay.verifyWebhook(callback)).rejects.toSatisfy((error) =>
        SignatureVerificationError.isInstance(error),
      );
    }
    expect(server.requests).toHaveLength(0);
  });
});
