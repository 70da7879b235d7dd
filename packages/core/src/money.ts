import { InvalidRequestError, ResponseValidationError } from './errors.js';

/** An amount in integer minor units (tetri, tiyn, cents) and its ISO 4217 currency code. */
export interface Money {
  /** Integer minor units: 1050 GEL-tetri is 10.50 GEL. Never a float. */
  amount: number;
  /** ISO 4217 alphabetic code, upper case (`GEL`, `KZT`, `USD`). */
  currency: string;
}

// ISO 4217 minor-unit exponents for every currency that differs from the default of 2.
const EXPONENT_OVERRIDES: Readonly<Record<string, number>> = {
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  CLF: 4,
  UYW: 4,
};

// Alpha codes of ISO 4217 currencies that Colchis' gateways can be asked for, with their
// numeric codes (some gateways, like ProCredit's sibling banks, want numbers).
const NUMERIC_CODES: Readonly<Record<string, string>> = {
  AZN: '944',
  EUR: '978',
  GBP: '826',
  GEL: '981',
  JPY: '392',
  KRW: '410',
  KWD: '414',
  BHD: '048',
  KZT: '398',
  RUB: '643',
  TRY: '949',
  UAH: '980',
  USD: '840',
  UZS: '860',
  CHF: '756',
  AMD: '051',
};

/**
 * Normalizes and checks an ISO 4217 alphabetic code: three ASCII letters, returned upper case.
 * @throws InvalidRequestError when the code is not three letters.
 */
export function normalizeCurrency(currency: string): string {
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) {
    throw new InvalidRequestError(
      `Currency ${JSON.stringify(currency)} is not an ISO 4217 code: pass three letters such as "GEL", "KZT" or "USD".`,
    );
  }
  return currency.toUpperCase();
}

/** The number of minor-unit digits of an ISO 4217 currency (GEL 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  return EXPONENT_OVERRIDES[normalizeCurrency(currency)] ?? 2;
}

/** The ISO 4217 numeric code (`"981"` for GEL), or `undefined` when Colchis does not know it. */
export function currencyNumericCode(currency: string): string | undefined {
  return NUMERIC_CODES[normalizeCurrency(currency)];
}

/**
 * Throws a clear {@link InvalidRequestError} unless `amount` is a safe, non-negative integer.
 * @param what names the field in the message, e.g. `"amount"` or `"refund amount"`.
 */
export function assertMinorUnits(amount: unknown, what = 'amount'): asserts amount is number {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) {
    throw new InvalidRequestError(
      `${what} must be a number of minor units (an integer such as 1050 for 10.50), got ${describe(amount)}.`,
    );
  }
  if (!Number.isInteger(amount)) {
    throw new InvalidRequestError(
      `${what} must be an integer number of minor units (1050 for 10.50), got ${amount}: convert with toMinorUnits("${amount}", currency) instead of passing major units.`,
    );
  }
  if (!Number.isSafeInteger(amount)) {
    throw new InvalidRequestError(`${what} ${amount} is beyond Number.MAX_SAFE_INTEGER and cannot be exact.`);
  }
  if (amount < 0) {
    throw new InvalidRequestError(`${what} must not be negative, got ${amount}.`);
  }
}

/**
 * Formats integer minor units as an exact decimal string in major units, with exactly the
 * currency's number of decimals: `(1050, 'GEL')` -> `"10.50"`, `(500, 'JPY')` -> `"500"`.
 * Pure string arithmetic: no floating point touches the amount.
 */
