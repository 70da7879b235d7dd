import {
  bodyText,
  getHeader,
  type HeadersLike,
  type PaymentStatus,
  redact,
  requireRawBody,
  SignatureVerificationError,
  type WebhookEvent,
} from '@colchis/core';
import type Stripe from 'stripe';
import {
  paymentFromIntent,
  paymentFromSession,
  refundedByCustomer,
  SAVED_METHOD_CHARGE_KEY,
} from './stripe-payment.js';

/** The `webhooks` helper of a stripe-node instance (or of the `Stripe` class). */
export type StripeWebhooks = Pick<Stripe['webhooks'], 'constructEventAsync'>;

/** Settings of {@link verifyStripeWebhook}. */
export interface StripeWebhookVerification {
  /** Endpoint signing secrets (`whsec_...`); several during a secret rotation. */
  secrets: readonly string[];
  /** Maximum age of the signed timestamp, in seconds. */
  toleranceSeconds: number;
}

/**
 * Verifies a Stripe webhook with stripe-node's own `constructEventAsync` (HMAC-SHA256 over
 * `t.body`, constant-time compare, timestamp tolerance enforced) on the raw body, then maps it.
 */
export async function verifyStripeWebhook(
  webhooks: StripeWebhooks,
  request: { rawBody: string | Uint8Array; headers: HeadersLike },
  verification: StripeWebhookVerification,
): Promise<WebhookEvent> {
  const bytes = requireRawBody(request?.rawBody, 'Stripe');
  const header = getHeader(request.headers, 'stripe-signature');
  if (!header) {
    throw new SignatureVerificationError(
      'Stripe webhook has no Stripe-Signature header. Pass the request headers as received (a proxy may have stripped it), and make sure the request comes from Stripe.',
      { provider: 'stripe' },
    );
  }
  const payload = bodyText(bytes);
  let event: Stripe.Event | undefined;
  let failure: unknown;
  for (const secret of verification.secrets) {
    try {
      event = await webhooks.constructEventAsync(payload, header, secret, verification.toleranceSeconds);
      break;
    } catch (error) {
      failure = error;
    }
  }
  if (!event) throw signatureError(failure, verification.toleranceSeconds);
  return mapStripeEvent(event);
}

function signatureError(error: unknown, toleranceSeconds: number): SignatureVerificationError {
  const message = error instanceof Error ? error.message : String(error);
  if (/tolerance/i.test(message)) {
    return new SignatureVerificationError(
      `Stripe webhook signature is older than the ${toleranceSeconds} s tolerance: a delayed or replayed delivery. Check the server clock; Stripe retries with a fresh signature.`,
      { provider: 'stripe' },
    );
  }
  if (/Unable to extract|No signatures found with expected scheme/i.test(message)) {
    return new SignatureVerificationError(
      'Stripe-Signature header is malformed: expected "t=<timestamp>,v1=<signature>". Pass the header exactly as received.',
      { provider: 'stripe' },
    );
  }
  if (/JSON/i.test(message) && !/signature/i.test(message)) {
    return new SignatureVerificationError(`Stripe webhook body is signed but is not valid JSON.`, {
      provider: 'stripe',
    });
  }
  return new SignatureVerificationError(
    'Stripe-Signature does not match the body. Pass the raw request body exactly as received (not parsed and re-serialized JSON), and check that the webhook secret (whsec_...) is the one of this endpoint (each endpoint and `stripe listen` session has its own).',
    { provider: 'stripe' },
  );
}

// Status carried by each event type whose object does not say it by itself.
const CHARGE_EVENT_STATUS: Readonly<Record<string, PaymentStatus>> = {
  'charge.pending': 'processing',
  'charge.expired': 'expired',
  'charge.captured': 'captured',
};

/**
 * Maps a verified Stripe event onto a Colchis {@link WebhookEvent}:
 * - `checkout.session.*` and `payment_intent.*`: `payment.updated` with the status of the
 *   session or PaymentIntent snapshot in the event;
 * - `charge.*` (except disputes): `payment.updated`, status from the charge (captured, refunds);
 * - `refund.*` and `charge.refund.updated`: `refund.updated` with the refund's own status in
 *   `rawStatus`;
 * - everything else: `unknown` (not an error: acknowledge it with 2xx).
 */
