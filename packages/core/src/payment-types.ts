import type { Money } from './money.js';
import type { PaymentStatus } from './payment-status.js';

/** Headers as any framework hands them over: WHATWG `Headers`, Node's `IncomingHttpHeaders`, or a plain record. */
export type HeadersLike =
  | { get(name: string): string | null }
  | Record<string, string | string[] | undefined>
  | Iterable<readonly [string, string]>;

/** Per-call options accepted by every provider and client method. */
export interface RequestOptions {
  /** Aborts the call (including retries and backoff waits). */
  signal?: AbortSignal | undefined;
  /** Milliseconds for one attempt, including reading the body. Overrides the client's default. */
  timeout?: number | undefined;
  /**
   * Idempotency key for money-moving calls. Without one, Colchis generates a key once per logical
   * call and reuses it on every retry. Pass your own (e.g. your order id) to make repeated calls
   * across process restarts safe.
   */
  idempotencyKey?: string | undefined;
  /** Extra HTTP headers for this call. */
  headers?: Record<string, string> | undefined;
  /** Maximum retries for this call (default from the client, usually 2). */
  maxRetries?: number | undefined;
}

/** One line of the order, shown on hosted pages that support a basket. */
export interface LineItem {
  /** Your product id or SKU. */
  id?: string | undefined;
  name: string;
  quantity: number;
  /** Price of one unit in minor units of the payment's currency. */
  unitAmount: number;
  description?: string | undefined;
  imageUrl?: string | undefined;
}

/** Who pays. Every field is optional; gateways use what they support. */
export interface Customer {
  /** Your id for the customer (used to find or create a gateway customer for saved cards). */
  id?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  name?: string | undefined;
  /** The gateway's own customer id, when you already have one. */
  providerCustomerId?: string | undefined;
}

/** Input of {@link PaymentProvider.createPayment}. */
export interface CreatePaymentInput {
  /** Amount in integer minor units and ISO 4217 currency. */
  amount: Money;
  /** Your order/enrollment/donation id. Travels to the gateway and comes back on the payment and webhooks. */
  reference: string;
  description?: string | undefined;
  lineItems?: readonly LineItem[] | undefined;
  customer?: Customer | undefined;
  /** Where the hosted page sends the customer after paying (or failing). */
  returnUrl?: string | undefined;
  /** Where the hosted page sends the customer who gives up. Defaults to `returnUrl`. */
  cancelUrl?: string | undefined;
  /** Where the gateway posts status callbacks (for gateways that take it per order). */
  webhookUrl?: string | undefined;
  /** `automatic` (default) takes the money at once; `manual` only holds it until `capture`. */
  capture?: 'automatic' | 'manual' | undefined;
  /**
   * Save the card for later: `on_session` (customer present, e.g. one-click) or `off_session`
   * (merchant-initiated charges such as renewals). `true` means `off_session`.
   */
  savePaymentMethod?: boolean | 'on_session' | 'off_session' | undefined;
  /** Hosted page language, BCP 47 (`ka`, `en`, `ru`, `kk`). */
  locale?: string | undefined;
  /** See {@link RequestOptions.idempotencyKey}. */
  idempotencyKey?: string | undefined;
  /** Free-form key/value data stored with the payment where the gateway supports it. */
  metadata?: Record<string, string> | undefined;
  /** Gateway-only fields, passed through untouched, e.g. `{ bog: { ttl: 15 } }`. */
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
}

/** Input of {@link PaymentProvider.chargeSavedMethod}: a merchant-initiated charge of a saved card. */
export interface ChargeSavedMethodInput {
  /** The saved method, as returned in {@link Payment.savedMethod}. */
  savedMethod: SavedMethodRef;
  amount: Money;
  reference: string;
  description?: string | undefined;
  customer?: Customer | undefined;
  /** Where the gateway posts status callbacks. */
  webhookUrl?: string | undefined;
  /** For on-session charges that may need the customer (3-D Secure). */
  returnUrl?: string | undefined;
  idempotencyKey?: string | undefined;
  metadata?: Record<string, string> | undefined;
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
}

/** Enough to charge a saved card again. Store it as is. */
export interface SavedMethodRef {
  /** The gateway's id for the saved card (BOG parent order id, ioka card id, Stripe payment method...). */
  id: string;
  /** The gateway's customer id, where the gateway has customers. */
  customerId?: string | undefined;
  /** How it may be used. */
  usage?: 'on_session' | 'off_session' | undefined;
}

/** A saved card as reported by the gateway. */
export interface SavedMethod extends SavedMethodRef {
  /** Masked card number (`4000********0001`), never the full number. */
  maskedPan?: string | undefined;
  brand?: string | undefined;
  /** `MM/YY` where the gateway reports it. */
  expiry?: string | undefined;
}

/** Input of {@link PaymentProvider.refund}. */
export interface RefundInput {
  /** Minor units to refund; omit for the full remaining amount. */
  amount?: number | undefined;
  reason?: string | undefined;
  idempotencyKey?: string | undefined;
}

/** Input of {@link PaymentProvider.capture}. */
export interface CaptureInput {
  /** Minor units to capture; omit for the full authorized amount. */
  amount?: number | undefined;
  idempotencyKey?: string | undefined;
}

/** What the customer must do next. */
export type NextAction =
  | { type: 'redirect'; url: string; method: 'GET' }
  | { type: 'redirect'; url: string; method: 'POST'; formData: Record<string, string> };

