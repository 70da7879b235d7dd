import {
  normalizeCurrency,
  type Payment,
  type Refund,
  type RefundStatus,
  redact,
  type SavedMethod,
} from '@colchis/core';
import type { IokaOrder, IokaPayment, IokaRefund, IokaWebhookOrder } from './ioka-api.js';
import { parseIokaDateTime } from './ioka-date.js';
import { resolveIokaStatus } from './map-ioka-status.js';

/**
 * Builds a Colchis `Payment` from an ioka order and its payments. The Colchis payment id is
 * the ioka order id (`ord_...`): the order is what carries the amount, the reference and the
 * checkout page, and it stays the same across the shopper's attempts.
 */
export function toColchisPayment(
  order: IokaOrder | IokaWebhookOrder,
  payments: readonly IokaPayment[],
): Payment {
  const resolution = resolveIokaStatus(order, payments);
  const decisive = resolution.payment;
  const amount = order.amount ?? decisive?.approved_amount ?? 0;
  const currency = safeCurrency(order.currency);
  const payment: Payment = {
    provider: 'ioka',
    id: order.id,
    status: resolution.status,
    rawStatus: resolution.rawStatus,
    amount: { amount, currency },
    amountCaptured: resolution.amountCaptured,
    amountRefunded: resolution.amountRefunded,
    raw: redact({ order, payments }),
  };
  if (order.external_id) payment.reference = order.external_id;
  if (resolution.status === 'requires_action') {
    // 3-D Secure sends the shopper to the ACS page; otherwise (not paid yet, or a decline with
    // attempts left) back to ioka's checkout page.
    const url =
      decisive?.status === 'REQUIRES_ACTION' && decisive.action?.url
        ? decisive.action.url
        : order.checkout_url;
    if (url) {
      payment.redirectUrl = url;
      payment.nextAction = { type: 'redirect', url, method: 'GET' };
    }
  }
  if (resolution.failure) payment.failure = resolution.failure;
  const payer = decisive?.payer;
  if (payer?.pan_masked || payer?.payment_system) {
    payment.card = {
      ...(payer.pan_masked ? { maskedPan: payer.pan_masked } : {}),
      ...(payer.payment_system ? { brand: payer.payment_system } : {}),
    };
  }
  const saved = savedMethodOf(payments);
  if (saved) payment.savedMethod = saved;
  const createdAt = parseIokaDateTime(order.created_at);
  if (createdAt) payment.createdAt = createdAt;
  return payment;
}

/**
 * The card a successful payment saved (or paid with): ioka reports it as `payer.card_id` with
 * `payer.customer_id`. Both are needed to charge it again.
 */
export function savedMethodOf(payments: readonly IokaPayment[]): SavedMethod | undefined {
  for (const payment of payments) {
    if (payment.status !== 'CAPTURED' && payment.status !== 'APPROVED') continue;
    const payer = payment.payer;
    if (!payer?.card_id) continue;
    return {
      id: payer.card_id,
      ...(payer.customer_id ? { customerId: payer.customer_id } : {}),
      ...(payer.pan_masked ? { maskedPan: payer.pan_masked } : {}),
      ...(payer.payment_system ? { brand: payer.payment_system } : {}),
      ...(payer.expiry_date ? { expiry: payer.expiry_date } : {}),
    };
  }
  return undefined;
}

const REFUND_STATUSES: Readonly<Record<string, RefundStatus>> = {
  PENDING: 'pending',
  APPROVED: 'succeeded',
  DECLINED: 'failed',
};

/**
 * Builds a Colchis `Refund`. v2.8's `ExtendedRefund` has no amount, so the requested
 * amount stands in when ioka does not echo one. Unknown statuses are `pending`.
 */
export function toColchisRefund(refund: IokaRefund, orderId: string, requestedAmount?: number): Refund {
  return {
    provider: 'ioka',
    id: refund.id,
    paymentId: refund.order_id ?? orderId,
    status: Object.hasOwn(REFUND_STATUSES, refund.status)
      ? (REFUND_STATUSES[refund.status] as RefundStatus)
      : 'pending',
    rawStatus: refund.status,
    amount: refund.amount ?? requestedAmount,
    currency: 'KZT',
    raw: redact(refund),
  };
}

function safeCurrency(currency: string | null | undefined): string {
  if (!currency) return 'KZT';
  try {
    return normalizeCurrency(currency);
  } catch {
    return 'KZT';
  }
}