export function toDecimalString(amount: number, currency: string): string {
  assertMinorUnits(amount);
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(amount);
  const digits = String(amount).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * Formats minor units as a JSON-ready number of major units (`1050 GEL` -> `10.5`). The number is
 * produced by parsing the exact decimal string, so it is the closest double to the true value and
 * serializes back to the same digits: no `0.1 + 0.2` style drift.
 * @throws InvalidRequestError when the amount has more significant digits than a double keeps
 * (beyond about 10^13 major units), rather than sending a different amount.
 */
export function toMajorNumber(amount: number, currency: string): number {
  const text = toDecimalString(amount, currency);
  const major = Number(text);
  // A double holds about 15-17 significant digits: beyond that, 90071992547409.91 silently
  // becomes 90071992547409.9 and the gateway would be sent another amount. Refuse instead.
  const canonical = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  if (String(major) !== canonical) {
    throw new InvalidRequestError(
      `Amount ${amount} (${text} ${normalizeCurrency(currency)}) has too many digits to be sent as an exact JSON number.`,
    );
  }
  return major;
}

/**
 * Parses a decimal amount in major units, as gateways return it (`"12.30"`, `12.3`, `"0.0"`,
 * `"1,234.50"` is rejected), into integer minor units without floating-point error.
 * A number is read through its shortest decimal representation, so `12.3` yields 1230, not 1229.
 *
 * @throws InvalidRequestError when the value has more decimals than the currency allows
 * (unless `rounding: 'half-up'`), or is not a decimal.
 */
export function toMinorUnits(
  value: string | number,
  currency: string,
  options: { rounding?: 'exact' | 'half-up' } = {},
): number {
  const result = parseDecimal(value, currencyExponent(currency), options.rounding ?? 'exact');
  if (typeof result === 'string') throw new InvalidRequestError(result);
  return result;
}

/**
 * Reads an amount a gateway sent in major units: strings, numbers, `null`/`undefined`/`""`
 * (which yield `undefined`). Unlike {@link toMinorUnits} a malformed value is a
 * {@link ResponseValidationError}, because the gateway, not the caller, got it wrong.
 */
export function parseGatewayAmount(value: unknown, currency: string, provider?: string): number | undefined {
  // Blank strings are how some gateways write "no amount" (a padded fixed-width field).
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
    return undefined;
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new ResponseValidationError(`Gateway amount ${describe(value)} is neither a string nor a number.`, {
      ...(provider ? { provider } : {}),
    });
  }
  // Gateways sometimes pad to more decimals than the currency has ("10.500"): trailing zeros are
  // harmless; anything else beyond the exponent is rounded half-up, never silently truncated.
  const result = parseDecimal(value, currencyExponent(currency), 'half-up');
  if (typeof result === 'string') {
    throw new ResponseValidationError(result, { ...(provider ? { provider } : {}) });
  }
  return result;
}

function parseDecimal(
  value: string | number,
  exponent: number,
  rounding: 'exact' | 'half-up',
): number | string {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `Amount ${value} is not a finite number.`;
    // String(n) is the shortest round-tripping decimal; expand exponent notation by hand.
    text = expandExponent(String(value));
  } else if (typeof value === 'string') {
    // Some serializers write large or tiny amounts as "1.5E+2"; read them like numbers.
    text = expandExponent(value.trim());
  } else {
    return `Amount ${describe(value)} must be a decimal string or number.`;
  }
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    return `Amount ${JSON.stringify(value)} is not a decimal number such as "10.50".`;
  }
  const negative = match[1] === '-';
  const whole = match[2] || '0';
  let fraction = match[3] ?? '';
  let roundUp = false;
  if (fraction.length > exponent) {
    const extra = fraction.slice(exponent);
    if (/[^0]/.test(extra)) {
      if (rounding === 'exact') {
        return `Amount ${JSON.stringify(value)} has more than ${exponent} decimal places for this currency.`;
      }
      roundUp = extra.charCodeAt(0) >= 53; // '5'
    }
    fraction = fraction.slice(0, exponent);
  }
  const digits = (whole + fraction.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  // Checked after rounding: MAX_SAFE_INTEGER + 1 is no longer exact.
  const minor = Number(digits) + (roundUp ? 1 : 0);
  if (!Number.isSafeInteger(minor)) return `Amount ${JSON.stringify(value)} is too large to be exact.`;
  if (negative && minor !== 0) return `Amount ${JSON.stringify(value)} is negative.`;
  return minor;
}

function expandExponent(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d*))?e([+-]?\d+)$/i.exec(text);
  if (!match) return text;
  const [, sign, intPart = '', fracPart = '', expText = '0'] = match;
  const exp = Number(expText);
  // A string such as "1e999999999" would otherwise expand to a gigabyte of zeros. Past these
  // bounds the amount is too large for a safe integer, or rounds to zero, in every currency.
  if (exp > 400) return `${sign}${'9'.repeat(400)}`;
  if (exp < -400) return `${sign}0.0`;
  const digits = intPart + fracPart;
  const point = intPart.length + exp;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
