import { InvalidRequestError } from '@colchis/core';

/** What a Colchis payment id for Stripe points at. */
export type StripePaymentIdKind = 'checkout_session' | 'payment_intent';

// Stripe ids are a short prefix, an underscore and URL-safe characters (`cs_test_a1B2...`,
// `pi_3MtwBw...`). Anything else would be interpolated into a request path, so it is refused
// before any request is made.
const CHECKOUT_SESSION_ID = /^cs_[A-Za-z0-9_]+$/;
const PAYMENT_INTENT_ID = /^pi_[A-Za-z0-9_]+$/;

/**
 * Classifies a payment id: a Checkout Session (`cs_...`) or a PaymentIntent (`pi_...`).
 * @throws InvalidRequestError for anything else, before a request is made.
 */
export function classifyStripePaymentId(id: unknown): StripePaymentIdKind {
  if (typeof id === 'string') {
    if (CHECKOUT_SESSION_ID.test(id)) return 'checkout_session';
    if (PAYMENT_INTENT_ID.test(id)) return 'payment_intent';
  }
  throw new InvalidRequestError(
    `Stripe payment id ${JSON.stringify(id)} is neither a Checkout Session id (cs_...) nor a PaymentIntent id (pi_...). Pass payment.id as returned by createPayment or chargeSavedMethod.`,
    { provider: 'stripe' },
  );
}
