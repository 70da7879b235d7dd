import { InvalidRequestError } from '@colchis/core';
import { describe, expect, it } from 'vitest';
import {
  decodeProCreditPaymentId,
  encodeProCreditPaymentId,
  isProCreditPaymentId,
} from './procredit-payment-id.js';

describe('ProCredit payment ids', () => {
  it('round-trips the order id, the password and the expected amount', () => {
    const reference = {
      orderId: '1944',
      password: '2gszuibs780x',
      expected: { amount: 2500, currency: 'GEL' },
    };
    const id = encodeProCreditPaymentId(reference);
    expect(id.startsWith('pc1.1944.')).toBe(true);
    expect(isProCreditPaymentId(id)).toBe(true);
    expect(decodeProCreditPaymentId(id)).toEqual(reference);
  });

  it('keeps any password safe to carry (no separators leak through)', () => {
    const password = 'a.b/c+d=e f&g…';
    const id = encodeProCreditPaymentId({ orderId: '7', password });
    expect(id.split('.')).toHaveLength(3);
    expect(id).not.toContain(password);
    expect(decodeProCreditPaymentId(id)).toEqual({ orderId: '7', password });
  });

  it('refuses foreign or damaged ids without repeating them', () => {
    for (const bad of [
      '1944',
      'pc1.1944',
      'pc1.19 44.abc',
      'pc2.1944.abc',
      'pc1.1944.abc.25GEL',
      'pc1.1944.%%%',
    ]) {
      let error: unknown;
      try {
        decodeProCreditPaymentId(bad);
      } catch (caught) {
        error = caught;
      }
      expect(InvalidRequestError.isInstance(error), bad).toBe(true);
      expect((error as Error).message).not.toContain(bad);
    }
  });
});
