import { randomBytes } from 'node:crypto';
import { PythonNumber } from './ioka-python-json.js';

// The ioka sandbox's state and how it is written on the wire. Field names and shapes follow
// ioka's OpenAPI 2.8 schemas and the newer docs' order example (nulls included).

/** Payer details of a payment or card. */
export interface IokaPayerRecord {
  pan_masked: string;
  expiry_date: string;
  holder: string;
  payment_system: string;
  emitter: string | null;
  email: string | null;
  phone: string | null;
  customer_id: string | null;
  card_id: string | null;
}

/** One payment attempt. */
export interface IokaPaymentRecord {
  id: string;
  order_id: string;
  status: 'PENDING' | 'REQUIRES_ACTION' | 'APPROVED' | 'CAPTURED' | 'CANCELLED' | 'DECLINED';
  createdAt: number;
  approved_amount: number;
  captured_amount: number;
  refunded_amount: number;
  payer: IokaPayerRecord;
  error: { code: string; message: string } | null;
  actionUrl: string | null;
  /** When it was approved (for the ~48 h auto-capture). */
  approvedAt?: number | undefined;
  /** 3-D Secure pending: save the card once confirmed. */
  saveCardFor?: string | undefined;
  /** The raw card number, kept only in memory to save the card after 3-D Secure. */
  pendingPan?: string | undefined;
}

/** One refund. */
export interface IokaRefundRecord {
  id: string;
  payment_id: string;
  order_id: string;
  status: 'PENDING' | 'APPROVED' | 'DECLINED';
  amount: number;
  createdAt: number;
  reason: string | null;
}

/** One line of an order's or customer's history. */
export interface IokaEventRecord {
  id: string;
  name: string;
  createdAt: number;
  payment_id?: string | undefined;
  refund_id?: string | undefined;
  card_id?: string | undefined;
  code?: string | undefined;
  message?: string | undefined;
}

/** An order. */
export interface IokaOrderRecord {
  id: string;
  status: 'UNPAID' | 'ON_HOLD' | 'PAID' | 'EXPIRED';
  createdAt: number;
  amount: number;
  currency: string;
  capture_method: 'AUTO' | 'MANUAL';
  external_id: string | null;
  description: string | null;
  extra_info: unknown;
  /** Attempts left. */
  attempts: number;
  due_date: string | null;
  dueAt: number | undefined;
  customer_id: string | null;
  card_id: string | null;
  back_url: string | null;
  success_url: string | null;
  failure_url: string | null;
  template: string | null;
  access_token: string;
  payments: IokaPaymentRecord[];
  refunds: IokaRefundRecord[];
  events: IokaEventRecord[];
  /** Set for orders a subscription created. */
  subscription_id?: string | undefined;
}

/** A customer and its cards. */
export interface IokaCustomerRecord {
  id: string;
  status: 'PENDING' | 'READY';
  createdAt: number;
  external_id: string | null;
  email: string | null;
  phone: string | null;
  access_token: string;
  events: IokaEventRecord[];
}

/** A saved (or being saved) card. */
export interface IokaCardRecord {
  id: string;
  customer_id: string;
  status: 'REQUIRES_ACTION' | 'PENDING' | 'APPROVED' | 'DECLINED';
  createdAt: number;
  pan: string;
  pan_masked: string;
  expiry_date: string;
  holder: string;
  payment_system: string;
  cvc_required: boolean;
  error: { code: string; message: string } | null;
  actionUrl: string | null;
}

/** A subscription. */
export interface IokaSubscriptionRecord {
  id: string;
  createdAt: number;
  amount: number;
  currency: string;
  description: string | null;
  extra_info: unknown;
  customer_id: string;
  card_id: string;
  status: 'ACTIVE' | 'PAUSED' | 'CANCELLED';
  nextPayAt: number;
  step: number;
  unit: 'DAY' | 'WEEK' | 'MONTH';
  payments: IokaPaymentRecord[];
}

