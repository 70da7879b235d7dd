import type { PaymentStatus, RefundStatus } from '@colchis/core';

/**
 * Every documented raw status the adapter reports in `rawStatus`, and its normalized status:
 * PaymentIntent statuses, the Checkout Session statuses used while a session has no
 * PaymentIntent to speak for it, and Charge statuses (charge.* webhooks). The Payment builders refine a few of these with the rest of the
 * object (refunds on the charge, `last_payment_error`, `cancellation_reason`): see
 * docs/gateways/stripe.md for the full table.
 */
export const STRIPE_STATUS_MAP: Readonly<Record<string, PaymentStatus>> = Object.freeze({
  // PaymentIntent.status (https://docs.stripe.com/payments/paymentintents/lifecycle)
  requires_payment_method: 'requires_action',
  requires_confirmation: 'requires_action',
  requires_action: 'requires_action',
  processing: 'processing',
  requires_capture: 'authorized',
  succeeded: 'captured',
  canceled: 'canceled',
  // Checkout.Session.status (https://docs.stripe.com/api/checkout/sessions/object#checkout_session_object-status)
  open: 'requires_action',
  expired: 'expired',
  // A complete session without a PaymentIntent: the payment may still be settling (async
  // payment methods), so never claim it is paid from this value alone.
  complete: 'processing',
  // Charge.status, the rawStatus of charge.* webhooks (`succeeded` is shared with the
  // PaymentIntent and means the same). A failed charge of a customer-facing payment is refined
  // to requires_action by the webhook mapping: the customer may still retry.
  pending: 'processing',
  failed: 'failed',
});

/**
 * Maps a raw Stripe status onto a Colchis {@link PaymentStatus}. Unknown values (a status Stripe
 * adds later) map to `processing`, never to a terminal status.
 */
export function mapStripeStatus(raw: string): PaymentStatus {
  return Object.hasOwn(STRIPE_STATUS_MAP, raw) ? (STRIPE_STATUS_MAP[raw] as PaymentStatus) : 'processing';
}

/**
 * Maps `Refund.status` (`pending`, `requires_action`, `succeeded`, `failed`, `canceled`) onto a
 * Colchis {@link RefundStatus}. Unknown values stay `pending`: a refund is only final when Stripe
 * says so.
 */
export function mapStripeRefundStatus(raw: string | null | undefined): RefundStatus {
  switch (raw) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return 'pending';
  }
}
