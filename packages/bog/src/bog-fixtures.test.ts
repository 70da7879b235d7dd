import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bogActionResponseSchema,
  bogCallbackEnvelopeSchema,
  bogCreateOrderResponseSchema,
  bogReceiptSchema,
  bogTokenResponseSchema,
} from './bog-api.js';
import { bogTokenExpiry } from './bog-auth.js';
import { toBogPaymentDetails } from './bog-payment-details.js';
import { createBogTestKeyPair, signBogTestCallback } from './bog-test-signing.js';
import { verifyBogCallback } from './bog-webhook.js';
import { mapBogPayment } from './map-bog-payment.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const json = (name: string) => JSON.parse(fixture(name)) as unknown;

function receipt(name: string) {
  const data = json(name);
  const parsed = bogReceiptSchema.safeParse(data);
  if (!parsed.success) throw new Error(`${name} does not parse`);
  return toBogPaymentDetails(parsed.data, data);
}

describe('recorded Bank of Georgia payloads', () => {
  it('token-response.json: reads the token and survives the docs expires_in example', () => {
    const parsed = bogTokenResponseSchema.parse(json('token-response.json'));
    expect(parsed.access_token).toBe('<JWT>');
    expect(parsed.expires_in).toBe(1634719923245);
    const now = Date.UTC(2026, 0, 1);
    // An epoch in ms from 2021: in the past, so the default lifetime applies instead of refetching forever.
    expect(bogTokenExpiry(parsed.expires_in, parsed.access_token, now)).toBe(now + 300_000);
  });

  it('create-order-response.json: reads the id and both links', () => {
    const parsed = bogCreateOrderResponseSchema.parse(json('create-order-response.json'));
    expect(parsed.id).toBe('{order_id}');
    expect(parsed._links?.redirect?.href).toBe('https://payment.bog.ge/?order_id={order_id}');
    expect(parsed._links?.details?.href).toBe('https://api.bog.ge/payments/v1/receipt/{order_id}');
  });

  it('receipt-refunded.json: the documented example, refunded, with "string" discount placeholders', () => {
    const details = receipt('receipt-refunded.json');
    expect(details).toMatchObject({
      orderId: 'a767a276-cddd-43ec-9db3-9f9b39eee02d',
      externalOrderId: '123456',
      status: 'refunded',
      statusLabel: 'დაბრუნებული',
      currency: 'GEL',
      requestAmount: 10050,
      transferAmount: 0,
      refundAmount: 10050,
      language: 'ka',
      rejectReason: undefined,
    });
    expect(details.items[0]).toMatchObject({
      externalItemId: 'id_1',
      quantity: 1,
      unitPrice: 2535,
      totalPrice: 2535,
      tin: undefined,
    });
    expect(details.discount?.bankDiscountAmount).toBeUndefined();
    expect(details.discount?.bankDiscountDescription).toBe('string');
    expect(details.actions[0]).toMatchObject({ action: 'authorize', status: 'completed', amount: 10050 });
    expect(details.actions[0]?.date?.toISOString()).toBe('2022-11-28T13:42:40.668Z');
    expect(details.createdAt?.toISOString()).toBe('2022-11-01T13:19:43.021Z');
    expect(details.paymentDetail).toMatchObject({
      transferMethod: 'card',
      code: '100',
      payerIdentifier: '548888xxxxxx9893',
      cardType: 'mc',
      savedCardType: 'recurrent',
      parentOrderId: '8d52130d-cb1b-45ea-b048-0f040a44e2a3',
      paymentGatewayTransactionId: 'K4T2XMAZ9EBVQ3WN',
    });
    const payment = mapBogPayment(details);
    expect(payment).toMatchObject({
      status: 'refunded',
      rawStatus: 'refunded',
      amount: { amount: 10050, currency: 'GEL' },
      amountCaptured: 10050,
      amountRefunded: 10050,
      reference: '123456',
      card: { maskedPan: '548888xxxxxx9893', brand: 'mc' },
      savedMethod: { id: '8d52130d-cb1b-45ea-b048-0f040a44e2a3', usage: 'on_session', expiry: '03/24' },
    });
    expect(payment.raw).toEqual(json('receipt-refunded.json'));
  });

  it('receipt-created-sandbox.json: a real unpaid receipt full of nulls', () => {
    const details = receipt('receipt-created-sandbox.json');
    expect(details).toMatchObject({
      status: 'created',
      requestAmount: 530,
      transferAmount: undefined,
      refundAmount: undefined,
      buyer: undefined,
      actions: [],
      discount: undefined,
    });
    expect(details.paymentDetail?.transferMethod).toBeUndefined();
    expect(details.paymentDetail?.paymentOption).toBe('direct_debit');
    expect(details.items.map((item) => [item.unitPrice, item.quantity])).toEqual([
      [122, 1],
      [104, 2],
    ]);
    // create_date is Tbilisi time without an offset; the zoned date is UTC: both name the same instant.
    expect(details.createdAt?.toISOString()).toBe('2025-09-29T12:57:54.595Z');
    const payment = mapBogPayment(details, 'https://payment.bog.ge/');
    expect(payment).toMatchObject({
      status: 'requires_action',
      amountCaptured: 0,
      amountRefunded: 0,
      redirectUrl: 'https://payment.bog.ge/?order_id=1fcf4604-a135-4739-9c06-1064bc32f7ea',
    });
    expect(payment.savedMethod).toBeUndefined();
  });

  it('callback-refunded.json: verifies when signed and unwraps the envelope', async () => {
    const raw = fixture('callback-refunded.json');
    expect(bogCallbackEnvelopeSchema.safeParse(JSON.parse(raw)).success).toBe(true);
    const keys = await createBogTestKeyPair();
    const callback = await verifyBogCallback({
      rawBody: raw,
      signature: await signBogTestCallback(raw, keys.privateKey),
      publicKey: keys.publicKey,
    });
    expect(callback.event).toBe('order_payment');
    expect(callback.paymentDetails.orderId).toBe('a767a276-cddd-43ec-9db3-9f9b39eee02d');
  });

  it('refund, approve and cancel answers: request_received', () => {
    for (const name of ['refund-response.json', 'approve-response.json', 'cancel-response.json']) {
      const parsed = bogActionResponseSchema.parse(json(name));
      expect(parsed.key).toBe('request_received');
      expect(parsed.message).toMatch(/request received/);
    }
  });
});

