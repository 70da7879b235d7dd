import { toMinorUnits } from '@colchis/core';

/**
 * Converts tenge to tiyn, the integer minor units every ioka amount is written in (1 tenge =
 * 100 tiyn): `tenge('500')` is `50000`, `tenge('10.50')` is `1050`, `tenge(12.3)` is `1230`.
 * Exact decimal arithmetic (core's `toMinorUnits`), never `* 100`.
 * @throws InvalidRequestError for more than two decimals (`'10.505'`), negatives or non-numbers.
 */
export function tenge(amount: string | number): number {
  return toMinorUnits(amount, 'KZT');
}
