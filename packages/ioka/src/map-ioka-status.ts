import type { PaymentFailure, PaymentStatus } from '@colchis/core';
import type { IokaPayment } from './ioka-api.js';
import { mapIokaFailure } from './map-ioka-failure.js';

/**
 * Every documented raw ioka status, order and payment alike, and what it means on its own.
 * Order statuses: `UNPAID`, `ON_HOLD`, `PAID` (v2.8) and `EXPIRED` (current docs). Payment
 * statuses: `PENDING`, `REQUIRES_ACTION`, `APPROVED`, `CAPTURED`, `CANCELLED` (and the
 * `CANCELED` spelling of the newer docs' events), `DECLINED`.
 *
 * A payment's full status is decided from the order and all its payments together by
 * {@link resolveIokaStatus}: refunds, and a decline that leaves attempts, refine these.
 */
export const IOKA_STATUS_MAP: Readonly<Record<string, PaymentStatus>> = Object.freeze({
  UNPAID: 'requires_action',
  ON_HOLD: 'authorized',
  PAID: 'captured',
  EXPIRED: 'expired',
  PENDING: 'processing',
  REQUIRES_ACTION: 'requires_action',
  APPROVED: 'authorized',
  CAPTURED: 'captured',
  CANCELLED: 'canceled',
  CANCELED: 'canceled',
  DECLINED: 'failed',
});

/** Maps one raw ioka status; anything unknown is `processing`, never a terminal status. */
export function mapIokaStatus(raw: string): PaymentStatus {
  return Object.hasOwn(IOKA_STATUS_MAP, raw) ? (IOKA_STATUS_MAP[raw] as PaymentStatus) : 'processing';
}

/** What {@link resolveIokaStatus} decided, and from what. */
export interface IokaStatusResolution {
  status: PaymentStatus;
  /** The raw value that decided it: a payment's status, or the order's. */
  rawStatus: string;
  /** The payment that decided it, if one did. */
  payment?: IokaPayment | undefined;
  /** Set for declines (also while attempts remain, as the last decline's reason). */
  failure?: PaymentFailure | undefined;
  /** Captured tiyn across the order's payments. */
  amountCaptured: number;
  /** Refunded tiyn across the order's payments. */
  amountRefunded: number;
}

/**
 * Decides the Colchis status of an ioka order from the order and its payments:
 *
 * 1. money taken wins: a `CAPTURED` payment (or an order `PAID`) is `captured`, or
 *    `partially_refunded` / `refunded` once refunds reach part or all of the captured amount;
 * 2. an `APPROVED` payment is `authorized` (held, awaiting capture or cancel);
 * 3. the latest payment `CANCELLED` is `canceled`; an order `ON_HOLD` is `authorized`;
 *    an order `EXPIRED` is `expired`;
 * 4. otherwise the latest payment: `PENDING` is `processing`, `REQUIRES_ACTION` is
 *    `requires_action` (3-D Secure), `DECLINED` is `failed` **only when no attempts are left**
 *    (`order.attempts === 0`). While the order still has attempts (or their number is unknown,
 *    as in webhooks), the shopper can try another card on the same checkout page, so the
 *    payment stays `requires_action`, with the decline in `failure`. Keeping it non-terminal
 *    matters: a later success must not be refused by `canTransition('failed', 'captured')`;
 * 5. an `UNPAID` order with no payment yet is `requires_action` (the shopper must pay).
 *
 * Unknown statuses give `processing`.
 */
export function resolveIokaStatus(
  order: { status: string; amount?: number | null | undefined; attempts?: number | null | undefined },
  payments: readonly IokaPayment[],
): IokaStatusResolution {
  let amountCaptured = 0;
  let amountRefunded = 0;
  let captured: IokaPayment | undefined;
  let approved: IokaPayment | undefined;
  let latest: IokaPayment | undefined;
  for (const payment of payments) {
    amountRefunded += payment.refunded_amount ?? 0;
    if (payment.status === 'CAPTURED') {
      captured ??= payment;
      amountCaptured += payment.captured_amount || payment.approved_amount || 0;
    } else if (payment.status === 'APPROVED') {
      approved ??= payment;
    }
    if (!latest || (payment.created_at ?? '') >= (latest.created_at ?? '')) latest = payment;
  }
  const base = { amountCaptured, amountRefunded };

  if (captured || order.status === 'PAID') {
    if (!captured) base.amountCaptured = order.amount ?? 0;
    const total = base.amountCaptured;
    const status: PaymentStatus =
      amountRefunded > 0 && amountRefunded >= total
        ? 'refunded'
        : amountRefunded > 0
          ? 'partially_refunded'
          : 'captured';
    return { ...base, status, rawStatus: captured ? 'CAPTURED' : order.status, payment: captured };
  }
  if (approved) return { ...base, status: 'authorized', rawStatus: 'APPROVED', payment: approved };
  if (latest && (latest.status === 'CANCELLED' || latest.status === 'CANCELED')) {
    return { ...base, status: 'canceled', rawStatus: latest.status, payment: latest };
  }
  if (order.status === 'ON_HOLD') return { ...base, status: 'authorized', rawStatus: 'ON_HOLD' };
  if (order.status === 'EXPIRED')
    return { ...base, status: 'expired', rawStatus: 'EXPIRED', payment: latest };
  if (latest) {
    if (latest.status === 'DECLINED') {
      const failure = mapIokaFailure(latest.error);
      const noAttemptsLeft = order.attempts === 0;
      return {
        ...base,
        status: noAttemptsLeft ? 'failed' : 'requires_action',
        rawStatus: 'DECLINED',
        payment: latest,
        failure,
      };
    }
    return { ...base, status: mapIokaStatus(latest.status), rawStatus: latest.status, payment: latest };
  }
  return { ...base, status: mapIokaStatus(order.status), rawStatus: order.status };
}
