import { describe, expect, it } from 'vitest';
import { InvalidRequestError, ResponseValidationError } from './errors.js';
import {
  assertMinorUnits,
  currencyExponent,
  currencyNumericCode,
  normalizeCurrency,
  parseGatewayAmount,
  toDecimalString,
  toMajorNumber,
  toMinorUnits,
} from './money.js';

// A small deterministic generator, so the property loops are reproducible.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sampleAmounts(count: number, seed = 42): number[] {
  const random = seededRandom(seed);
  const values = [
    0,
    1,
    5,
    9,
    10,
    99,
    100,
    101,
    105,
    1005,
    1050,
    999_999,
    123_456_789,
    Number.MAX_SAFE_INTEGER,
  ];
  for (let index = 0; index < count; index++) {
    // Spread over many magnitudes: 1..10^15.
    const digits = 1 + Math.floor(random() * 15);
    values.push(Math.floor(random() * 10 ** digits));
  }
  return values;
}

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('currencies', () => {
  it('knows the ISO 4217 exponents', () => {
    for (const code of ['GEL', 'KZT', 'USD', 'EUR', 'GBP', 'AZN'])
      expect(currencyExponent(code), code).toBe(2);
    for (const code of ['JPY', 'KRW']) expect(currencyExponent(code), code).toBe(0);
    for (const code of ['KWD', 'BHD']) expect(currencyExponent(code), code).toBe(3);
    expect(currencyExponent('gel')).toBe(2);
    expect(currencyExponent('jpy')).toBe(0);
    expect(currencyExponent('CLF')).toBe(4);
  });

  it('normalizes codes and refuses what is not three letters', () => {
    expect(normalizeCurrency('gel')).toBe('GEL');
    expect(normalizeCurrency('Kzt')).toBe('KZT');
    for (const bad of ['', 'GE', 'GELL', '981', 'G3L', ' GEL', 'лар']) {
      const error = catchError(() => normalizeCurrency(bad));
      expect(InvalidRequestError.isInstance(error), bad).toBe(true);
      expect(error.message).toContain('ISO 4217');
    }
    expect(() => normalizeCurrency(undefined as unknown as string)).toThrow(/ISO 4217/);
  });

  it('maps the numeric codes the gateways ask for', () => {
    expect(currencyNumericCode('GEL')).toBe('981');
    expect(currencyNumericCode('kzt')).toBe('398');
    expect(currencyNumericCode('USD')).toBe('840');
    expect(currencyNumericCode('EUR')).toBe('978');
    expect(currencyNumericCode('BHD')).toBe('048');
    expect(currencyNumericCode('XYZ')).toBeUndefined();
  });
});

describe('assertMinorUnits', () => {
  it('accepts safe non-negative integers', () => {
    for (const value of [0, 1, 1050, Number.MAX_SAFE_INTEGER])
      expect(() => assertMinorUnits(value)).not.toThrow();
  });

  it('rejects non-integers, unsafe integers, negatives and non-numbers with a message that says what to do', () => {
    const cases: Array<[unknown, RegExp]> = [
      [10.5, /integer number of minor units.*10\.5.*toMinorUnits\("10\.5", currency\)/],
      [0.1 + 0.2, /integer number of minor units/],
      [2 ** 53, /beyond Number\.MAX_SAFE_INTEGER/],
      [1e21, /beyond Number\.MAX_SAFE_INTEGER/],
      [-1, /must not be negative, got -1/],
      [Number.NaN, /must be a number of minor units.*got NaN/],
      [Number.POSITIVE_INFINITY, /got Infinity/],
      ['1050', /got "1050"/],
      [null, /got null/],
      [undefined, /got undefined/],
      [{ amount: 1 }, /got an object/],
    ];
    for (const [value, message] of cases) {
      const error = catchError(() => assertMinorUnits(value, 'refund amount'));
      expect(InvalidRequestError.isInstance(error), String(value)).toBe(true);
      expect(error.message).toMatch(/^refund amount /);
      expect(error.message).toMatch(message);
    }
  });
});