/** A registered webhook. */
export interface IokaWebhookRecord {
  id: string;
  url: string;
  events: string[];
  createdAt: number;
  active: boolean;
  key: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MIXED = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random id like ioka's: `ord_QDNUK6JH11`, or a bare 10-character id for customers and cards. */
export function iokaId(prefix: string | undefined, alphabet: 'upper' | 'mixed' = 'upper'): string {
  const letters = alphabet === 'upper' ? ALPHABET : MIXED;
  const bytes = randomBytes(10);
  let id = '';
  for (const byte of bytes) id += letters[byte % letters.length];
  return prefix ? `${prefix}_${id}` : id;
}

/** A random secret (access tokens, webhook keys). */
export function iokaSecret(bytes = 32): string {
  return randomBytes(bytes).toString('hex');
}

/** ioka's date-time format: UTC without zone, microseconds (`2021-11-09T10:05:55.358023`). */
export function iokaTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000`;
}

/** Reads a date-time as ioka does: without a zone it is UTC. `undefined` when unreadable. */
export function parseIokaTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `PayerOut`. */
export function payerOut(payer: IokaPayerRecord): Record<string, unknown> {
  return { ...payer };
}

/** `ExtendedPayment` as the API returns it. */
export function paymentOut(payment: IokaPaymentRecord): Record<string, unknown> {
  return {
    id: payment.id,
    order_id: payment.order_id,
    status: payment.status,
    created_at: iokaTime(payment.createdAt),
    approved_amount: payment.approved_amount,
    captured_amount: payment.captured_amount,
    refunded_amount: payment.refunded_amount,
    processing_fee: 0,
    payer: payerOut(payment.payer),
    error: payment.error,
    acquirer: { name: 'SANDBOX', reference: payment.id.slice(4) },
    action: payment.actionUrl ? { url: payment.actionUrl } : null,
  };
}

/** The payment as a webhook carries it: like ioka's Python sender, the fee is a float (`0.0`). */
export function webhookPaymentOut(payment: IokaPaymentRecord): Record<string, unknown> {
  return {
    id: payment.id,
    order_id: payment.order_id,
    status: payment.status,
    created_at: iokaTime(payment.createdAt),
    approved_amount: payment.approved_amount,
    captured_amount: payment.captured_amount,
    refunded_amount: payment.refunded_amount,
    processing_fee: new PythonNumber('0.0'),
    payer: payerOut(payment.payer),
    ...(payment.error ? { error: payment.error } : {}),
    ...(payment.actionUrl ? { action: { url: payment.actionUrl } } : {}),
  };
}

/** `OrderOut` with the newer docs' fields (`shop_id`, `display_amount`, `payments`, ...). */
export function orderOut(order: IokaOrderRecord, checkoutUrl: string): Record<string, unknown> {
  return {
    id: order.id,
    shop_id: 'shp_SANDBOX',
    status: order.status,
    created_at: iokaTime(order.createdAt),
    amount: order.amount,
    display_amount: order.amount,
    currency: order.currency,
    mcc: null,
    acquirer: null,
    capture_method: order.capture_method,
    external_id: order.external_id,
    description: order.description,
    extra_info: order.extra_info,
    attempts: order.attempts,
    due_date: order.due_date,
    split: null,
    customer_id: order.customer_id,
    card_id: order.card_id,
    back_url: order.back_url,
    success_url: order.success_url,
    failure_url: order.failure_url,
    template: order.template,
    access_token: order.access_token,
    checkout_url: checkoutUrl,
    payment_link_url: null,
    payments: order.payments.map(paymentOut),
  };
}

/** `WebhookOrder`, in the field order of ioka's real deliveries. */
export function webhookOrderOut(order: IokaOrderRecord): Record<string, unknown> {
  return {
    id: order.id,
    shop_id: 'shp_SANDBOX',
    status: order.status,
    created_at: iokaTime(order.createdAt),
    amount: order.amount,
    currency: order.currency,
    capture_method: order.capture_method,
    external_id: order.external_id,
    description: order.description,
    extra_info: order.extra_info,
    due_date: order.due_date,
    back_url: order.back_url,
    success_url: order.success_url,
    failure_url: order.failure_url,
    template: order.template,
  };
}

/** `ExtendedRefund` (with `RefundOut`'s amount and reason). */
export function refundOut(refund: IokaRefundRecord): Record<string, unknown> {
  return {
    id: refund.id,
    payment_id: refund.payment_id,
    order_id: refund.order_id,
    status: refund.status,
    amount: refund.amount,
    created_at: iokaTime(refund.createdAt),
    reason: refund.reason,
    error: null,
    acquirer: { name: 'SANDBOX', reference: refund.id.slice(4) },
  };
}

/** `OrderEventOut` / `CustomerEventOut`. */
export function eventOut(
  event: IokaEventRecord,
  owner: { order_id: string } | { customer_id: string },
): Record<string, unknown> {
  return {
    id: event.id,
    name: event.name,
    created_at: iokaTime(event.createdAt),
    ...owner,
    ...(event.payment_id ? { payment_id: event.payment_id } : {}),
    ...(event.refund_id ? { refund_id: event.refund_id } : {}),
    ...(event.card_id ? { card_id: event.card_id } : {}),
    ...(event.code ? { code: event.code } : {}),
    ...(event.message ? { message: event.message } : {}),
  };
}

/** `ExtendedCustomer`. */
export function customerOut(customer: IokaCustomerRecord, checkoutUrl: string): Record<string, unknown> {
  return {
    id: customer.id,
    created_at: iokaTime(customer.createdAt),
    status: customer.status,
    external_id: customer.external_id,
    email: customer.email,
    phone: customer.phone,
    checkout_url: checkoutUrl,
    access_token: customer.access_token,
  };
}

/** `ExtendedCard`. */
export function cardOut(card: IokaCardRecord): Record<string, unknown> {
  return {
    id: card.id,
    customer_id: card.customer_id,
    status: card.status,
    created_at: iokaTime(card.createdAt),
    pan_masked: card.pan_masked,
    expiry_date: card.expiry_date,
    holder: card.holder,
    payment_system: card.payment_system,
    emitter: null,
    cvc_required: card.cvc_required,
    error: card.error,
    action: card.actionUrl ? { url: card.actionUrl } : null,
  };
}

/** `SubscriptionOut`. */
export function subscriptionOut(
  subscription: IokaSubscriptionRecord,
  card: IokaCardRecord | undefined,
): Record<string, unknown> {
  return {
    id: subscription.id,
    created_at: iokaTime(subscription.createdAt),
    amount: subscription.amount,
    currency: subscription.currency,
    description: subscription.description,
    extra_info: subscription.extra_info,
    customer_id: subscription.customer_id,
    card_id: subscription.card_id,
    payer: card
      ? {
          pan_masked: card.pan_masked,
          expiry_date: card.expiry_date,
          holder: card.holder,
          payment_system: card.payment_system,
          emitter: null,
          email: null,
          phone: null,
          customer_id: card.customer_id,
          card_id: card.id,
        }
      : null,
    schedule: {
      status: subscription.status,
      next_pay: iokaTime(subscription.nextPayAt).slice(0, 19),
      step: subscription.step,
      unit: subscription.unit,
    },
  };
}

/** `WebhookOut`. */
export function webhookOut(webhook: IokaWebhookRecord): Record<string, unknown> {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    created_at: iokaTime(webhook.createdAt),
    active: webhook.active,
    key: webhook.key,
  };
}
