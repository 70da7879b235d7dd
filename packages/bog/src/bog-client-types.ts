import type { RequestOptions } from '@colchis/core';
import type { BogLanguage, BogTheme } from './bog-settings.js';

/**
 * A documented `order_status.key`. Bank of Georgia may add others: the type stays open, and the
 * SDK maps unknown keys to `processing`, never to a final status.
 */
export type BogOrderStatus =
  | 'created'
  | 'processing'
  | 'completed'
  | 'rejected'
  | 'refund_requested'
  | 'refunded'
  | 'refunded_partially'
  | 'auth_requested'
  | 'blocked'
  | 'partial_completed'
  | (string & {});

/** A payment method value of `payment_method`. Each must be activated for your merchant. */
export type BogPaymentMethod =
  | 'card'
  | 'google_pay'
  | 'apple_pay'
  | 'bog_p2p'
  | 'bog_loyalty'
  | 'bnpl'
  | 'bog_loan'
  | 'gift_card'
  | (string & {});

/** Per-call options of {@link BogClient} methods. */
export interface BogRequestOptions extends RequestOptions {
  /**
   * The `Idempotency-Key`. Money-moving calls always send one: this key (a UUID passes through,
   * any other text is turned into a stable UUID), or a UUID generated once for the call and reused
   * on every retry. Pass your own to make a retry after a crash or restart safe.
   */
  idempotencyKey?: string | undefined;
}

/** Options of {@link BogClient.createOrder} and {@link BogClient.payWithSavedCard}. */
export interface BogCreateOrderOptions extends BogRequestOptions {
  /** Hosted page language (`Accept-Language`): `ka` (BOG's default) or `en`. */
  language?: BogLanguage | undefined;
  /** Hosted page theme (`Theme`): `light` (BOG's default) or `dark`. */
  theme?: BogTheme | undefined;
}

/** One line of `purchase_units.basket`. Money fields are integer minor units (tetri, cents). */
export interface BogBasketItem {
  /** `product_id`: your product id. Required. */
  productId: string;
  /** `quantity`. Required, positive. */
  quantity: number;
  /** `unit_price` in minor units (1050 = 10.50). Required. */
  unitPrice: number;
  description?: string | undefined;
  /** `unit_discount_price` in minor units. */
  unitDiscountPrice?: number | undefined;
  /** `vat` in minor units. */
  vat?: number | undefined;
  /** `vat_percent`, a percentage (18 for 18 %), not money. */
  vatPercent?: number | undefined;
  /** `total_price` in minor units. */
  totalPrice?: number | undefined;
  /** `image`: an image URL. */
  image?: string | undefined;
  packageCode?: string | undefined;
  tin?: string | undefined;
  pinfl?: string | undefined;
  productDiscountId?: string | undefined;
}

/** One recipient of a split payment (`config.split.split_payments[]`): `amount` or `percent`, not both. */
export interface BogSplitPayment {
  /** The recipient's GEL account (IBAN) at a Georgian bank. */
  iban: string;
  /** Minor units to send to this account. */
  amount?: number | undefined;
  /** Percentage of the payment to send to this account. */
  percent?: number | undefined;
  description?: string | undefined;
}

/** `config`: settings of one payment. Each feature must be activated for your merchant. */
export interface BogOrderConfig {
  /** Installment / BNPL: the calculator's `discount_code` as `type`, and the number of months. */
  loan?: { type?: string | undefined; month?: number | undefined } | undefined;
  /** Card-type campaign: restrict to, or discount for, a card type. */
  campaign?:
    | {
        card?: 'visa' | 'mc' | 'solo' | (string & {}) | undefined;
        type?: 'restrict' | 'client_discount' | (string & {}) | undefined;
      }
    | undefined;
  /**
   * Google Pay. `external: true` with `googlePayToken` (the full token string from Google, unmodified)
   * when the Google Pay button is on your own page.
   */
  googlePay?: { external?: boolean | undefined; googlePayToken?: string | undefined } | undefined;
  /** Apple Pay. `external: true` when the Apple Pay button is on your own page. */
  applePay?: { external?: boolean | undefined } | undefined;
  /** Which of your POS terminals (agreed with BOG) receives the money. */
  account?: { tag?: string | undefined } | undefined;
  /** Split the payment between accounts (GEL only). */
  split?: { splitPayments: readonly BogSplitPayment[] } | undefined;
}

/**
 * Input of {@link BogClient.createOrder}: every documented field of `POST /ecommerce/orders`, in
 * camelCase, with money in integer minor units. The client converts to the wire format (major-unit
 * JSON numbers, snake_case) exactly.
 */