describe('toDecimalString', () => {
  it('formats with exactly the currency exponent', () => {
    expect(toDecimalString(1050, 'GEL')).toBe('10.50');
    expect(toDecimalString(1005, 'GEL')).toBe('10.05');
    expect(toDecimalString(5, 'USD')).toBe('0.05');
    expect(toDecimalString(0, 'KZT')).toBe('0.00');
    expect(toDecimalString(500, 'JPY')).toBe('500');
    expect(toDecimalString(0, 'KRW')).toBe('0');
    expect(toDecimalString(1, 'KWD')).toBe('0.001');
    expect(toDecimalString(12345, 'BHD')).toBe('12.345');
    expect(toDecimalString(Number.MAX_SAFE_INTEGER, 'USD')).toBe('90071992547409.91');
  });

  it('refuses what is not minor units', () => {
    expect(() => toDecimalString(10.5, 'GEL')).toThrow(/integer number of minor units/);
    expect(() => toDecimalString(-5, 'GEL')).toThrow(/negative/);
    expect(() => toDecimalString(5, 'GE')).toThrow(/ISO 4217/);
  });
});

describe('toMajorNumber', () => {
  it('is exact where float arithmetic drifts', () => {
    expect(toMajorNumber(1005, 'GEL')).toBe(10.05);
    expect(String(toMajorNumber(1005, 'GEL'))).toBe('10.05');
    // The naive way: 1005 / 100 happens to be fine, but 1.15 * 100 is not, and
    // neither are sums; the helper goes through the decimal string.
    expect(toMajorNumber(115, 'USD')).toBe(1.15);
    expect(toMajorNumber(30, 'USD')).toBe(0.3);
    expect(toMajorNumber(1050, 'GEL')).toBe(10.5);
    expect(toMajorNumber(500, 'JPY')).toBe(500);
    expect(toMajorNumber(1, 'KWD')).toBe(0.001);
  });

  it('refuses amounts a double cannot carry exactly instead of sending another amount', () => {
    // 90071992547409.91 is not representable: Number() would give 90071992547409.9.
    const error = catchError(() => toMajorNumber(Number.MAX_SAFE_INTEGER, 'USD'));
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.message).toContain('90071992547409.91 USD');
    expect(toMajorNumber(999_999_999_999_999, 'USD')).toBe(9_999_999_999_999.99);
  });

  it('round-trips through JSON to the same digits for many amounts', () => {
    for (const currency of ['GEL', 'JPY', 'KWD']) {
      for (const amount of sampleAmounts(2000, currency.charCodeAt(0))) {
        if (amount > 999_999_999_999_999) continue; // 16+ digits: refused, see above
        const major = toMajorNumber(amount, currency);
        const decimal = toDecimalString(amount, currency);
        // JSON serialization of the number is the decimal string without trailing zeros.
        const expected = decimal.includes('.') ? decimal.replace(/\.?0+$/, '') : decimal;
        expect(JSON.stringify(major), `${amount} ${currency}`).toBe(expected === '' ? '0' : expected);
        expect(toMinorUnits(major, currency), `${amount} ${currency}`).toBe(amount);
      }
    }
  });
});

