import { type FailureCode, type Money, type Payment, type PaymentFailure, redact } from '@colchis/core';
import type { IpayPaymentDetails } from './ipay-api.js';
import { mapIpayStatus } from './map-ipay-status.js';

/** A payment as the iPay provider reports it: a core {@link Payment} plus iPay's `payment_hash`. */
export interface IpayPayment extends Payment {
  provider: 'ipay';
  /**
   * iPay's `payment_hash` for this order. Store it with `id` when the payment is created: it is
   * what authenticates iPay's (unsigned) callbacks, see `verifyWebhook`.
   */
  paymentHash?: string | undefined;
}

/** What the Payment Details answer lacks and the caller (or the order itself) knows. */
export interface IpayPaymentContext {
  orderId: string;
  amount: Money;
  reference?: string | undefined;
  /** The captured amount when it differs from `amount` (a partial pre-auth completion). */
  amountCaptured?: number | undefined;
}

/**
 * Converts iPay Payment Details into an {@link IpayPayment}. iPay reports neither amounts nor
 * refunds in Payment Details: `amount` comes from the context, `amountCaptured` is the full
 * amount once paid (or the partial completion when known), and `amountRefunded` stays 0.
 */
export function toIpayPayment(details: IpayPaymentDetails, context: IpayPaymentContext): IpayPayment {
  const status = mapIpayStatus(details.status, details.pre_auth_status);
  const rawStatus = details.status ?? '';
  const paidByCard =
    rawStatus.toLowerCase() === 'success' && details.payment_method?.toUpperCase() === 'GC_CARD';
  const brand = normalizeBrand(details.card_type);
  const maskedPan = details.pan ?? undefined;
  const orderId = details.order_id ?? context.orderId;
  const payment: IpayPayment = {
    provider: 'ipay',
    id: orderId,
    status,
    rawStatus,
    amount: context.amount,
    amountCaptured: status === 'captured' ? (context.amountCaptured ?? context.amount.amount) : 0,
    amountRefunded: 0,
    reference: details.shop_order_id ?? context.reference,
    paymentHash: details.payment_hash ?? undefined,
    raw: redact(details),
  };
  if (maskedPan !== undefined || brand !== undefined) payment.card = { maskedPan, brand };
  // Any successful card payment can be the parent of a recurring charge (once BOG has enabled
  // recurring payments for the merchant); internet-bank (BOG_CARD) payments cannot.
  if (paidByCard) payment.savedMethod = { id: orderId, usage: 'off_session', maskedPan, brand };
  if (status === 'failed') payment.failure = ipayFailure(details.status_description);
  return payment;
}

/**
 * The failure of a payment whose status is `error`. iPay only sends a `status_description`
 * (`REJECTED` in the examples), so the normalized code is `unknown` unless its words say more.
 */
export function ipayFailure(description: string | null | undefined): PaymentFailure {
  const text = description ?? '';
  return {
    code: failureCode(text),
    message: text ? `iPay reported the payment as ${text}.` : 'iPay reported the payment as failed.',
    rawCode: text || undefined,
  };
}

function failureCode(description: string): FailureCode {
  if (/insufficient|not.?enough/i.test(description)) return 'insufficient_funds';
  if (/expired.?card|card.?expired/i.test(description)) return 'expired_card';
  if (/expir|time.?out/i.test(description)) return 'expired';
  if (/cancel/i.test(description)) return 'canceled_by_customer';
  if (/declin/i.test(description)) return 'card_declined';
  return 'unknown';
}

/** `MC` -> `mastercard`, `VISA` -> `visa`, `AMEX` -> `amex`; `UNKNOWN` and empty -> `undefined`. */
export function normalizeBrand(cardType: string | null | undefined): string | undefined {
  if (!cardType) return undefined;
  const upper = cardType.trim().toUpperCase();
  if (upper === '' || upper === 'UNKNOWN') return undefined;
  if (upper === 'MC' || upper === 'MASTERCARD') return 'mastercard';
  return upper.toLowerCase();
}