export interface BogCreateOrderInput {
  /** `callback_url`: where Bank of Georgia posts status callbacks. Required; HTTPS on the real API. */
  callbackUrl: string;
  /** `external_order_id`: your id. The first 25 characters appear on the payer's bank statement. */
  externalOrderId?: string | undefined;
  /** `capture`: `automatic` (default) or `manual` (pre-authorization: card, Apple Pay, Google Pay). */
  capture?: 'automatic' | 'manual' | undefined;
  purchaseUnits: {
    /** `GEL` (default), `USD`, `EUR` or `GBP`. */
    currency?: string | undefined;
    /** `total_amount` in minor units. Required. */
    totalAmount: number;
    /** `total_discount_amount` in minor units. */
    totalDiscountAmount?: number | undefined;
    /** `delivery.amount` in minor units. */
    delivery?: { amount?: number | undefined } | undefined;
    /** `basket`: at least one item. */
    basket: readonly BogBasketItem[];
  };
  /** `redirect_urls`: where the hosted page sends the customer. UX only: never proof of payment. */
  redirectUrls?: { success?: string | undefined; fail?: string | undefined } | undefined;
  /** `buyer`: shown on the hosted page. Sent as `full_name`, `masked_email`, `masked_phone`. */
  buyer?:
    | { fullName?: string | undefined; maskedEmail?: string | undefined; maskedPhone?: string | undefined }
    | undefined;
  /** `ttl`: order lifetime in minutes, 2 to 1440 (BOG's default 15). */
  ttl?: number | undefined;
  /** `payment_method`: the methods to offer (all activated ones when omitted). */
  paymentMethod?: readonly BogPaymentMethod[] | undefined;
  /** `application_type`: `web` or `mobile`, for Apple Pay on your own page or app. */
  applicationType?: 'web' | 'mobile' | undefined;
  config?: BogOrderConfig | undefined;
}

/** Input of {@link BogClient.chargeSubscription}: only these may differ from the parent order. */
export interface BogSubscriptionChargeInput {
  /** `callback_url` for this charge (default: the parent's). */
  callbackUrl?: string | undefined;
  /** `external_order_id` for this charge (default: the parent's). */
  externalOrderId?: string | undefined;
}

/** The answer to creating an order. */
export interface BogOrder {
  /** The order id: pass it to every other call. */
  id: string;
  /** Where to send the customer (`_links.redirect.href`); absent for wallet orders paid on your page. */
  redirectUrl: string | undefined;
  /** `_links.details.href`: the receipt URL. */
  detailsUrl: string | undefined;
  /** External Google Pay / Apple Pay orders report a status at once. */
  status: string | undefined;
  /** External wallet orders that completed at once carry their payment details. */
  orderDetails: BogPaymentDetails | undefined;
  /** External Apple Pay: the payload to start the Apple Pay session with, untouched. */
  applePayResult: unknown;
  /** External Apple Pay: where to post the Apple Pay token (see {@link BogClient.completeApplePayPayment}). */
  acceptUrl: string | undefined;
  /** The `Idempotency-Key` sent. */
  idempotencyKey: string;
  raw: unknown;
}

/** The answer of an automatic (subscription) charge: the new order, to follow by callback or receipt. */
export interface BogSubscriptionPayment {
  id: string;
  detailsUrl: string | undefined;
  idempotencyKey: string;
  raw: unknown;
}

/**
 * Refund, pre-authorization approve or cancel, as Bank of Georgia answers them: `request_received`.
 * The request was accepted, not carried out. The outcome arrives by callback, or read it with
 * {@link BogClient.getPaymentDetails}.
 */
export interface BogActionResult {
  /** Always `true`: a 2xx answer means the request was accepted. */
  accepted: true;
  /** `request_received` as documented. */
  key: string;
  message: string | undefined;
  /** The action id, matching `actions[].action_id` in the receipt. */
  actionId: string | undefined;
  idempotencyKey: string;
  raw: unknown;
}

/** One line of `purchase_units.items` in the receipt. Money in minor units. */
export interface BogReceiptItem {
  externalItemId: string | undefined;
  description: string | undefined;
  quantity: number | undefined;
  unitPrice: number | undefined;
  unitDiscountPrice: number | undefined;
  vat: number | undefined;
  vatPercent: number | undefined;
  totalPrice: number | undefined;
  packageCode: string | undefined;
  tin: string | undefined;
  pinfl: string | undefined;
  productDiscountId: string | undefined;
}

