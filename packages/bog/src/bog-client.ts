import {
  type AuthProvider,
  bearerAuth,
  createHttpClient,
  type HeadersLike,
  type HttpClient,
  InvalidRequestError,
  ResponseValidationError,
  type TokenCache,
  toHttpClientSettings,
} from '@colchis/core';
import { toBogAmount } from './bog-amount.js';
import {
  bogActionResponseSchema,
  bogApplePayPaymentResponseSchema,
  bogCreateOrderResponseSchema,
  bogReceiptSchema,
  bogSubscriptionPaymentResponseSchema,
} from './bog-api.js';
import { bogTokenCache } from './bog-auth.js';
import type {
  BogActionResult,
  BogApplePayPayment,
  BogApprovePreauthorizationInput,
  BogCallback,
  BogCreateOrderInput,
  BogCreateOrderOptions,
  BogOrder,
  BogPaymentDetails,
  BogRequestOptions,
  BogSubscriptionChargeInput,
  BogSubscriptionPayment,
} from './bog-client-types.js';
import type { BogEnvironment, BogEnvironmentUrls } from './bog-environments.js';
import { bogErrorDetails, classifyBogError } from './bog-errors.js';
import { toBogIdempotencyKey } from './bog-idempotency-key.js';
import { checkBogCallbackUrl, toBogOrderBody } from './bog-order-body.js';
import { toBogPaymentDetails } from './bog-payment-details.js';
import { type BogSettings, type ResolvedBogSettings, resolveBogSettings } from './bog-settings.js';
import { verifyBogCallback } from './bog-webhook.js';
import { bogPaymentPageUrl } from './map-bog-payment.js';
import { VERSION } from './version.js';

const IDEMPOTENCY_HEADER = 'Idempotency-Key';
// Every currency BOG accepts (GEL, USD, EUR, GBP) has two decimals, so amounts of calls that do not
// repeat the order's currency (refund, approve) convert the same whatever it is.
const TWO_DECIMALS = 'GEL';

type Schema<T> = {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: unknown };
};

function orderIdOf(value: unknown, what = 'orderId'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidRequestError(`${what} must be the Bank of Georgia order id (a non-empty string).`, {
      provider: 'bog',
    });
  }
  return encodeURIComponent(value);
}

function text(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return String(value);
}

function describeIssues(error: unknown): string {
  const issues = (error as { issues?: Array<{ path: PropertyKey[] }> }).issues ?? [];
  const paths = issues.map((issue) => issue.path.map(String).join('.') || '(root)');
  return paths.length > 0 ? ` (at ${[...new Set(paths)].slice(0, 5).join(', ')})` : '';
}

/**
 * The Bank of Georgia Payments API v1 client: one method per documented endpoint, named after the
 * docs, with camelCase inputs and money in integer minor units. It gets and caches OAuth tokens,
 * retries only what is safe (every money-moving call carries an `Idempotency-Key` reused on each
 * retry), and turns errors into typed Colchis errors.
 *
 * @example
 * ```ts
 * const client = new BogClient({ environment: 'sandbox' }); // BOG_CLIENT_ID, BOG_CLIENT_SECRET
 * const order = await client.createOrder({
 *   callbackUrl: 'https://shop.example/bog/callback',
 *   externalOrderId: 'order-1001',
 *   purchaseUnits: { currency: 'GEL', totalAmount: 2500, basket: [{ productId: 'course-1', quantity: 1, unitPrice: 2500 }] },
 * });
 * // redirect the customer to order.redirectUrl
 * ```
 */
export class BogClient {
  /** The environment whose hosts and callback key are in use. */
  readonly environment: BogEnvironment;
  /** The token, API and hosted-page URLs in use (after overrides). */
  readonly urls: Readonly<BogEnvironmentUrls>;
  /** The public key (PEM) callbacks are verified with. */
  readonly callbackPublicKey: string;
  readonly #settings: ResolvedBogSettings;
  readonly #http: HttpClient;
  readonly #tokens: TokenCache;
  readonly #auth: AuthProvider;

