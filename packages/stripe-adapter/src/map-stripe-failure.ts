import type { FailureCode, PaymentFailure } from '@colchis/core';

// Stripe's decline codes (https://docs.stripe.com/declines/codes) and error codes
// (https://docs.stripe.com/error-codes) that have a Colchis equivalent. The decline code is the
// more specific of the two, so it is looked up first.
const FAILURE_CODES: Readonly<Record<string, FailureCode>> = {
  insufficient_funds: 'insufficient_funds',
  expired_card: 'expired_card',
  incorrect_cvc: 'incorrect_cvc',
  invalid_cvc: 'incorrect_cvc',
  incorrect_number: 'incorrect_number',
  invalid_number: 'incorrect_number',
  authentication_required: 'authentication_failed',
  authentication_failure: 'authentication_failed',
  payment_intent_authentication_failure: 'authentication_failed',
  fraudulent: 'fraud_suspected',
  lost_card: 'fraud_suspected',
  stolen_card: 'fraud_suspected',
  pickup_card: 'fraud_suspected',
  merchant_blacklist: 'fraud_suspected',
  card_velocity_exceeded: 'limit_exceeded',
  withdrawal_count_limit_exceeded: 'limit_exceeded',
  card_decline_rate_limit_exceeded: 'limit_exceeded',
  card_not_supported: 'card_not_supported',
  currency_not_supported: 'card_not_supported',
  transaction_not_allowed: 'card_not_supported',
  do_not_honor: 'do_not_honor',
  processing_error: 'processing_error',
  issuer_not_available: 'processing_error',
  try_again_later: 'processing_error',
  reenter_transaction: 'processing_error',
  generic_decline: 'card_declined',
  card_declined: 'card_declined',
  call_issuer: 'card_declined',
  no_action_taken: 'card_declined',
  not_permitted: 'card_declined',
  restricted_card: 'card_declined',
  security_violation: 'card_declined',
  service_not_allowed: 'card_declined',
  revocation_of_authorization: 'card_declined',
  revocation_of_all_authorizations: 'card_declined',
  payment_intent_payment_attempt_expired: 'expired',
};

/** The shape of Stripe's `last_payment_error` and of a card error's `raw` body. */
export interface StripeErrorFields {
  code?: string | null | undefined;
  decline_code?: string | null | undefined;
  message?: string | null | undefined;
}

/** Normalizes a Stripe decline/error code pair into a Colchis {@link FailureCode}. */
export function mapStripeFailureCode(code?: string | null, declineCode?: string | null): FailureCode {
  if (declineCode && Object.hasOwn(FAILURE_CODES, declineCode))
    return FAILURE_CODES[declineCode] as FailureCode;
  if (code && Object.hasOwn(FAILURE_CODES, code)) return FAILURE_CODES[code] as FailureCode;
  return 'unknown';
}

/** Builds a {@link PaymentFailure} from `last_payment_error` (or a card error body). */
export function mapStripeFailure(error: StripeErrorFields): PaymentFailure {
  const rawCode = error.decline_code || error.code || undefined;
  return {
    code: mapStripeFailureCode(error.code, error.decline_code),
    message: error.message || 'The payment attempt failed.',
    ...(rawCode ? { rawCode } : {}),
  };
}
