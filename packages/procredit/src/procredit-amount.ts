import {
  assertMinorUnits,
  type Money,
  normalizeCurrency,
  parseGatewayAmount,
  ResponseValidationError,
  toDecimalString,
} from '@colchis/core';
import type { ProCreditAmountFormat } from './procredit-presets.js';

/**
 * An amount as the bank wants it: `"10.50"` (major units, exact decimals from core's
 * `toDecimalString`) or `1050` (minor units) for deployments configured that way.
 */
export function formatProCreditAmount(money: Money, format: ProCreditAmountFormat): string | number {
  const currency = normalizeCurrency(money.currency);
  assertMinorUnits(money.amount);
  return format === 'minor-integer' ? money.amount : toDecimalString(money.amount, currency);
}

/**
 * Reads an amount the bank sent (a JSON number in major units such as `20` or `10.5`, a string,
 * or minor units for `minor-integer` deployments) as integer minor units. Negative amounts
 * (refund and reversal lines in `trans[]`) are returned negative. `undefined` when absent.
 */
export function readProCreditAmount(
  value: unknown,
  currency: string,
  format: ProCreditAmountFormat,
): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  let negative = false;
  let magnitude: unknown = value;
  if (typeof value === 'number' && value < 0) {
    negative = true;
    magnitude = -value;
  } else if (typeof value === 'string' && value.trim().startsWith('-')) {
    negative = true;
    magnitude = value.trim().slice(1);
  }
  let minor: number | undefined;
  if (format === 'minor-integer') {
    const number = typeof magnitude === 'string' ? Number(magnitude.trim()) : magnitude;
    if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
      throw new ResponseValidationError(
        `ProCredit amount ${JSON.stringify(value)} is not an integer of minor units (amountFormat "minor-integer").`,
        { provider: 'procredit' },
      );
    }
    minor = number;
  } else {
    minor = parseGatewayAmount(magnitude, currency, 'procredit');
  }
  if (minor === undefined) return undefined;
  return negative && minor !== 0 ? -minor : minor;
}