export function mapStripeEvent(event: Stripe.Event): WebhookEvent {
  const type = String(event.type);
  const object = event.data?.object as unknown as Record<string, unknown> | undefined;
  const base = { provider: 'stripe', id: event.id, signed: true, raw: redact(event) } as const;
  // The endpoint's API version shapes the payload (webhook endpoints keep their own version).
  const apiVersion = typeof event.api_version === 'string' ? event.api_version : undefined;
  if (!object || typeof object !== 'object') return { ...base, type: 'unknown' };

  if (type.startsWith('checkout.session.') && object.object === 'checkout.session') {
    const session = object as unknown as Stripe.Checkout.Session;
    const payment = paymentFromSession(session, apiVersion);
    let status = payment.status;
    // The session snapshot carries the PaymentIntent only as an id: the event type says more.
    if (type === 'checkout.session.async_payment_succeeded') status = 'captured';
    if (type === 'checkout.session.async_payment_failed') status = 'failed';
    return {
      ...base,
      type: 'payment.updated',
      paymentId: session.id,
      ...(payment.reference !== undefined ? { reference: payment.reference } : {}),
      status,
      rawStatus: payment.rawStatus,
      payment: { ...payment, status },
    };
  }
  if (type.startsWith('payment_intent.') && object.object === 'payment_intent') {
    const payment = paymentFromIntent(object as unknown as Stripe.PaymentIntent, { apiVersion });
    return {
      ...base,
      type: 'payment.updated',
      paymentId: payment.id,
      ...(payment.reference !== undefined ? { reference: payment.reference } : {}),
      status: payment.status,
      rawStatus: payment.rawStatus,
      payment,
    };
  }
  if (object.object === 'refund') {
    const refund = object as unknown as Stripe.Refund;
    const paymentId =
      typeof refund.payment_intent === 'string' ? refund.payment_intent : refund.payment_intent?.id;
    const reference = (refund.metadata as Record<string, string> | null)?.reference;
    return {
      ...base,
      type: 'refund.updated',
      ...(paymentId ? { paymentId } : {}),
      ...(reference ? { reference } : {}),
      rawStatus: String(refund.status),
    };
  }
  if (type.startsWith('charge.') && !type.startsWith('charge.dispute.') && object.object === 'charge') {
    const charge = object as unknown as Stripe.Charge;
    const paymentId =
      (typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id) ??
      charge.id;
    const reference = (charge.metadata as Record<string, string> | null)?.reference;
    return {
      ...base,
      type: 'payment.updated',
      paymentId,
      ...(reference ? { reference } : {}),
      status: chargeStatus(type, charge, apiVersion),
      rawStatus: String(charge.status),
    };
  }
  return { ...base, type: 'unknown' };
}

function chargeStatus(type: string, charge: Stripe.Charge, apiVersion: string | undefined): PaymentStatus {
  const fixed = CHARGE_EVENT_STATUS[type];
  const refunded = refundedByCustomer(charge, apiVersion);
  const captured = typeof charge.amount_captured === 'number' ? charge.amount_captured : 0;
  // An authorization released before capture (API versions before 2025-03-31 report it as a
  // refunded, uncaptured charge).
  if (!charge.captured && charge.refunded) return 'canceled';
  if (charge.status === 'failed') {
    // A failed charge leaves its PaymentIntent open for another attempt by the customer: not
    // terminal, unless it charged a saved card (Stripe copies the PaymentIntent's metadata onto
    // its charge when confirming), where nobody is there to retry.
    const metadata = (charge.metadata ?? {}) as Record<string, string>;
    const code = charge.failure_code ?? '';
    return metadata[SAVED_METHOD_CHARGE_KEY] === 'true' && code !== 'authentication_required'
      ? 'failed'
      : 'requires_action';
  }
  if (refunded > 0) return refunded >= captured ? 'refunded' : 'partially_refunded';
  if (fixed) return fixed;
  if (charge.status === 'pending') return 'processing';
  if (charge.status === 'succeeded') return charge.captured ? 'captured' : 'authorized';
  return 'processing';
}