/** One entry of `actions[]`: refunds and pre-authorization operations on the order. */
export interface BogOrderAction {
  actionId: string | undefined;
  /** `public_api`, `business_manager` or `support`. */
  requestChannel: string | undefined;
  /** `authorize`, `partial_authorize`, `cancel_authorize`, `refund` or `partial_refund`. */
  action: string | undefined;
  /** `completed` or `rejected`. */
  status: string | undefined;
  date: Date | undefined;
  /** Minor units. */
  amount: number | undefined;
  code: string | undefined;
  codeDescription: string | undefined;
}

/** `payment_detail`: how the order was paid. */
export interface BogPaymentDetail {
  /** `card`, `google_pay`, `apple_pay`, `bog_p2p`, `bog_loyalty`, `bnpl`, `bog_loan` (`undefined` before payment). */
  transferMethod: string | undefined;
  /** The localized label of the transfer method. */
  transferMethodLabel: string | undefined;
  transactionId: string | undefined;
  /** Masked card number for cards and Google Pay; an account name, device number or initial otherwise. */
  payerIdentifier: string | undefined;
  /** `direct_debit`, `recurrent` (saved-card payment) or `subscription` (automatic payment). */
  paymentOption: string | undefined;
  /** `visa`, `mc`, `amex`. */
  cardType: string | undefined;
  /** `MM/YY`. */
  cardExpiryDate: string | undefined;
  requestAccountTag: string | undefined;
  transferAccountTag: string | undefined;
  /** `recurrent` or `subscription` when the card was saved by this order. */
  savedCardType: string | undefined;
  /** The saved-card order this payment was charged from. */
  parentOrderId: string | undefined;
  /** Response code (`100` success, `107` insufficient funds, ...). */
  code: string | undefined;
  codeDescription: string | undefined;
  authCode: string | undefined;
  /** `pg_trx_id`: the processing gateway's transaction id. */
  paymentGatewayTransactionId: string | undefined;
  requestRrn: string | undefined;
}

/** The payment details (`GET /receipt/{order_id}`, and every callback's `body`), money in minor units. */
export interface BogPaymentDetails {
  orderId: string;
  externalOrderId: string | undefined;
  industry: string | undefined;
  /** `automatic` or `manual` (pre-authorization). */
  capture: string | undefined;
  /** `order_status.key`. */
  status: BogOrderStatus;
  /** `order_status.value`: a localized label. */
  statusLabel: string | undefined;
  /** `purchase_units.currency_code` (GEL when absent). */
  currency: string;
  /** `request_amount` in minor units. */
  requestAmount: number | undefined;
  /** `transfer_amount` in minor units: what was taken, net of refunds; `undefined` before payment. */
  transferAmount: number | undefined;
  /** `refund_amount` in minor units. */
  refundAmount: number | undefined;
  items: BogReceiptItem[];
  buyer:
    | { fullName: string | undefined; email: string | undefined; phoneNumber: string | undefined }
    | undefined;
  client:
    | {
        id: string | undefined;
        brandKa: string | undefined;
        brandEn: string | undefined;
        url: string | undefined;
      }
    | undefined;
  /** From `zoned_create_date`, or `create_date` read as Tbilisi time when only that is present. */
  createdAt: Date | undefined;
  expiresAt: Date | undefined;
  redirectLinks: { success: string | undefined; fail: string | undefined } | undefined;
  paymentDetail: BogPaymentDetail | undefined;
  discount:
    | {
        bankDiscountAmount: number | undefined;
        bankDiscountDescription: string | undefined;
        systemDiscountAmount: number | undefined;
        systemDiscountDescription: string | undefined;
        discountedAmount: number | undefined;
        originalOrderAmount: number | undefined;
      }
    | undefined;
  actions: BogOrderAction[];
  /** `ka` or `en`. */
  language: string | undefined;
  /** When rejected: `expiration`, `unknown`, or a response-code description. */
  rejectReason: string | undefined;
  /** The split payment state, untouched. */
  split: unknown;
  raw: unknown;
}

/** A verified callback. */
export interface BogCallback {
  /** `order_payment` (the only documented event). */
  event: string | undefined;
  requestTime: Date | undefined;
  /** The `body`, unwrapped from the envelope. */
  paymentDetails: BogPaymentDetails;
  raw: unknown;
}

/** Input of {@link BogClient.approvePreauthorization}. */
export interface BogApprovePreauthorizationInput {
  /** Minor units to confirm; omit for the whole blocked amount. Less than that is a partial capture. */
  amount?: number | undefined;
  description?: string | undefined;
}

/** The answer of the Apple Pay accept call. */
export interface BogApplePayPayment {
  id: string;
  status: string | undefined;
  orderDetails: BogPaymentDetails | undefined;
  detailsUrl: string | undefined;
  idempotencyKey: string;
  raw: unknown;
}
