import type { FailureCode } from '@colchis/core';

/**
 * Bank of Georgia's response codes (`payment_detail.code`, `actions[].code`) with their documented
 * meaning and the normalized {@link FailureCode}. Codes arrive as strings (`"107"`).
 */
export const BOG_RESPONSE_CODES: Readonly<Record<string, { message: string; failureCode: FailureCode }>> =
  Object.freeze({
    '100': { message: 'Successful payment', failureCode: 'unknown' },
    '101': { message: 'Declined: card usage is limited; contact the issuer', failureCode: 'card_declined' },
    '102': { message: 'Saved card was not found', failureCode: 'card_declined' },
    '103': { message: 'Declined: invalid card', failureCode: 'incorrect_number' },
    '104': { message: 'Declined: transaction-count limit exceeded', failureCode: 'limit_exceeded' },
    '105': { message: 'Declined: card expired', failureCode: 'expired_card' },
    '106': { message: 'Declined: amount limit exceeded', failureCode: 'limit_exceeded' },
    '107': { message: 'Declined: insufficient funds', failureCode: 'insufficient_funds' },
    '108': { message: 'Authentication declined', failureCode: 'authentication_failed' },
    '109': { message: 'Technical issue', failureCode: 'processing_error' },
    '110': { message: 'Transaction expired', failureCode: 'expired' },
    '111': { message: 'Authentication timeout', failureCode: 'authentication_failed' },
    '112': { message: 'General error', failureCode: 'processing_error' },
    '122': { message: 'Declined by the acquiring bank', failureCode: 'card_declined' },
    '199': { message: 'Unknown response', failureCode: 'unknown' },
    '200': { message: 'Successful preauthorization', failureCode: 'unknown' },
    '161': {
      message: 'Refund could not be completed; contact the issuing bank',
      failureCode: 'processing_error',
    },
    '162': { message: 'The issuing bank declined the refund', failureCode: 'card_declined' },
    '163': { message: 'Not enough funds available in the account', failureCode: 'insufficient_funds' },
    '164': {
      message: 'Refund could not be completed; contact the issuing bank',
      failureCode: 'processing_error',
    },
    '165': {
      message: 'Refund could not be completed; contact the issuing bank',
      failureCode: 'processing_error',
    },
    '166': {
      message: 'Refund could not be completed; contact the issuing bank',
      failureCode: 'processing_error',
    },
    '167': { message: 'Card expired; refund to an active card', failureCode: 'expired_card' },
    '168': {
      message: 'Refund could not be completed; contact the issuing bank',
      failureCode: 'processing_error',
    },
    '169': { message: 'Card expired or details incorrect', failureCode: 'expired_card' },
    '179': { message: 'Unknown response', failureCode: 'unknown' },
  });

/**
 * The normalized failure code of a Bank of Georgia response code; `unknown` for codes the docs do
 * not list. Only meaningful for a failed payment or action: the status says whether it failed.
 */
export function mapBogFailureCode(code: string | number | null | undefined): FailureCode {
  if (code === null || code === undefined) return 'unknown';
  return BOG_RESPONSE_CODES[String(code).trim()]?.failureCode ?? 'unknown';
}
