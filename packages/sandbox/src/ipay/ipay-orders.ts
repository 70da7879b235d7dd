import { randomBytes } from 'node:crypto';
import { toDecimalString } from '@colchis/core';
import type { IpayCardOutcome } from './ipay-test-cards.js';

/** An iPay order as the sandbox keeps it. Amounts are integer tetri. */
export interface IpaySandboxOrder {
  orderId: string;
  paymentHash: string;
  shopOrderId: string | undefined;
  intent: string;
  captureMethod: 'AUTOMATIC' | 'MANUAL';
  /** Requested amount, tetri. */
  amount: number;
  items: ReadonlyArray<{ amount: string; description: string; quantity: number; product_id: string }>;
  redirectUrl: string;
  locale: string | undefined;
  /** Payment Details `status`. */
  status: 'in_progress' | 'success' | 'error';
  /** Payment Details `status_description` (`CREATED`, `PERFORMED`, `REJECTED`). */
  statusDescription: string;
  paymentMethod: 'UNKNOWN' | 'GC_CARD' | 'BOG_CARD';
  cardType: 'UNKNOWN' | 'VISA' | 'MC' | 'AMEX';
  pan: string | undefined;
  transactionId: string | undefined;
  ipayPaymentId: string;
  /** Only for `MANUAL` orders once paid. */
  preAuthStatus: 'in_progress' | 'success' | 'success_unblocked' | undefined;
  /** Taken from the customer, tetri. */
  captured: number;
  /** Returned to the customer, tetri. */
  refunded: number;
  /** What later operations on the card do (refunds, recurring charges). */
  cardOutcome: IpayCardOutcome | undefined;
  /** The order a recurring charge was made from. */
  parentOrderId: string | undefined;
  /** Sandbox clock times (epoch ms). */
  createdAt: number;
  updatedAt: number;
  paidAt: number | undefined;
}

/** An unpaid order turns to `error` one hour after it was created (per the iPay docs). */
export const IPAY_UNPAID_ORDER_LIFETIME_MS = 60 * 60 * 1000;
/** A held (pre-authorized) amount is released after 30 days (per the iPay docs). */
export const IPAY_HOLD_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/** A 40-hex-digit id, the shape iPay's `order_id` and `payment_hash` have. */
export function ipayHexId(): string {
  return randomBytes(20).toString('hex');
}

/** A transaction id in the upper-case form iPay's callbacks carry. */
export function ipayTransactionId(): string {
  return randomBytes(10).toString('hex').toUpperCase().slice(0, 19);
}

/** Payment Details (`GET /checkout/payment/{order_id}`) of an order, as iPay shapes it. */
export function paymentDetailsBody(order: IpaySandboxOrder): Record<string, unknown> {
  return {
    status: order.status,
    pan: order.pan ?? null,
    order_id: order.orderId,
    pre_auth_status:
      order.status === 'success' && order.captureMethod === 'MANUAL' ? (order.preAuthStatus ?? null) : null,
    payment_hash: order.paymentHash,
    ipay_payment_id: order.ipayPaymentId,
    status_description: order.statusDescription,
    shop_order_id: order.shopOrderId ?? null,
    payment_method: order.paymentMethod,
    card_type: order.cardType,
    transaction_id: order.transactionId ?? null,
  };
}

/** The order itself (`GET /checkout/orders/{order_id}`, the `self` link), in the shape public copies show. */
export function orderDetailsBody(order: IpaySandboxOrder): Record<string, unknown> {
  const status = order.status === 'success' ? 'PERFORMED' : order.status === 'error' ? 'REJECTED' : 'CREATED';
  return {
    id: order.orderId,
    status,
    intent: order.intent,
    payer: { name: null, email_address: null, payer_id: null },
    purchaseUnit: {
      amount: { value: toDecimalString(order.amount, 'GEL'), currency_code: 'GEL' },
      payee: { addres: 'Colchis sandbox', contact: null, email_address: 'sandbox@colchis.invalid' },
      payments: [],
      shop_order_id: order.shopOrderId ?? null,
    },
    createTime: new Date(order.createdAt).toISOString(),
    updateTime: new Date(order.updatedAt).toISOString(),
    errorHistory: [],
  };
}

/**
 * The "payment status change" callback's fields (form-encoded, unsigned), or, with `kind:
 * 'amount_return'`, the "payment amount return" callback's (no `status`).
 */
export function callbackFields(
  order: IpaySandboxOrder,
  kind: 'payment_status' | 'amount_return',
): Record<string, string> {
  const fields: Record<string, string> = {};
  if (kind === 'payment_status') fields.status = order.status === 'success' ? 'success' : 'error';
  fields.order_id = order.orderId;
  fields.payment_hash = order.paymentHash;
  fields.ipay_payment_id = order.ipayPaymentId;
  fields.status_description = kind === 'amount_return' ? 'REFUNDED' : order.statusDescription;
  if (order.shopOrderId !== undefined) fields.shop_order_id = order.shopOrderId;
  fields.payment_method = order.paymentMethod;
  fields.card_type = order.cardType;
  if (kind === 'payment_status' && order.pan) fields.pan = order.pan;
  if (kind === 'payment_status' && order.transactionId) fields.transaction_id = order.transactionId;
  return fields;
}
