/**
 * The nine normalized payment statuses. Every gateway maps its raw statuses onto exactly these.
 *
 * - `requires_action`: the order exists and the customer must act (hosted page, 3-D Secure).
 * - `processing`: submitted, outcome unknown. Also where every unknown raw status lands.
 * - `authorized`: funds are held; capture or cancel is needed.
 * - `captured`: paid in full.
 * - `partially_refunded` / `refunded`: captured, then part or all of it refunded.
 * - `failed`: declined or errored; carries `failure { code, message, rawCode }`.
 * - `canceled`: voided or reversed before capture.
 * - `expired`: the hosted order or the hold timed out unpaid.
 */
export type PaymentStatus =
  | 'requires_action'
  | 'processing'
  | 'authorized'
  | 'captured'
  | 'partially_refunded'
  | 'refunded'
  | 'failed'
  | 'canceled'
  | 'expired';

/** Every {@link PaymentStatus}, in lifecycle order. */
export const PAYMENT_STATUSES: readonly PaymentStatus[] = Object.freeze([
  'requires_action',
  'processing',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'failed',
  'canceled',
  'expired',
]);

// Which status may follow which. A webhook handler uses this to drop stale or reordered
// deliveries: a late `processing` must never move a `captured` payment back.
// Refund progress is the only movement allowed after money was taken.
// The table is closed under reachability (whatever can follow in two steps may follow in one):
// webhooks get lost, and a `refunded` delivery whose `captured` one was dropped is still news.
const TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  requires_action: [
    'processing',
    'authorized',
    'captured',
    'partially_refunded',
    'refunded',
    'failed',
    'canceled',
    'expired',
  ],
  processing: [
    'requires_action',
    'authorized',
    'captured',
    'partially_refunded',
    'refunded',
    'failed',
    'canceled',
    'expired',
  ],
  authorized: ['captured', 'canceled', 'expired', 'failed', 'partially_refunded', 'refunded'],
  captured: ['partially_refunded', 'refunded'],
  partially_refunded: ['refunded'],
  refunded: [],
  failed: [],
  canceled: [],
  expired: [],
};

/** The transition table behind {@link canTransition}, exposed for documentation and tests. */
export const PAYMENT_STATUS_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> =
  Object.freeze(TRANSITIONS);

/** `true` when `value` is one of the nine {@link PaymentStatus} names. */
export function isPaymentStatus(value: unknown): value is PaymentStatus {
  return typeof value === 'string' && Object.hasOwn(TRANSITIONS, value);
}

/**
 * `true` when the payment's outcome is settled: `captured`, `partially_refunded`, `refunded`,
 * `failed`, `canceled` or `expired`. Note that captured payments can still be refunded.
 */
export function isTerminal(status: PaymentStatus): boolean {
  return !(status === 'requires_action' || status === 'processing' || status === 'authorized');
}

/**
 * `true` when money was taken from the customer (`captured`, `partially_refunded`, `refunded`).
 * An `authorized` payment is not paid: funds are only held.
 */
export function isPaid(status: PaymentStatus): boolean {
  return status === 'captured' || status === 'partially_refunded' || status === 'refunded';
}

/**
 * Whether a payment may move from `from` to `to`. The same status is always allowed (a duplicate
 * delivery is harmless). Use it to ignore out-of-order webhooks:
 *
 * @example
 * ```ts
 * if (!canTransition(stored.status, event.status)) return; // stale delivery, keep what we have
 * ```
 */
export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  if (from === to) return true;
  return TRANSITIONS[from].includes(to);
}