describe('toMinorUnits', () => {
  it('parses decimal strings and numbers exactly', () => {
    expect(toMinorUnits('12.30', 'GEL')).toBe(1230);
    expect(toMinorUnits(12.3, 'GEL')).toBe(1230);
    expect(toMinorUnits('12.3', 'GEL')).toBe(1230);
    expect(toMinorUnits('0.0', 'GEL')).toBe(0);
    expect(toMinorUnits('0', 'GEL')).toBe(0);
    expect(toMinorUnits(0, 'GEL')).toBe(0);
    expect(toMinorUnits('10.05', 'GEL')).toBe(1005);
    expect(toMinorUnits(10.05, 'GEL')).toBe(1005);
    expect(toMinorUnits(1.15, 'USD')).toBe(115); // 1.15 * 100 === 114.99999999999999
    expect(toMinorUnits(4.35, 'USD')).toBe(435); // 4.35 * 100 === 434.99999999999994
    expect(toMinorUnits('.5', 'USD')).toBe(50);
    expect(toMinorUnits('5.', 'USD')).toBe(500);
    expect(toMinorUnits('  7.25 ', 'USD')).toBe(725);
    expect(toMinorUnits('007.10', 'USD')).toBe(710);
    expect(toMinorUnits('-0.00', 'USD')).toBe(0);
    expect(toMinorUnits('1500', 'JPY')).toBe(1500);
    expect(toMinorUnits('1.234', 'KWD')).toBe(1234);
    expect(toMinorUnits('10.500', 'GEL')).toBe(1050); // trailing zeros are harmless
  });

  it('reads exponent notation without float error', () => {
    expect(toMinorUnits(1e3, 'USD')).toBe(100_000);
    expect(toMinorUnits(1.5e-1, 'USD')).toBe(15);
    expect(toMinorUnits(1e-7, 'USD', { rounding: 'half-up' })).toBe(0); // String(1e-7) is "1e-7"
    expect(() => toMinorUnits(1e-7, 'USD')).toThrow(/more than 2 decimal places/);
    expect(toMinorUnits('1.5e2', 'USD')).toBe(15_000);
  });

  it('refuses amounts beyond the exact integer range', () => {
    expect(() => toMinorUnits(1e21, 'USD')).toThrow(/too large to be exact/);
    expect(() => toMinorUnits('90071992547409.92', 'USD')).toThrow(/too large to be exact/);
    expect(toMinorUnits('90071992547409.91', 'USD')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses more decimals than the currency has, unless asked to round half-up', () => {
    const error = catchError(() => toMinorUnits('10.005', 'GEL'));
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.message).toBe('Amount "10.005" has more than 2 decimal places for this currency.');
    expect(() => toMinorUnits(0.1 + 0.2, 'USD')).toThrow(/more than 2 decimal places/);
    expect(() => toMinorUnits('1.5', 'JPY')).toThrow(/more than 0 decimal places/);
    expect(toMinorUnits('10.005', 'GEL', { rounding: 'half-up' })).toBe(1001);
    expect(toMinorUnits('10.0049', 'GEL', { rounding: 'half-up' })).toBe(1000);
    expect(toMinorUnits(0.1 + 0.2, 'USD', { rounding: 'half-up' })).toBe(30);
    expect(toMinorUnits(0.7 + 0.1, 'USD', { rounding: 'half-up' })).toBe(80); // 0.7999999999999999
    expect(toMinorUnits('1.5', 'JPY', { rounding: 'half-up' })).toBe(2);
    expect(toMinorUnits('10.0000', 'GEL')).toBe(1000);
  });

  it('refuses what is not a decimal, with the value in the message', () => {
    for (const bad of ['', ' ', '.', '-', '1,234.50', '12.30 GEL', 'abc', '1.2.3', '+5', '0x10', '١٢']) {
      const error = catchError(() => toMinorUnits(bad, 'GEL'));
      expect(InvalidRequestError.isInstance(error), bad).toBe(true);
      expect(error.message).toContain(JSON.stringify(bad));
    }
    expect(() => toMinorUnits(Number.NaN, 'GEL')).toThrow(/not a finite number/);
    expect(() => toMinorUnits(Number.POSITIVE_INFINITY, 'GEL')).toThrow(/not a finite number/);
    expect(() => toMinorUnits({} as unknown as string, 'GEL')).toThrow(/must be a decimal string or number/);
  });

  it('refuses negative amounts', () => {
    expect(() => toMinorUnits('-1.00', 'GEL')).toThrow('Amount "-1.00" is negative.');
    expect(() => toMinorUnits(-0.01, 'GEL')).toThrow('Amount -0.01 is negative.');
  });

  it('inverts toDecimalString for many amounts and currencies', () => {
    for (const currency of ['GEL', 'KZT', 'JPY', 'KWD', 'CLF']) {
      for (const amount of sampleAmounts(1500, currency.charCodeAt(1))) {
        expect(toMinorUnits(toDecimalString(amount, currency), currency), `${amount} ${currency}`).toBe(
          amount,
        );
      }
    }
  });

  it('never drifts on every cent value up to 1000.00 given as a float', () => {
    // Every n/100 written as a JS number literal reads back as n cents.
    for (let cents = 0; cents <= 100_000; cents++) {
      const asNumber = Number(`${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`);
      if (toMinorUnits(asNumber, 'GEL') !== cents) {
        expect.fail(`${asNumber} read as ${toMinorUnits(asNumber, 'GEL')} instead of ${cents}`);
      }
    }
  });
});

