import type { PaymentStatus } from '@colchis/core';
import type { BogPaymentDetails } from './bog-client-types.js';

/**
 * Every documented `order_status.key` and the status it maps to.
 * - `created` -> `requires_action`: the customer must pay on the hosted page.
 * - `processing`, `auth_requested` -> `processing`.
 * - `blocked` -> `authorized`: held by a pre-authorization, NOT paid.
 * - `completed`, `partial_completed` -> `captured` (with the captured amount).
 * - `refund_requested` -> stays `captured`, with a pending refund: nothing is returned yet.
 * - `refunded_partially` -> `partially_refunded`; `refunded` -> `refunded`.
 * - `rejected` -> `failed` (or `expired` when `reject_reason` is `expiration`).
 */
export const BOG_ORDER_STATUS_MAP: Readonly<Record<string, PaymentStatus>> = Object.freeze({
  created: 'requires_action',
  processing: 'processing',
  auth_requested: 'processing',
  blocked: 'authorized',
  completed: 'captured',
  partial_completed: 'captured',
  refund_requested: 'captured',
  refunded_partially: 'partially_refunded',
  refunded: 'refunded',
  rejected: 'failed',
});

/**
 * Maps a raw `order_status.key` to a {@link PaymentStatus}. Total over the ten documented keys;
 * anything else (a key BOG adds later, an empty value) is `processing`, never a final status.
 * @param rejectReason the receipt's `reject_reason`: `expiration` turns `rejected` into `expired`.
 */
export function mapBogStatus(raw: string, rejectReason?: string | null): PaymentStatus {
  const key = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  const status = Object.hasOwn(BOG_ORDER_STATUS_MAP, key) ? BOG_ORDER_STATUS_MAP[key] : undefined;
  if (status === undefined) return 'processing';
  if (
    status === 'failed' &&
    typeof rejectReason === 'string' &&
    rejectReason.trim().toLowerCase() === 'expiration'
  ) {
    return 'expired';
  }
  return status;
}

/**
 * The status of a whole receipt: {@link mapBogStatus}, plus one refinement the key alone cannot
 * express. A pre-authorization the merchant cancelled also ends `rejected`; its `actions[]` then hold
 * a completed `cancel_authorize`, and the payment is `canceled` (voided), not `failed` (declined).
 */
export function mapBogPaymentStatus(
  details: Pick<BogPaymentDetails, 'status' | 'rejectReason' | 'actions'>,
): PaymentStatus {
  const status = mapBogStatus(details.status, details.rejectReason);
  if (
    status === 'failed' &&
    details.actions.some((action) => action.action === 'cancel_authorize' && action.status === 'completed')
  ) {
    return 'canceled';
  }
  return status;
}