/** Normalized failure codes (in the spirit of ActiveMerchant's standard error codes). */
export type FailureCode =
  | 'card_declined'
  | 'insufficient_funds'
  | 'expired_card'
  | 'incorrect_cvc'
  | 'incorrect_number'
  | 'authentication_failed'
  | 'fraud_suspected'
  | 'limit_exceeded'
  | 'card_not_supported'
  | 'do_not_honor'
  | 'expired'
  | 'amount_mismatch'
  | 'currency_mismatch'
  | 'processing_error'
  | 'canceled_by_customer'
  | 'unknown';

/** Why a payment failed: the normalized code, a message and the gateway's own code. */
export interface PaymentFailure {
  code: FailureCode;
  message: string;
  /** The gateway's code, untouched (`107`, `DECLINED`, `card_declined`). */
  rawCode?: string | undefined;
}

/** A payment as Colchis reports it, whatever the gateway. */
export interface Payment {
  /** Provider id (`bog`, `procredit`, `ioka`, `stripe`). */
  provider: string;
  /** The id to pass to `getPayment`, `refund`, `capture`, `cancel`. Opaque. */
  id: string;
  status: PaymentStatus;
  /** The gateway's status value, untouched. */
  rawStatus: string;
  /** Requested amount. */
  amount: Money;
  /** Captured (taken) amount in minor units. */
  amountCaptured: number;
  /** Refunded amount in minor units. */
  amountRefunded: number;
  /** Your reference (order id), when the gateway echoes it. */
  reference?: string | undefined;
  /** Convenience copy of `nextAction.url` when the customer must be sent somewhere. */
  redirectUrl?: string | undefined;
  nextAction?: NextAction | undefined;
  /** Set when the payment failed (or is flagged, e.g. an amount mismatch). */
  failure?: PaymentFailure | undefined;
  /** The card saved by this payment, when one was. */
  savedMethod?: SavedMethod | undefined;
  /** A refund requested but not yet final. */
  pendingRefund?: { amount?: number | undefined } | undefined;
  /** Masked card used for this payment, when known. */
  card?: { maskedPan?: string | undefined; brand?: string | undefined } | undefined;
  createdAt?: Date | undefined;
  /** The gateway's payload (redacted of secrets). */
  raw: unknown;
}

/** A refund's own status: refunds are often asynchronous. */
export type RefundStatus = 'pending' | 'succeeded' | 'failed';

/** A refund as Colchis reports it. */
export interface Refund {
  provider: string;
  /** The gateway's refund id, or the payment id when the gateway has no refund ids. */
  id: string;
  paymentId: string;
  status: RefundStatus;
  rawStatus: string;
  /** Refunded amount (minor units); `undefined` when a full refund's amount is not reported. */
  amount: number | undefined;
  currency?: string | undefined;
  raw: unknown;
}

/** A verified, normalized webhook. */
export interface WebhookEvent {
  provider: string;
  type: 'payment.updated' | 'refund.updated' | 'card.updated' | 'unknown';
  /** Gateway event id when it sends one (for de-duplication). */
  id?: string | undefined;
  /** The payment this event concerns, usable with `getPayment`. */
  paymentId?: string | undefined;
  reference?: string | undefined;
  status?: PaymentStatus | undefined;
  rawStatus?: string | undefined;
  /** Why the payment failed, when the event reports a failure (declines, expiry). */
  failure?: PaymentFailure | undefined;
  /** The payment as the event describes it, when the payload carries a full snapshot. */
  payment?: Payment | undefined;
  /**
   * `true` when the event's status came from a signed payload; `false` when the SDK had to
   * confirm it by fetching the payment (unsigned callbacks).
   */
  signed: boolean;
  raw: unknown;
}

/** What a provider can do. An operation whose flag is `false` throws `UnsupportedOperationError`. */
export interface ProviderCapabilities {
  manualCapture: boolean;
  partialCapture: boolean;
  cancel: boolean;
  refund: boolean;
  partialRefund: boolean;
  savedMethods: boolean;
  /** `signed`: verifiable callbacks; `unsigned`: callbacks that must be confirmed by fetching; `none`. */
  webhooks: 'signed' | 'unsigned' | 'none';
}

/** The interface every Colchis gateway implements. */
export interface PaymentProvider {
  readonly id: 'bog' | 'procredit' | 'ioka' | 'stripe' | (string & {});
  readonly capabilities: ProviderCapabilities;
  /** Creates a payment; usually returns `requires_action` with a `redirectUrl` to the hosted page. */
  createPayment(input: CreatePaymentInput, options?: RequestOptions): Promise<Payment>;
  /** Fetches the payment from the gateway: the source of truth. */
  getPayment(id: string, options?: RequestOptions): Promise<Payment>;
  /** Refunds all (no amount) or part of a captured payment. */
  refund(id: string, input?: RefundInput, options?: RequestOptions): Promise<Refund>;
  /** Captures all or part of an authorized payment. */
  capture(id: string, input?: CaptureInput, options?: RequestOptions): Promise<Payment>;
  /** Voids an authorized (not yet captured) payment. */
  cancel(id: string, options?: RequestOptions): Promise<Payment>;
  /** Charges a saved card without the customer (merchant-initiated). */
  chargeSavedMethod(input: ChargeSavedMethodInput, options?: RequestOptions): Promise<Payment>;
  /** Verifies a webhook on its raw body before parsing it, and normalizes it. */
  verifyWebhook(request: { rawBody: string | Uint8Array; headers: HeadersLike }): Promise<WebhookEvent>;
}
