import type { FailureCode } from '@colchis/core';

// Processing-centre (PMO) result codes of the TXPG protocol, as listed for Kapital Bank, with the
// normalized failure each one means. Unknown codes stay `card_declined`: a decline is a decline,
// and the raw code is always kept next to it.
const PMO_CODES: Readonly<Record<string, readonly [FailureCode, string]>> = {
  '5': ['authentication_failed', 'Strong customer authentication required'],
  '22': ['limit_exceeded', 'Acquirer limit exceeded'],
  '26': ['authentication_failed', 'External authentication required'],
  '29': ['card_declined', 'Closed account'],
  '30': ['card_declined', 'Blocked'],
  '40': ['fraud_suspected', 'Lost card'],
  '41': ['fraud_suspected', 'Stolen card'],
  '50': ['fraud_suspected', 'Unauthorized usage'],
  '51': ['expired_card', 'Expired card'],
  '52': ['incorrect_number', 'Invalid card'],
  '54': ['processing_error', 'System error'],
  '55': ['card_not_supported', 'Ineligible transaction'],
  '56': ['card_not_supported', 'Ineligible account'],
  '57': ['card_not_supported', 'Transaction not supported'],
  '58': ['card_declined', 'Restricted card'],
  '59': ['insufficient_funds', 'Insufficient funds'],
  '60': ['limit_exceeded', 'Uses limit exceeded'],
  '61': ['limit_exceeded', 'Withdrawal limit would be exceeded'],
  '63': ['limit_exceeded', 'Withdrawal limit already reached'],
  '64': ['limit_exceeded', 'Credit amount limit'],
  '67': ['processing_error', 'Invalid amount'],
  '68': ['card_declined', 'External decline'],
  '71': ['do_not_honor', 'Contact card issuer'],
  '72': ['processing_error', 'Destination not available'],
  '73': ['processing_error', 'Routing error'],
  '74': ['processing_error', 'Format error'],
  '75': ['card_declined', 'External decline special condition'],
  '80': ['incorrect_cvc', 'Bad CVV'],
  '81': ['incorrect_cvc', 'Bad CVV2'],
  '84': ['authentication_failed', 'Bad CAVV'],
  '95': ['insufficient_funds', 'Insufficient cash'],
  '98': ['processing_error', 'Invalid merchant'],
};

/** PMO result codes that mean the transaction was approved (`1` Approved, `96` Approved frictionless). */
export const APPROVED_PMO_CODES: ReadonlySet<string> = new Set(['1', '96']);

/**
 * The normalized failure for a PMO result code (`"59"` -> `insufficient_funds`), with the
 * processing centre's wording. Unknown codes are `card_declined`.
 */
export function failureFromPmoCode(code: string | number | undefined | null): {
  code: FailureCode;
  message: string;
} {
  const key = code === undefined || code === null ? '' : String(code).trim();
  const known = PMO_CODES[key];
  if (known) return { code: known[0], message: known[1] };
  return { code: 'card_declined', message: key ? `Declined (PMO result ${key})` : 'Declined' };
}

/** Reads the PMO code at the end of a `PmoDecline` description ("... 51"). */
export function pmoCodeFromDescription(description: string | undefined | null): string | undefined {
  return description ? /(\d{1,3})\s*\.?\s*$/.exec(description)?.[1] : undefined;
}
