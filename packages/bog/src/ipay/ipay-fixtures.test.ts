import { readdirSync, readFileSync } from 'node:fs';
import { normalizeExpiry, SignatureVerificationError } from '@colchis/core';
import { describe, expect, it } from 'vitest';
import {
  ipayCreateOrderResponseSchema,
  ipayOrderDetailsSchema,
  ipayPaymentDetailsSchema,
  ipayPreAuthorizationResponseSchema,
  ipayRecurringPaymentResponseSchema,
  ipayTokenResponseSchema,
  parseIpayResponse,
} from './ipay-api.js';
import { parseIpayCallback } from './ipay-callback.js';
import { getIpayApproveUrl, getIpayLink, getIpayOrderId } from './ipay-order-links.js';
import { toIpayPayment } from './ipay-payment.js';
import { type IpayCreateOrderRequest, validateCreateOrderRequest } from './ipay-requests.js';

const directory = new URL('./__fixtures__/', import.meta.url);
const text = (name: string) => readFileSync(new URL(name, directory), 'utf8');
const json = (name: string): unknown => JSON.parse(text(name));
const GEL_10 = { amount: 1000, currency: 'GEL' };

describe('ipay fixtures from the docs', () => {
  it('documents the source of every fixture', () => {
    const readme = text('README.md');
    for (const name of readdirSync(directory)) {
      if (name !== 'README.md') expect(readme, `${name} is listed with its source`).toContain(`\`${name}\``);
    }
  });

  it('reads the token answer and its epoch-millisecond expires_in', () => {
    const token = parseIpayResponse(ipayTokenResponseSchema, json('token-response.json'), 'requestToken');
    expect(token.token_type).toBe('Bearer');
    expect(normalizeExpiry(token.expires_in, 0)).toBe(1605623557393);
  });

  it('accepts the documented Order Request as valid', () => {
    const documented = json('create-order-request.json') as Record<string, unknown> & {
      items: Array<Record<string, unknown>>;
    };
    // The docs' example sends quantity as a string; the client takes a number.
    const request = {
      ...documented,
      redirect_url: 'https://demo.ipay.ge/return',
      items: documented.items.map((item) => ({ ...item, quantity: Number(item.quantity) })),
    };
    expect(() => validateCreateOrderRequest(request as unknown as IpayCreateOrderRequest)).not.toThrow();
  });

  it('reads both shapes of the create-order answer and finds the approve link', () => {
    const documented = parseIpayResponse(
      ipayCreateOrderResponseSchema,
      json('create-order-response.json'),
      'createOrder',
    );
    expect(getIpayOrderId(documented)).toBe('899318b1ce0d5885cb7405fe86e3930178ff90be');
    expect(getIpayApproveUrl(documented)).toBe(
      'https://ipay.ge/?order_id=899318b1ce0d5885cb7405fe86e3930178ff90be&locale=ka',
    );
    expect(getIpayLink(documented, 'self')).toContain('/opay/api/v1/checkout/orders/');
    const variant = parseIpayResponse(
      ipayCreateOrderResponseSchema,
      json('create-order-response-id-variant.json'),
      'createOrder',
    );
    expect(getIpayOrderId(variant)).toBe('6ed105e54e703fb6d2e5b7f68a0face71fea2cc6');
    expect(getIpayApproveUrl(variant)).toContain('dev.ipay.ge/?order_id=');
  });

  it('maps each recorded Payment Details answer', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      [
        'payment-details-bog-payment.json',
        { status: 'captured', rawStatus: 'success', card: { brand: 'mastercard' } },
      ],
      [
        'payment-details-error.json',
        { status: 'failed', failure: { code: 'unknown', rawCode: 'REJECTED' }, amountCaptured: 0 },
      ],
      [
        'payment-details-card-payment.json',
        {
          status: 'captured',
          amountCaptured: 1000,
          card: { maskedPan: '400000******0001', brand: 'visa' },
          savedMethod: { id: '899318b1ce0d5885cb7405fe86e3930178ff90be', usage: 'off_session' },
        },
      ],
      [
        'payment-details-pre-auth-held.json',
        { status: 'authorized', amountCaptured: 0, rawStatus: 'success' },
      ],
    ];
    for (const [name, expected] of cases) {
      const details = parseIpayResponse(ipayPaymentDetailsSchema, json(name), 'getPaymentDetails');
      const payment = toIpayPayment(details, { orderId: 'fallback-id', amount: GEL_10 });
      expect(payment, name).toMatchObject({
        provider: 'ipay',
        amount: GEL_10,
        amountRefunded: 0,
        ...expected,
      });
    }
    // An internet-bank (BOG_CARD) payment cannot be charged again: no saved method.
    const bank = parseIpayResponse(ipayPaymentDetailsSchema, json('payment-details-bog-payment.json'), 'x');
    expect(toIpayPayment(bank, { orderId: 'o', amount: GEL_10 }).savedMethod).toBeUndefined();
    const numeric = parseIpayResponse(
      ipayPaymentDetailsSchema,
      json('payment-details-card-payment.json'),
      'x',
    );
    expect(numeric.ipay_payment_id).toBe('18626');
  });

  it('reads the amount of the order details (self link)', () => {
    const order = parseIpayResponse(ipayOrderDetailsSchema, json('order-details.json'), 'getOrderDetails');
    expect(order.purchaseUnit?.amount?.value).toBe('0.10');
  });

  it('reads recurring and pre-authorization answers', () => {
    expect(
      parseIpayResponse(ipayRecurringPaymentResponseSchema, json('recurring-response.json'), 'x').status,
    ).toBe('success');
    for (const name of ['pre-auth-response.json', 'pre-auth-response-already-completed.json']) {
      expect(parseIpayResponse(ipayPreAuthorizationResponseSchema, json(name), 'x').status).toBe('success');
    }
  });

  it('parses both callbacks, and tells them apart by the status field', () => {
    const status = parseIpayCallback(text('callback-payment-status.txt'));
    expect(status.kind).toBe('payment_status');
    expect(status.fields).toMatchObject({
      status: 'success',
      order_id: '899318b1ce0d5885cb7405fe86e3930178ff90be',
      payment_hash: 'd7936f718c2b0ec2517a28c9de76966bcbecfe29',
      pan: '400000******0001',
      transaction_id: '899318B1CE0D5885CB7',
    });
    const amountReturn = parseIpayCallback(new TextEncoder().encode(text('callback-amount-return.txt')));
    expect(amountReturn.kind).toBe('amount_return');
    expect(amountReturn.fields.order_id).toBe('899318b1ce0d5885cb7405fe86e3930178ff90be');
    // The same fields as JSON are tolerated.
    const asJson = parseIpayCallback(
      JSON.stringify(Object.fromEntries(new URLSearchParams(text('callback-payment-status.txt')))),
    );
    expect(asJson.fields).toEqual(status.fields);
  });

  it('refuses callbacks that are not raw or lack order_id / payment_hash', () => {
    const bad: unknown[] = [
      { order_id: 'x', payment_hash: 'y' },
      'status=success&order_id=x',
      'status=success&payment_hash=y',
      '',
    ];
    for (const body of bad) {
      expect(() => parseIpayCallback(body as string)).toThrow(SignatureVerificationError);
    }
    expect(() => parseIpayCallback({ order_id: 'x' } as never)).toThrow(/raw (request )?body/i);
  });
});
