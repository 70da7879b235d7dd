import Stripe from 'stripe';

/** A signed webhook request, ready for `verifyWebhook` or for your own handler under test. */
export interface StripeTestWebhook {
  rawBody: string;
  headers: Record<string, string>;
}

/**
 * Signs an event the way Stripe does (`Stripe-Signature: t=...,v1=...`, HMAC-SHA256 with the
 * endpoint secret) through stripe-node's `generateTestHeaderStringAsync`, so you can unit-test
 * your webhook handler without Stripe.
 *
 * @example
 * ```ts
 * const { rawBody, headers } = await createStripeTestWebhook({
 *   event: { id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', data: { object: intent } },
 *   secret: 'whsec_test_secret',
 * });
 * const event = await stripe.verifyWebhook({ rawBody, headers });
 * ```
 */
export async function createStripeTestWebhook(options: {
  /** The event object (serialized with `JSON.stringify`) or the exact body text. */
  event: object | string;
  /** The endpoint signing secret (`whsec_...`). */
  secret: string;
  /** Signing time in Unix seconds. Default: now. */
  timestamp?: number | undefined;
}): Promise<StripeTestWebhook> {
  const rawBody = typeof options.event === 'string' ? options.event : JSON.stringify(options.event);
  const header = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload: rawBody,
    secret: options.secret,
    ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
  });
  return { rawBody, headers: { 'content-type': 'application/json', 'stripe-signature': header } };
}
