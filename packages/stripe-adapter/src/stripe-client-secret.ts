import type { Payment } from '@colchis/core';

// Kept beside the payment rather than on it: the client secret lets a browser confirm the
// PaymentIntent, so it must reach your frontend, but Stripe says it "should not be stored,
// logged, or exposed to anyone other than the customer". A WeakMap keeps it out of
// `JSON.stringify(payment)`, `payment.raw` and every log line.
const secrets = new WeakMap<Payment, string>();

/** Remembers the client secret of a payment the adapter built (internal). */
export function attachClientSecret(payment: Payment, clientSecret: unknown): Payment {
  if (typeof clientSecret === 'string' && clientSecret !== '') secrets.set(payment, clientSecret);
  return payment;
}

/**
 * The PaymentIntent's (or embedded Checkout Session's) client secret, for Stripe.js on your
 * frontend (`stripe.confirmPayment`, Payment Element, 3-D Secure of an on-session saved-card
 * charge). `undefined` when Stripe gave none (hosted Checkout).
 *
 * @example
 * ```ts
 * const payment = await stripe.createPayment({ ...input, providerOptions: { stripe: { mode: 'payment_intent' } } });
 * response.json({ clientSecret: getStripeClientSecret(payment) });
 * ```
 */
export function getStripeClientSecret(payment: Payment): string | undefined {
  return secrets.get(payment);
}