describe('parseGatewayAmount', () => {
  it('reads strings, numbers and missing values', () => {
    expect(parseGatewayAmount('12.30', 'GEL')).toBe(1230);
    expect(parseGatewayAmount(12.3, 'GEL')).toBe(1230);
    expect(parseGatewayAmount('0.0', 'GEL')).toBe(0);
    expect(parseGatewayAmount(0, 'GEL')).toBe(0);
    expect(parseGatewayAmount(null, 'GEL')).toBeUndefined();
    expect(parseGatewayAmount(undefined, 'GEL')).toBeUndefined();
    expect(parseGatewayAmount('', 'GEL')).toBeUndefined();
    expect(parseGatewayAmount('   ', 'GEL')).toBeUndefined();
    expect(parseGatewayAmount('1500', 'KZT')).toBe(150_000);
    expect(parseGatewayAmount(1500, 'JPY')).toBe(1500);
  });

  it('rounds float noise and over-long decimals half-up instead of failing', () => {
    expect(parseGatewayAmount(0.1 + 0.2, 'USD')).toBe(30);
    expect(parseGatewayAmount(1.005, 'USD')).toBe(101); // the decimal 1.005 is what the gateway wrote
    expect(parseGatewayAmount('10.500', 'GEL')).toBe(1050);
    expect(parseGatewayAmount('10.004', 'GEL')).toBe(1000);
    expect(parseGatewayAmount(1.23e-5, 'USD')).toBe(0);
    expect(parseGatewayAmount(5e-324, 'USD')).toBe(0);
  });

  it('reads exponent notation in strings too, without blowing up on huge exponents', () => {
    expect(parseGatewayAmount('1.5e2', 'USD')).toBe(15_000);
    expect(parseGatewayAmount('1E+2', 'USD')).toBe(10_000);
    expect(parseGatewayAmount('2.5e-1', 'USD')).toBe(25);
    expect(parseGatewayAmount('1.2345e2', 'USD')).toBe(12_345);
    expect(parseGatewayAmount('-0e5', 'USD')).toBe(0);
    expect(() => parseGatewayAmount('1e999999999', 'USD')).toThrow(/too large/);
    expect(parseGatewayAmount('1e-999999999', 'USD')).toBe(0);
  });

  it('blames the gateway (ResponseValidationError) for malformed values', () => {
    for (const bad of ['abc', '1,50', true, {}, [], '-5.00', -5, Number.NaN]) {
      const error = catchError(() => parseGatewayAmount(bad, 'GEL', 'bog'));
      expect(ResponseValidationError.isInstance(error), String(bad)).toBe(true);
      expect((error as ResponseValidationError).provider).toBe('bog');
    }
    const error = catchError(() => parseGatewayAmount({ value: 1 }, 'GEL'));
    expect(error.message).toBe('Gateway amount an object is neither a string nor a number.');
    expect((error as ResponseValidationError).provider).toBeUndefined();
    expect(catchError(() => parseGatewayAmount('abc', 'GEL')).message).toContain('"abc"');
  });

  it('agrees with toMinorUnits on every well-formed amount', () => {
    for (const amount of sampleAmounts(1000, 7)) {
      const text = toDecimalString(amount, 'KZT');
      expect(parseGatewayAmount(text, 'KZT')).toBe(amount);
      // As a JSON number, only amounts a double holds exactly (15 significant digits) survive.
      if (amount <= 999_999_999_999_999) expect(parseGatewayAmount(Number(text), 'KZT')).toBe(amount);
    }
  });
});
