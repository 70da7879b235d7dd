import { InvalidRequestError, ResponseValidationError } from '@colchis/core';
import { describe, expect, it } from 'vitest';
import { formatProCreditAmount, readProCreditAmount } from './procredit-amount.js';

describe('amounts on the wire', () => {
  it('formats minor units as an exact two-decimal string, or as minor units', () => {
    expect(formatProCreditAmount({ amount: 1050, currency: 'GEL' }, 'major-string')).toBe('10.50');
    expect(formatProCreditAmount({ amount: 5, currency: 'gel' }, 'major-string')).toBe('0.05');
    expect(formatProCreditAmount({ amount: 1999999999, currency: 'GEL' }, 'major-string')).toBe(
      '19999999.99',
    );
    expect(formatProCreditAmount({ amount: 1050, currency: 'RUB' }, 'minor-integer')).toBe(1050);
    expect(() => formatProCreditAmount({ amount: 10.5, currency: 'GEL' }, 'major-string')).toThrow(
      InvalidRequestError,
    );
  });

  it('reads what the bank sends: numbers, strings, negatives for refunds', () => {
    expect(readProCreditAmount(20, 'EUR', 'major-string')).toBe(2000);
    expect(readProCreditAmount(10.5, 'GEL', 'major-string')).toBe(1050);
    expect(readProCreditAmount(0.1 + 0.2, 'GEL', 'major-string')).toBe(30);
    expect(readProCreditAmount('12.30', 'GEL', 'major-string')).toBe(1230);
    expect(readProCreditAmount(-1.0, 'GEL', 'major-string')).toBe(-100);
    expect(readProCreditAmount('-5.00', 'GEL', 'major-string')).toBe(-500);
    expect(readProCreditAmount(null, 'GEL', 'major-string')).toBeUndefined();
    expect(readProCreditAmount('1050', 'RUB', 'minor-integer')).toBe(1050);
    expect(() => readProCreditAmount('ten', 'GEL', 'major-string')).toThrow(ResponseValidationError);
    expect(() => readProCreditAmount(10.5, 'RUB', 'minor-integer')).toThrow(ResponseValidationError);
  });
});