describe('tolerance beyond the recorded payloads', () => {
  it('reads amounts as numbers, codes and ids as numbers, statuses and transfer methods as plain strings', () => {
    const data = {
      order_id: 12345,
      order_status: 'completed',
      purchase_units: {
        request_amount: 10.9,
        transfer_amount: '10.90',
        refund_amount: null,
        currency_code: 'usd',
      },
      payment_detail: { transfer_method: 'card', transaction_id: 230513868679, code: 100, auth_code: 483921 },
      actions: [null, { action: 'refund', amount: 'oops' }],
      create_date: '2026-01-05T10:00:00',
      split: { split_status: 'completed' },
    };
    const details = toBogPaymentDetails(bogReceiptSchema.parse(data), data);
    expect(details).toMatchObject({
      orderId: '12345',
      status: 'completed',
      currency: 'USD',
      requestAmount: 1090,
      transferAmount: 1090,
    });
    expect(details.paymentDetail).toMatchObject({
      transferMethod: 'card',
      transactionId: '230513868679',
      code: '100',
      authCode: '483921',
    });
    expect(details.actions).toHaveLength(1);
    expect(details.actions[0]?.amount).toBeUndefined();
    expect(details.createdAt?.toISOString()).toBe('2026-01-05T06:00:00.000Z');
    expect(details.split).toEqual({ split_status: 'completed' });
    expect(mapBogPayment(details).amountCaptured).toBe(1090);
  });

  it('keeps unknown statuses non-final and fields of the wrong type out of the way', () => {
    const data = {
      order_id: 'o',
      order_status: { key: 'settled_by_magic', value: 7 },
      purchase_units: 'nonsense',
      buyer: [1],
    };
    const details = toBogPaymentDetails(bogReceiptSchema.parse(data), data);
    const payment = mapBogPayment(details);
    expect(payment.status).toBe('processing');
    expect(payment.rawStatus).toBe('settled_by_magic');
    expect(payment.amount).toEqual({ amount: 0, currency: 'GEL' });
  });

  it('refuses a receipt without an order id', () => {
    expect(bogReceiptSchema.safeParse({ order_status: { key: 'completed' } }).success).toBe(false);
  });
});
