import { isPaid, type Money, type Payment, type PaymentFailure, type SavedMethod } from '@colchis/core';
import type { BogPaymentDetails } from './bog-client-types.js';
import { BOG_RESPONSE_CODES, mapBogFailureCode } from './map-bog-failure-code.js';
import { mapBogPaymentStatus } from './map-bog-status.js';

/**
 * A card saved with a Bank of Georgia order: its `id` is the parent order id to charge. Cards saved
 * for automatic payments also carry `fixedAmount`: BOG charges them only for the parent order's
 * amount, so keep this object as is and a changed amount is refused before any request.
 */
export interface BogSavedMethod extends SavedMethod {
  /** The amount every automatic charge of this card takes (the parent order's amount). */
  fixedAmount?: Money | undefined;
}

const WALLET_OR_CARD = new Set(['card', 'google_pay', 'apple_pay']);

/** The hosted page address of an order: `{paymentPageUrl}?order_id={id}`. */
export function bogPaymentPageUrl(paymentPageUrl: string, orderId: string): string {
  const url = new URL(paymentPageUrl);
  url.searchParams.set('order_id', orderId);
  return url.toString();
}

function failureOf(details: BogPaymentDetails): PaymentFailure {
  const code = details.paymentDetail?.code;
  const expired = details.rejectReason?.toLowerCase() === 'expiration';
  return {
    code: expired ? 'expired' : mapBogFailureCode(code),
    message:
      details.paymentDetail?.codeDescription ??
      (code ? BOG_RESPONSE_CODES[code]?.message : undefined) ??
      (expired ? 'The order expired before it was paid.' : details.rejectReason) ??
      'Bank of Georgia rejected the payment.',
    rawCode: code,
  };
}

/**
 * Maps payment details to a Colchis {@link Payment}. Amounts: BOG's `transfer_amount` is what was
 * taken net of refunds (its docs show `"0.0"` after a full refund, next to the refunded amount), so
 * the captured amount is transfer plus refunded, never more than was requested.
 */
export function mapBogPayment(details: BogPaymentDetails, paymentPageUrl?: string): Payment {
  const status = mapBogPaymentStatus(details);
  const currency = details.currency;
  const requested = details.requestAmount;
  const transferred = details.transferAmount;
  const refunded = details.refundAmount;
  let amountCaptured = 0;
  if (status === 'captured') {
    amountCaptured = transferred ?? requested ?? 0;
  } else if (status === 'partially_refunded' || status === 'refunded') {
    const total = (transferred ?? 0) + (refunded ?? 0);
    amountCaptured = requested !== undefined && total > requested ? requested : total;
    if (amountCaptured === 0 && status === 'refunded') amountCaptured = requested ?? 0;
  }
  const amountRefunded = refunded ?? (status === 'refunded' ? amountCaptured : 0);
  const detail = details.paymentDetail;
  const payment: Payment = {
    provider: 'bog',
    id: details.orderId,
    status,
    rawStatus: details.status,
    amount: { amount: requested ?? amountCaptured, currency },
    amountCaptured,
    amountRefunded,
    reference: details.externalOrderId,
    createdAt: details.createdAt,
    raw: details.raw,
  };
  if (status === 'requires_action' && paymentPageUrl) {
    const url = bogPaymentPageUrl(paymentPageUrl, details.orderId);
    payment.redirectUrl = url;
    payment.nextAction = { type: 'redirect', url, method: 'GET' };
  }
  if (status === 'failed' || status === 'expired') payment.failure = failureOf(details);
  if (details.status === 'refund_requested') payment.pendingRefund = { amount: undefined };
  if (detail?.payerIdentifier && WALLET_OR_CARD.has(detail.transferMethod ?? '')) {
    payment.card = { maskedPan: detail.payerIdentifier, brand: detail.cardType };
  } else if (detail?.cardType) {
    payment.card = { brand: detail.cardType };
  }
  const savedType = detail?.savedCardType?.toLowerCase();
  if (
    (savedType === 'recurrent' || savedType === 'subscription') &&
    (isPaid(status) || status === 'authorized')
  ) {
    const saved: BogSavedMethod = {
      id: detail?.parentOrderId ?? details.orderId,
      usage: savedType === 'recurrent' ? 'on_session' : 'off_session',
      maskedPan: detail?.payerIdentifier,
      brand: detail?.cardType,
      expiry: detail?.cardExpiryDate,
    };
    if (savedType === 'subscription' && requested !== undefined) {
      saved.fixedAmount = { amount: requested, currency };
    }
    payment.savedMethod = saved;
  }
  return payment;
}
