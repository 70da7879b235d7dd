import {
  ConfigurationError,
  type HeadersLike,
  type Money,
  redact,
  SignatureVerificationError,
  timingSafeEqual,
  type WebhookEvent,
} from '@colchis/core';
import type { IpayCallbackFields } from './ipay-api.js';
import { type IpayCallbackKind, parseIpayCallback } from './ipay-callback.js';
import type { IpayPayment } from './ipay-payment.js';

/**
 * What you stored when you created the iPay order (from the returned `IpayPayment`): the
 * `payment_hash`, and optionally the amount and your reference, which spare a request to iPay.
 */
export interface IpayStoredOrder {
  /** `payment.paymentHash` as returned by `createPayment` / `chargeSavedMethod`. */
  paymentHash: string;
  /** `payment.amount`. iPay's Payment Details carry no amount; without it the order is fetched too. */
  amount?: Money | undefined;
  /** Your reference (`shop_order_id`). */
  reference?: string | undefined;
}

/**
 * Finds the order you stored under iPay's `order_id` (`payment.id`), e.g. a database read.
 * Return `undefined` (or `null`) for an order you do not know.
 */
export type IpayOrderLookup = (
  orderId: string,
) => IpayStoredOrder | undefined | null | Promise<IpayStoredOrder | undefined | null>;

/** Per-call options of the iPay provider's `verifyWebhook`. */
export interface IpayVerifyWebhookOptions {
  /** Overrides the provider's `lookupOrder` for this call. */
  lookupOrder?: IpayOrderLookup | undefined;
  /**
   * The one order this callback must be about, when you already loaded it (e.g. from the
   * callback URL). The callback's `order_id` must equal `orderId`.
   */
  expected?: (IpayStoredOrder & { orderId: string }) | undefined;
}

/** A verified iPay callback. `signed` is always `false`: the status comes from re-fetching the payment. */
export interface IpayWebhookEvent extends WebhookEvent {
  provider: 'ipay';
  signed: false;
  /** The payment as just fetched from iPay (the source of truth, not the callback's claim). */
  payment: IpayPayment;
  /** Which merchant callback URL the callback belongs to. */
  callbackKind: IpayCallbackKind;
  /** The callback's fields (redacted). */
  raw: IpayCallbackFields;
}

/**
 * Authenticates an unsigned iPay callback and reports the payment's real status:
 * 1. parse the raw body (form-encoded);
 * 2. find the stored order by `order_id` and compare `payment_hash` in constant time;
 * 3. re-fetch the payment from iPay, check its `payment_hash` too, and report what iPay says.
 * Any mismatch is a {@link SignatureVerificationError}: answer 404 and do nothing.
 */
export async function verifyIpayCallback(
  request: { rawBody: string | Uint8Array; headers?: HeadersLike | undefined },
  lookup: IpayOrderLookup | undefined,
  expected: IpayVerifyWebhookOptions['expected'],
  fetchPayment: (orderId: string, stored: IpayStoredOrder) => Promise<IpayPayment>,
): Promise<IpayWebhookEvent> {
  const callback = parseIpayCallback(request.rawBody);
  const orderId = callback.fields.order_id;
  let stored: IpayStoredOrder | undefined | null;
  if (expected) {
    if (expected.orderId !== orderId) {
      throw new SignatureVerificationError(
        `ipay callback is about order ${orderId}, not the expected order ${expected.orderId}: do not act on it.`,
        { provider: 'ipay' },
      );
    }
    stored = expected;
  } else if (lookup) {
    stored = await lookup(orderId);
  } else {
    throw new ConfigurationError(
      'ipay callbacks are unsigned, so verifyWebhook must compare them with the order you stored: pass `lookupOrder` to createIpay (or `{ lookupOrder }` / `{ expected }` to verifyWebhook).',
      { provider: 'ipay' },
    );
  }
  if (!stored) {
    throw new SignatureVerificationError(
      `ipay callback names order_id ${orderId}, which lookupOrder does not know: forged or not yours. Answer 404 and do not act on it.`,
      { provider: 'ipay' },
    );
  }
  if (typeof stored.paymentHash !== 'string' || stored.paymentHash === '') {
    throw new ConfigurationError(
      `The stored iPay order ${orderId} has no paymentHash: store payment.paymentHash when you create the payment.`,
      { provider: 'ipay' },
    );
  }
  if (!timingSafeEqual(stored.paymentHash, callback.fields.payment_hash)) {
    throw new SignatureVerificationError(
      `ipay callback for order ${orderId} carries a payment_hash that does not match the stored one: forged or corrupted. Answer 404 and do not act on it.`,
      { provider: 'ipay' },
    );
  }
  // The callback is only a hint: its status is whatever the sender wrote. Ask iPay.
  const payment = await fetchPayment(orderId, stored);
  if (payment.paymentHash !== undefined && !timingSafeEqual(payment.paymentHash, stored.paymentHash)) {
    throw new SignatureVerificationError(
      `iPay's payment_hash for order ${orderId} differs from the stored one: check what you stored for this order.`,
      { provider: 'ipay' },
    );
  }
  return {
    provider: 'ipay',
    type: callback.kind === 'amount_return' ? 'refund.updated' : 'payment.updated',
    paymentId: payment.id,
    reference: payment.reference ?? stored.reference,
    status: payment.status,
    rawStatus: payment.rawStatus,
    payment,
    signed: false,
    callbackKind: callback.kind,
    raw: redact(callback.fields),
  };
}
