import {
  type NextAction,
  type Payment,
  type PaymentFailure,
  type PaymentStatus,
  redact,
  type SavedMethod,
} from '@colchis/core';
import type Stripe from 'stripe';
import { mapStripeFailure } from './map-stripe-failure.js';
import { mapStripeStatus } from './map-stripe-status.js';
import { attachClientSecret } from './stripe-client-secret.js';
import { expandableId, expanded, readAmount, readOptionalAmount } from './stripe-objects.js';

/**
 * Metadata key the adapter sets on PaymentIntents it creates to charge a saved card. A decline
 * of such a charge is final (`failed`): nobody is on the page to try another card. The same
 * decline on a customer-facing PaymentIntent stays `requires_action`, because the customer may
 * retry on the same PaymentIntent and a `failed` would make handlers drop the later success.
 */
export const SAVED_METHOD_CHARGE_KEY = 'colchis_saved_method_charge';

/** Options of {@link paymentFromIntent}. */
export interface IntentPaymentOptions {
  /** The id to report (the Checkout Session id when the caller knows the payment by it). */
  id?: string | undefined;
  /** Reference fallback (the session's `client_reference_id`). */
  reference?: string | undefined;
  /** What to put in `raw` (default: the PaymentIntent). */
  raw?: unknown;
  /** The Stripe API version the object was rendered in (it changes how a partial capture's released amount is reported). */
  apiVersion?: string | undefined;
}

// Before API version 2025-03-31.basil, a partial capture or a cancellation created a Refund for
// the uncaptured amount and counted it in Charge.amount_refunded (and a cancellation set
// `refunded: true`). From that version on they create none. Colchis reports money returned to
// the customer after capture, so the old reversal is taken out again.
// https://docs.stripe.com/changelog/basil/2025-03-31/remove-refund-from-partial-capture-and-payment-cancellation-flow
const REVERSALS_NOT_REFUNDS_SINCE = '2025-03-31';

/**
 * The amount refunded to the customer out of what was captured: `Charge.amount_refunded`, minus
 * the capture reversal that API versions before 2025-03-31 counted in it. An unknown version is
 * read with current semantics (stripe-node pins a current version unless told otherwise).
 */
export function refundedByCustomer(
  charge: Pick<Stripe.Charge, 'amount' | 'amount_refunded' | 'captured'> & {
    amount_captured?: number | null | undefined;
  },
  apiVersion: string | undefined,
): number {
  const refunded = typeof charge.amount_refunded === 'number' ? charge.amount_refunded : 0;
  if (!apiVersion || apiVersion.slice(0, 10) >= REVERSALS_NOT_REFUNDS_SINCE) return refunded;
  const amount = typeof charge.amount === 'number' ? charge.amount : 0;
  const captured = charge.captured ? (charge.amount_captured ?? amount) : 0;
  // Integer minor units: the uncaptured part that the old API counted as refunded.
  return Math.max(0, refunded - (amount - captured));
}

/**
 * Builds a Colchis {@link Payment} from a PaymentIntent. Status from `status`, refined by the
 * refunds on its latest charge (expand `latest_charge` to see them), `cancellation_reason`
 * (an automatic cancellation is an expired hold) and `last_payment_error`.
 */
export function paymentFromIntent(intent: Stripe.PaymentIntent, options: IntentPaymentOptions = {}): Payment {
  const operation = 'getPayment';
  const rawStatus = String(intent.status);
  const amount = readAmount(intent.amount, 'PaymentIntent.amount', operation);
  const amountCaptured = readOptionalAmount(
    intent.amount_received,
    0,
    'PaymentIntent.amount_received',
    operation,
  );
  const charge = expanded<Stripe.Charge>(intent.latest_charge, 'charge');
  if (charge) readOptionalAmount(charge.amount_refunded, 0, 'Charge.amount_refunded', operation);
  const amountRefunded = charge ? refundedByCustomer(charge, options.apiVersion) : 0;
  const metadata = (intent.metadata ?? {}) as Record<string, string>;
  const lastError = intent.last_payment_error ?? undefined;
  const savedMethodCharge = metadata[SAVED_METHOD_CHARGE_KEY] === 'true';

  let status: PaymentStatus = mapStripeStatus(rawStatus);
  let failure: PaymentFailure | undefined;
  if (rawStatus === 'requires_payment_method' && lastError) {
    failure = mapStripeFailure(lastError);
    if (savedMethodCharge && lastError.code !== 'authentication_required') status = 'failed';
  } else if (rawStatus === 'canceled') {
    const reason = intent.cancellation_reason;
    if (reason === 'automatic' || reason === 'expired') status = 'expired';
  } else if (rawStatus === 'succeeded' && amountRefunded > 0) {
    status = amountRefunded >= amountCaptured ? 'refunded' : 'partially_refunded';
  }

  const card = cardOf(intent, charge);
  const nextAction = nextActionOf(intent);
  const reference = metadata.reference ?? options.reference;
  const payment: Payment = {
    provider: 'stripe',
    id: options.id ?? intent.id,
    status,
    rawStatus,
    amount: { amount, currency: String(intent.currency).toUpperCase() },
    amountCaptured,
    amountRefunded,
    ...(reference !== undefined ? { reference } : {}),
    ...(nextAction ? { nextAction, redirectUrl: nextAction.url } : {}),
    ...(failure ? { failure } : {}),
    ...(card ? { card: { maskedPan: card.maskedPan, brand: card.brand } } : {}),
    ...savedMethodOf(intent, rawStatus, savedMethodCharge, card),
    ...(typeof intent.created === 'number' ? { createdAt: new Date(intent.created * 1000) } : {}),
    raw: redact(options.raw ?? intent),
  };
  return attachClientSecret(payment, intent.client_secret);
}