  /**
   * @throws ConfigurationError for an unknown environment, a malformed URL or callback key.
   * Missing credentials are reported when a request first needs a token, so a client that only
   * verifies callbacks needs none.
   */
  constructor(settings: BogSettings = {}) {
    const resolved = resolveBogSettings(settings);
    this.#settings = resolved;
    this.environment = resolved.environment;
    this.urls = Object.freeze({
      tokenUrl: resolved.tokenUrl,
      apiUrl: resolved.apiUrl,
      paymentPageUrl: resolved.paymentPageUrl,
    });
    this.callbackPublicKey = resolved.callbackPublicKey;
    const secret = resolved.clientSecret;
    this.#http = createHttpClient({
      ...toHttpClientSettings(settings),
      provider: 'bog',
      baseUrl: resolved.apiUrl,
      userAgent: `@colchis/bog/${VERSION}`,
      secrets: () => (secret ? [secret] : []),
      errorDetails: bogErrorDetails,
      classifyError: classifyBogError,
    });
    this.#tokens = bogTokenCache({
      http: this.#http,
      tokenUrl: resolved.tokenUrl,
      clientId: resolved.clientId,
      clientSecret: resolved.clientSecret,
      transportIdentity: [settings.transport, settings.dispatcher, settings.fetch],
    });
    this.#auth = bearerAuth(this.#tokens);
  }

  /**
   * Authentication: a client-credentials access token, from the cache when still fresh.
   * `forceRefresh` fetches a new one.
   */
  getAccessToken(
    options: { forceRefresh?: boolean; signal?: AbortSignal | undefined } = {},
  ): Promise<string> {
    return this.#tokens.getToken(options);
  }

  /** The hosted payment page of an order (`?order_id=`), for customers who return to pay. */
  paymentPageUrl(orderId: string): string {
    orderIdOf(orderId);
    return bogPaymentPageUrl(this.urls.paymentPageUrl, orderId);
  }

  /**
   * Create order (`POST /ecommerce/orders`): every documented field, plus the `Idempotency-Key`,
   * `Accept-Language` and `Theme` headers. Redirect the customer to `redirectUrl`; the result
   * arrives by callback (and {@link getPaymentDetails}), never by the redirect back to you.
   * For external Google Pay the answer may carry the final `orderDetails` (or a 3-D Secure
   * `redirectUrl`); for external Apple Pay, `applePayResult` and `acceptUrl`.
   * @throws InvalidRequestError for anything wrong in the input, before any request.
   */
  createOrder(input: BogCreateOrderInput, options: BogCreateOrderOptions = {}): Promise<BogOrder> {
    return this.#submitOrder('createOrder', '/ecommerce/orders', input, options);
  }

  /**
   * Pay with a saved card, customer present (`POST /ecommerce/orders/{parent_order_id}`): the
   * parent is an order whose card was saved with {@link saveCardForRecurrentPayments}. Same input and
   * answer as {@link createOrder}: redirect the customer, who confirms without typing the card.
   */
  payWithSavedCard(
    parentOrderId: string,
    input: BogCreateOrderInput,
    options: BogCreateOrderOptions = {},
  ): Promise<BogOrder> {
    const parent = orderIdOf(parentOrderId, 'parentOrderId');
    return this.#submitOrder('payWithSavedCard', `/ecommerce/orders/${parent}`, input, options);
  }

  async #submitOrder(
    operation: string,
    path: string,
    input: BogCreateOrderInput,
    options: BogCreateOrderOptions,
  ): Promise<BogOrder> {
    const body = toBogOrderBody(input, this.#settings.officialApi);
    const language = options.language ?? this.#settings.language;
    const theme = options.theme ?? this.#settings.theme;
    const idempotencyKey = await toBogIdempotencyKey(options.idempotencyKey);
    const result = await this.#http.request({
      operation,
      method: 'POST',
      path,
      json: body,
      headers: { 'accept-language': language, theme },
      idempotencyHeader: IDEMPOTENCY_HEADER,
      auth: this.#auth,
      options: { ...options, idempotencyKey },
    });
    const data = this.#parse(bogCreateOrderResponseSchema, result.data, operation);
    const links = data._links ?? undefined;
    const id = String(data.id);
    const acceptUrl = links?.accept?.href ?? undefined;
    const isWallet = data.status !== undefined || data.result !== undefined || acceptUrl !== undefined;
    const redirectUrl =
      links?.redirect?.href ?? (isWallet ? undefined : bogPaymentPageUrl(this.urls.paymentPageUrl, id));
    return {
      id,
      redirectUrl,
      detailsUrl: links?.details?.href ?? undefined,
      status: text(data.status),
      orderDetails: data.order_details
        ? toBogPaymentDetails(data.order_details, (result.data as { order_details?: unknown }).order_details)
        : undefined,
      applePayResult: data.result,
      acceptUrl,
      idempotencyKey,
      raw: result.data,
    };
  }

  /**
   * Payment details (`GET /receipt/{order_id}`): the source of truth for an order's state. Amounts
   * come back in minor units; missing and `null` values as `undefined`.
   * @throws NotFoundError for an unknown order id (BOG answers 400 "Invalid order_id").
   */
  async getPaymentDetails(orderId: string, options: BogRequestOptions = {}): Promise<BogPaymentDetails> {
    const id = orderIdOf(orderId);
    const result = await this.#http.request({
      operation: 'getPaymentDetails',
      method: 'GET',
      path: `/receipt/${id}`,
      auth: this.#auth,
      options,
    });
    return toBogPaymentDetails(this.#parse(bogReceiptSchema, result.data, 'getPaymentDetails'), result.data);
  }

  /**
   * Refund (`POST /payment/refund/{order_id}`): all of it without `amount`, or part (card, Apple Pay
   * and Google Pay only). BOG answers `request_received`: the refund is accepted, not done; the
   * order moves to `refunded` / `refunded_partially` later (callback or receipt). A refund cannot
   * be cancelled.
   * @param input.amount minor units, at most what was taken and not yet refunded.
   */
  async refund(
    orderId: string,
    input: { amount?: number | undefined } = {},
    options: BogRequestOptions = {},
  ): Promise<BogActionResult> {
    const id = orderIdOf(orderId);
    const amount = this.#positiveAmount(input.amount, 'refund amount');
    return this.#action('refund', `/payment/refund/${id}`, amount === undefined ? {} : { amount }, options);
  }

  /**
   * Pre-authorization approve (`POST /payment/authorization/approve/{order_id}`): takes the held
   * amount, or part of it (`amount` in minor units; less than held is a partial capture). Answers
   * `request_received`; the order becomes `completed` or `partial_completed` later.
   */
  async approvePreauthorization(
    orderId: string,
    input: BogApprovePreauthorizationInput = {},
    options: BogRequestOptions = {},
  ): Promise<BogActionResult> {
    const id = orderIdOf(orderId);
    const amount = this.#positiveAmount(input.amount, 'approve amount');
    const body: Record<string, unknown> = {};
    if (amount !== undefined) body.amount = amount;
    if (input.description !== undefined) body.description = input.description;
    return this.#action('approvePreauthorization', `/payment/authorization/approve/${id}`, body, options);
  }

  /**
   * Pre-authorization cancel (`POST /payment/authorization/cancel/{order_id}`, the docs' "reject"):
   * releases the whole held amount. Answers `request_received`; the order becomes `rejected` later.
   */
  async cancelPreauthorization(
    orderId: string,
    input: { description?: string | undefined } = {},
    options: BogRequestOptions = {},
  ): Promise<BogActionResult> {
    const id = orderIdOf(orderId);
    const body: Record<string, unknown> = {};
    if (input.description !== undefined) body.description = input.description;
    return this.#action('cancelPreauthorization', `/payment/authorization/cancel/${id}`, body, options);
  }

  /**
   * Save the card for recurrent payments, customer present (`PUT /orders/{order_id}/cards`). Call it
   * after creating the order and BEFORE redirecting the customer; the card is saved only if that
   * payment succeeds. Then charge with {@link payWithSavedCard}. Needs activation by BOG.
   */
  saveCardForRecurrentPayments(orderId: string, options: BogRequestOptions = {}): Promise<void> {
    return this.#accepted(
      'saveCardForRecurrentPayments',
      'PUT',
      `/orders/${orderIdOf(orderId)}/cards`,
      options,
    );
  }

  /**
   * Save the card for automatic payments, customer absent (`PUT /orders/{order_id}/subscriptions`).
   * Call it after creating the order and BEFORE redirecting the customer. Then charge with
   * {@link chargeSubscription}, always for the parent order's amount. Needs activation by BOG.
   */
  saveCardForAutomaticPayments(orderId: string, options: BogRequestOptions = {}): Promise<void> {
    return this.#accepted(
      'saveCardForAutomaticPayments',
      'PUT',
      `/orders/${orderIdOf(orderId)}/subscriptions`,
      options,
    );
  }

  /** Delete a saved card (`DELETE /charges/card/{order_id}`, the parent order's id). */
  deleteSavedCard(parentOrderId: string, options: BogRequestOptions = {}): Promise<void> {
    return this.#accepted(
      'deleteSavedCard',
      'DELETE',
      `/charges/card/${orderIdOf(parentOrderId, 'parentOrderId')}`,
      options,
    );
  }

  /**
   * Automatic payment with a saved card (`POST /ecommerce/orders/{parent_order_id}/subscribe`). The
   * amount, currency and buyer are the parent order's: BOG offers no way to change them, only
   * `callbackUrl` and `externalOrderId`. The answer is a new order id, not a result: the charge's
   * outcome arrives by callback or receipt. Use a stable `idempotencyKey` per billing period.
   */
  async chargeSubscription(
    parentOrderId: string,
    input: BogSubscriptionChargeInput = {},
    options: BogRequestOptions = {},
  ): Promise<BogSubscriptionPayment> {
    const parent = orderIdOf(parentOrderId, 'parentOrderId');
    const body: Record<string, unknown> = {};
    if (input.callbackUrl !== undefined) {
      body.callback_url = checkBogCallbackUrl(input.callbackUrl, this.#settings.officialApi);
    }
    if (input.externalOrderId !== undefined) body.external_order_id = input.externalOrderId;
    const idempotencyKey = await toBogIdempotencyKey(options.idempotencyKey);
    const result = await this.#http.request({
      operation: 'chargeSubscription',
      method: 'POST',
      path: `/ecommerce/orders/${parent}/subscribe`,
      json: body,
      idempotencyHeader: IDEMPOTENCY_HEADER,
      auth: this.#auth,
      options: { ...options, idempotencyKey },
    });
    const data = this.#parse(bogSubscriptionPaymentResponseSchema, result.data, 'chargeSubscription');
    return {
      id: String(data.id),
      detailsUrl: data._links?.details?.href ?? undefined,
      idempotencyKey,
      raw: result.data,
    };
  }

  /**
   * Complete an external Apple Pay payment (`POST /ecommerce/orders/{order_id}/payment`) with the
   * Apple Pay token, unmodified (an object is stringified, a string sent as is). The order was
   * created with `config.applePay.external`.
   */
  async completeApplePayPayment(
    orderId: string,
    applePayToken: string | Record<string, unknown>,
    options: BogRequestOptions = {},
  ): Promise<BogApplePayPayment> {
    const id = orderIdOf(orderId);
    if (applePayToken === undefined || applePayToken === null || applePayToken === '') {
      throw new InvalidRequestError('applePayToken is required: pass the payment token Apple Pay returned.', {
        provider: 'bog',
      });
    }
    const token = typeof applePayToken === 'string' ? applePayToken : JSON.stringify(applePayToken);
    const idempotencyKey = await toBogIdempotencyKey(options.idempotencyKey);
    const result = await this.#http.request({
      operation: 'completeApplePayPayment',
      method: 'POST',
      path: `/ecommerce/orders/${id}/payment`,
      json: { apple_pay_token: token },
      idempotencyHeader: IDEMPOTENCY_HEADER,
      auth: this.#auth,
      options: { ...options, idempotencyKey },
    });
    const data = this.#parse(bogApplePayPaymentResponseSchema, result.data, 'completeApplePayPayment');
    return {
      id: String(data.id),
      status: text(data.status),
      orderDetails: data.order_details
        ? toBogPaymentDetails(data.order_details, (result.data as { order_details?: unknown }).order_details)
        : undefined,
      detailsUrl: data._links?.details?.href ?? undefined,
      idempotencyKey,
      raw: result.data,
    };
  }

  /**
   * Verifies a callback (`Callback-Signature`, SHA256withRSA over the raw body) with this
   * environment's key, then unwraps its `body` into payment details.
   * @throws SignatureVerificationError when the body is not raw, the header is missing or wrong.
   */
  verifyCallback(request: {
    rawBody: string | Uint8Array;
    headers?: HeadersLike | undefined;
    signature?: string | undefined;
  }): Promise<BogCallback> {
    return verifyBogCallback({ ...request, publicKey: this.callbackPublicKey });
  }

  #positiveAmount(amount: number | undefined, what: string): number | undefined {
    if (amount === undefined) return undefined;
    const major = toBogAmount(amount, TWO_DECIMALS, what);
    if (amount === 0) {
      throw new InvalidRequestError(`${what} must be more than zero; omit it for the full amount.`, {
        provider: 'bog',
      });
    }
    return major;
  }

  async #action(
    operation: string,
    path: string,
    body: Record<string, unknown>,
    options: BogRequestOptions,
  ): Promise<BogActionResult> {
    const idempotencyKey = await toBogIdempotencyKey(options.idempotencyKey);
    const result = await this.#http.request({
      operation,
      method: 'POST',
      path,
      json: body,
      idempotencyHeader: IDEMPOTENCY_HEADER,
      auth: this.#auth,
      options: { ...options, idempotencyKey },
    });
    const data = this.#parse(bogActionResponseSchema, result.data ?? {}, operation);
    return {
      accepted: true,
      key: text(data.key) ?? 'request_received',
      message: text(data.message),
      actionId: text(data.action_id),
      idempotencyKey,
      raw: result.data,
    };
  }

  async #accepted(
    operation: string,
    method: 'PUT' | 'DELETE',
    path: string,
    options: BogRequestOptions,
  ): Promise<void> {
    const idempotencyKey = await toBogIdempotencyKey(options.idempotencyKey);
    // 202 Accepted without a body: read as text so an empty or odd body is not an error.
    await this.#http.request({
      operation,
      method,
      path,
      idempotencyHeader: IDEMPOTENCY_HEADER,
      auth: this.#auth,
      responseType: 'text',
      options: { ...options, idempotencyKey },
    });
  }

  #parse<T>(schema: Schema<T>, data: unknown, operation: string): T {
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    throw new ResponseValidationError(
      `Bank of Georgia answered ${operation} with a body Colchis cannot read${describeIssues(parsed.error)}. Check the API URL (${this.urls.apiUrl}).`,
      { provider: 'bog', rawBody: data },
    );
  }
}
