import { readFileSync } from 'node:fs';
import { InvalidRequestError } from '@colchis/core';
import { describe, expect, it } from 'vitest';
import { readBogAmount, toBogAmount } from './bog-amount.js';
import type { BogCreateOrderInput } from './bog-client-types.js';
import { toBogOrderBody } from './bog-order-body.js';

const minimal: BogCreateOrderInput = {
  callbackUrl: 'https://example.com/callback',
  externalOrderId: 'id123',
  purchaseUnits: {
    currency: 'GEL',
    totalAmount: 100,
    basket: [{ quantity: 1, unitPrice: 100, productId: 'product123' }],
  },
  redirectUrls: { fail: 'https://example.com/fail', success: 'https://example.com/success' },
};

function rejects(input: BogCreateOrderInput, message: RegExp, officialApi = true): void {
  try {
    toBogOrderBody(input, officialApi);
  } catch (error) {
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected an InvalidRequestError');
}

describe('amounts', () => {
  it('turns minor units into major-unit JSON numbers exactly', () => {
    const cases: Array<[number, number, string]> = [
      [1, 0.01, '0.01'],
      [10, 0.1, '0.1'],
      [29, 0.29, '0.29'],
      [1050, 10.5, '10.5'],
      [1999, 19.99, '19.99'],
      [30, 0.3, '0.3'],
      [100, 1, '1'],
      [123456789, 1234567.89, '1234567.89'],
      [900719925474099, 9007199254740.99, '9007199254740.99'],
    ];
    for (const [minor, major, json] of cases) {
      expect(toBogAmount(minor, 'GEL', 'amount')).toBe(major);
      expect(JSON.stringify(toBogAmount(minor, 'GEL', 'amount'))).toBe(json);
    }
  });

  it('refuses fractions, negatives and unsafe integers of minor units', () => {
    expect(() => toBogAmount(10.5, 'GEL', 'amount')).toThrow(/integer number of minor units/);
    expect(() => toBogAmount(-1, 'GEL', 'amount')).toThrow(/negative/);
    expect(() => toBogAmount(2 ** 53, 'GEL', 'amount')).toThrow(/MAX_SAFE_INTEGER/);
  });

  it('reads amounts as BOG returns them: strings, numbers, null, padded, or garbage', () => {
    expect(readBogAmount('100.5', 'GEL')).toBe(10050);
    expect(readBogAmount('0.0', 'GEL')).toBe(0);
    expect(readBogAmount(12.3, 'GEL')).toBe(1230);
    expect(readBogAmount('5.30', 'GEL')).toBe(530);
    expect(readBogAmount('10.500', 'GEL')).toBe(1050);
    expect(readBogAmount(null, 'GEL')).toBeUndefined();
    expect(readBogAmount(undefined, 'GEL')).toBeUndefined();
    expect(readBogAmount('string', 'GEL')).toBeUndefined();
  });
});

describe('toBogOrderBody', () => {
  it('produces exactly the documented minimal request', () => {
    const documented = JSON.parse(
      readFileSync(new URL('./__fixtures__/create-order-request.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(toBogOrderBody(minimal, true)).toEqual(documented);
  });

  it('sends every documented field under its wire name, money in major units', () => {
    const body = toBogOrderBody(
      {
        callbackUrl: 'https://shop.example/cb',
        externalOrderId: 'ord-1',
        capture: 'manual',
        applicationType: 'web',
        buyer: { fullName: 'Nino', maskedEmail: 'n***@example.ge', maskedPhone: '+995 5** ** 00' },
        ttl: 30,
        paymentMethod: ['card', 'google_pay', 'apple_pay'],
        redirectUrls: { success: 'https://shop.example/ok', fail: 'https://shop.example/no' },
        purchaseUnits: {
          currency: 'usd',
          totalAmount: 10_30,
          totalDiscountAmount: 70,
          delivery: { amount: 300 },
          basket: [
            {
              productId: 'sku-1',
              description: 'Book',
              quantity: 2,
              unitPrice: 400,
              unitDiscountPrice: 35,
              vat: 61,
              vatPercent: 18,
              totalPrice: 800,
              image: 'https://shop.example/book.png',
              packageCode: 'A000123',
              tin: '123',
              pinfl: '456',
              productDiscountId: 'BF222R5',
            },
          ],
        },
        config: {
          campaign: { card: 'visa', type: 'client_discount' },
          googlePay: { external: false },
          applePay: { external: false },
          account: { tag: 'pos-2' },
          split: { splitPayments: [{ iban: 'GE00BG0000000000000000', amount: 150, description: 'partner' }] },
        },
      },
      true,
    );
    expect(body).toEqual({
      application_type: 'web',
      buyer: { full_name: 'Nino', masked_email: 'n***@example.ge', masked_phone: '+995 5** ** 00' },
      callback_url: 'https://shop.example/cb',
      external_order_id: 'ord-1',
      capture: 'manual',
      purchase_units: {
        currency: 'USD',
        total_amount: 10.3,
        total_discount_amount: 0.7,
        delivery: { amount: 3 },
        basket: [
          {
            product_id: 'sku-1',
            description: 'Book',
            quantity: 2,
            unit_price: 4,
            unit_discount_price: 0.35,
            vat: 0.61,
            vat_percent: 18,
            total_price: 8,
            image: 'https://shop.example/book.png',
            package_code: 'A000123',
            tin: '123',
            pinfl: '456',
            product_discount_id: 'BF222R5',
          },
        ],
      },
      redirect_urls: { success: 'https://shop.example/ok', fail: 'https://shop.example/no' },
      ttl: 30,
      payment_method: ['card', 'google_pay', 'apple_pay'],
      config: {
        campaign: { card: 'visa', type: 'client_discount' },
        google_pay: { external: false },
        apple_pay: { external: false },
        account: { tag: 'pos-2' },
        split: { split_payments: [{ iban: 'GE00BG0000000000000000', amount: 1.5, description: 'partner' }] },
      },
    });
  });

  it('sends the Google Pay token as google_pay_token and the loan as documented', () => {
    const body = toBogOrderBody(
      {
        ...minimal,
        paymentMethod: ['bog_loan'],
        config: {
          loan: { type: 'DISCOUNT_CODE', month: 12 },
          googlePay: { external: true, googlePayToken: '{"a":1}' },
        },
      },
      true,
    );
    expect(body.config).toEqual({
      loan: { type: 'DISCOUNT_CODE', month: 12 },
      google_pay: { external: true, google_pay_token: '{"a":1}' },
    });
  });

  it('checks what it can before any request', () => {
    rejects({ ...minimal, callbackUrl: '' }, /callbackUrl is required/);
    rejects({ ...minimal, callbackUrl: 'not a url' }, /absolute URL/);
    rejects({ ...minimal, callbackUrl: 'http://shop.example/cb' }, /public https URL/);
    rejects({ ...minimal, callbackUrl: 'https://localhost/cb' }, /public https URL/);
    rejects({ ...minimal, purchaseUnits: { ...minimal.purchaseUnits, totalAmount: 10.5 } }, /minor units/);
    rejects({ ...minimal, purchaseUnits: { ...minimal.purchaseUnits, totalAmount: 0 } }, /more than zero/);
    rejects(
      { ...minimal, purchaseUnits: { ...minimal.purchaseUnits, currency: 'KZT' } },
      /GEL, USD, EUR, GBP/,
    );
    rejects({ ...minimal, purchaseUnits: { ...minimal.purchaseUnits, basket: [] } }, /at least one item/);
    rejects(
      {
        ...minimal,
        purchaseUnits: { ...minimal.purchaseUnits, basket: [{ productId: '', quantity: 1, unitPrice: 1 }] },
      },
      /productId is required/,
    );
    rejects(
      {
        ...minimal,
        purchaseUnits: { ...minimal.purchaseUnits, basket: [{ productId: 'p', quantity: 0, unitPrice: 1 }] },
      },
      /quantity must be a positive number/,
    );
    rejects({ ...minimal, ttl: 1 }, /2 to 1440/);
    rejects({ ...minimal, ttl: 1441 }, /2 to 1440/);
    rejects({ ...minimal, capture: 'manual', paymentMethod: ['card', 'bog_p2p'] }, /not bog_p2p/);
    rejects({ ...minimal, paymentMethod: ['bnpl'] }, /config.loan.type is required/);
    rejects({ ...minimal, config: { googlePay: { external: true } } }, /googlePayToken is required/);
    rejects(
      { ...minimal, config: { split: { splitPayments: [{ iban: 'GE1', amount: 1, percent: 10 }] } } },
      /either amount or percent/,
    );
  });

  it('lets a sandbox (an overridden API) take plain-http and loopback callbacks', () => {
    expect(toBogOrderBody({ ...minimal, callbackUrl: 'http://127.0.0.1:3000/cb' }, false).callback_url).toBe(
      'http://127.0.0.1:3000/cb',
    );
  });
});