/**
 * Builds a Colchis {@link Payment} from a Checkout Session. An open session is `requires_action`
 * with its hosted page URL (a declined attempt stays open: the customer may retry); an expired
 * one is `expired`; a complete one speaks through its PaymentIntent (expand `payment_intent` and
 * `payment_intent.latest_charge` for refunds).
 */
export function paymentFromSession(session: Stripe.Checkout.Session, apiVersion?: string): Payment {
  const operation = 'getPayment';
  const intent = expanded<Stripe.PaymentIntent>(session.payment_intent, 'payment_intent');
  const reference =
    session.client_reference_id ??
    (session.metadata as Record<string, string> | null)?.reference ??
    undefined;
  const sessionStatus = String(session.status);
  if (sessionStatus === 'complete' && intent) {
    return paymentFromIntent(intent, { id: session.id, reference, raw: session, apiVersion });
  }
  const amount = readOptionalAmount(session.amount_total, 0, 'Checkout.Session.amount_total', operation);
  const currency = String(session.currency ?? intent?.currency ?? '').toUpperCase();
  let status = mapStripeStatus(sessionStatus);
  let amountCaptured = 0;
  if (sessionStatus === 'complete') {
    // No PaymentIntent: a session that needed no payment, or one read without expansion.
    const paid = session.payment_status === 'paid' || session.payment_status === 'no_payment_required';
    status = paid ? 'captured' : 'processing';
    amountCaptured = paid ? amount : 0;
  }
  const lastError = intent?.last_payment_error ?? undefined;
  const url = sessionStatus === 'open' && typeof session.url === 'string' ? session.url : undefined;
  const nextAction: NextAction | undefined = url ? { type: 'redirect', url, method: 'GET' } : undefined;
  const payment: Payment = {
    provider: 'stripe',
    id: session.id,
    status,
    rawStatus: sessionStatus,
    amount: { amount, currency },
    amountCaptured,
    amountRefunded: 0,
    ...(reference !== undefined ? { reference } : {}),
    ...(nextAction ? { nextAction, redirectUrl: nextAction.url } : {}),
    ...(lastError && sessionStatus === 'open' ? { failure: mapStripeFailure(lastError) } : {}),
    ...(typeof session.created === 'number' ? { createdAt: new Date(session.created * 1000) } : {}),
    raw: redact(session),
  };
  return attachClientSecret(payment, session.client_secret);
}

/** The card used, from the expanded charge (or payment method). */
function cardOf(
  intent: Stripe.PaymentIntent,
  charge: Stripe.Charge | undefined,
): { maskedPan?: string; brand?: string; expiry?: string } | undefined {
  const fromCharge = charge?.payment_method_details?.card;
  const method = expanded<Stripe.PaymentMethod>(intent.payment_method, 'payment_method');
  const card = fromCharge ?? method?.card ?? undefined;
  if (!card) return undefined;
  const expiry =
    typeof card.exp_month === 'number' && typeof card.exp_year === 'number'
      ? `${String(card.exp_month).padStart(2, '0')}/${String(card.exp_year % 100).padStart(2, '0')}`
      : undefined;
  return {
    ...(card.last4 ? { maskedPan: `****${card.last4}` } : {}),
    ...(card.brand ? { brand: card.brand } : {}),
    ...(expiry ? { expiry } : {}),
  };
}

function nextActionOf(intent: Stripe.PaymentIntent): (NextAction & { method: 'GET' }) | undefined {
  const action = intent.next_action;
  const url = action?.type === 'redirect_to_url' ? action.redirect_to_url?.url : undefined;
  return typeof url === 'string' && url !== '' ? { type: 'redirect', url, method: 'GET' } : undefined;
}

// A PaymentIntent created with `setup_future_usage` saves its payment method to the customer
// once it succeeds (or is authorized); a saved-card charge keeps using the one it was given.
function savedMethodOf(
  intent: Stripe.PaymentIntent,
  rawStatus: string,
  savedMethodCharge: boolean,
  card: { maskedPan?: string; brand?: string; expiry?: string } | undefined,
): { savedMethod?: SavedMethod } {
  const methodId =
    expandableId(intent.payment_method) ??
    (savedMethodCharge ? expandableId(intent.last_payment_error?.payment_method) : undefined);
  const customerId = expandableId(intent.customer);
  if (!methodId) return {};
  const saving =
    (intent.setup_future_usage === 'off_session' || intent.setup_future_usage === 'on_session') &&
    (rawStatus === 'succeeded' || rawStatus === 'requires_capture' || rawStatus === 'processing');
  if (!saving && !savedMethodCharge) return {};
  return {
    savedMethod: {
      id: methodId,
      ...(customerId ? { customerId } : {}),
      usage: intent.setup_future_usage === 'on_session' ? 'on_session' : 'off_session',
      ...(card?.maskedPan ? { maskedPan: card.maskedPan } : {}),
      ...(card?.brand ? { brand: card.brand } : {}),
      ...(card?.expiry ? { expiry: card.expiry } : {}),
    },
  };
}
