import {
  assertMinorUnits,
  InvalidRequestError,
  normalizeCurrency,
  parseGatewayAmount,
  toMajorNumber,
} from '@colchis/core';

/** The currencies Bank of Georgia's Payments API accepts (`purchase_units.currency`). */
export const BOG_CURRENCIES: readonly string[] = Object.freeze(['GEL', 'USD', 'EUR', 'GBP']);

/** The currency of an order when none is given: Bank of Georgia defaults to GEL. */
export const BOG_DEFAULT_CURRENCY = 'GEL';

/**
 * Checks a currency against the ones Bank of Georgia accepts and returns it upper case.
 * @throws InvalidRequestError for any other currency, before a request is made.
 */
export function toBogCurrency(currency: string | undefined): string {
  if (currency === undefined) return BOG_DEFAULT_CURRENCY;
  const code = normalizeCurrency(currency);
  if (!BOG_CURRENCIES.includes(code)) {
    throw new InvalidRequestError(
      `Bank of Georgia accepts ${BOG_CURRENCIES.join(', ')} only, not ${code}. Charge in one of those currencies.`,
      { provider: 'bog' },
    );
  }
  return code;
}

/**
 * Converts integer minor units to the major-unit JSON number Bank of Georgia expects
 * (`1050` -> `10.5`), exactly: the number is parsed from the exact decimal string, never computed
 * with floating-point division. Every BOG currency has two decimals.
 * @param what names the field in the error message, e.g. `purchaseUnits.totalAmount`.
 * @throws InvalidRequestError unless `amount` is a non-negative safe integer.
 */
export function toBogAmount(amount: number, currency: string, what: string): number {
  assertMinorUnits(amount, what);
  return toMajorNumber(amount, currency);
}

/**
 * Reads an amount Bank of Georgia returned in major units (`"100.5"`, `"0.0"`, `10.5`, `null`)
 * into minor units. Tolerant by design: `null`, missing and unreadable values (the docs' own
 * example holds `"string"` in discount fields) give `undefined` instead of failing the whole
 * response, so a status read never breaks on a cosmetic field.
 */
export function readBogAmount(value: unknown, currency: string): number | undefined {
  // Text without a digit (the docs' `"string"` placeholders) can never be an amount: answered
  // here, without building and discarding an error (which costs more than the whole read).
  if (typeof value === 'string' && !/\d/.test(value)) return undefined;
  try {
    return parseGatewayAmount(value, currency, 'bog');
  } catch {
    return undefined;
  }
}
