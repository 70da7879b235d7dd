import {
  createHttpClient,
  type HttpClient,
  InvalidRequestError,
  normalizeCurrency,
  type RequestOptions,
  toHttpClientSettings,
} from '@colchis/core';
import * as z from 'zod/mini';
import {
  type IokaAmountCategory,
  type IokaCaptureMethod,
  type IokaCard,
  type IokaCustomer,
  type IokaCustomerAndAccessToken,
  type IokaCustomerEvent,
  type IokaCustomerStatus,
  type IokaDateCategory,
  type IokaOrder,
  type IokaOrderAndAccessToken,
  type IokaOrderEvent,
  type IokaOrderStatus,
  type IokaPayment,
  type IokaPaymentStatus,
  type IokaRefund,
  type IokaRefundStatus,
  type IokaScheduleStatus,
  type IokaScheduleUnit,
  type IokaSubscription,
  type IokaWebhook,
  type IokaWebhookEventName,
  iokaCardSchema,
  iokaCustomerAndAccessTokenSchema,
  iokaCustomerEventSchema,
  iokaCustomerSchema,
  iokaOrderAndAccessTokenSchema,
  iokaOrderEventSchema,
  iokaOrderSchema,
  iokaPaymentSchema,
  iokaRefundSchema,
  iokaSubscriptionSchema,
  iokaWebhookSchema,
} from './ioka-api.js';
import { formatIokaDateTime } from './ioka-date.js';
import { createIokaErrorClassifier, iokaErrorDetails } from './ioka-errors.js';
import {
  assertOptionalEnum,
  assertOptionalInteger,
  assertOptionalText,
  assertOptionalUrl,
  assertTiyn,
  describe,
  pathSegment,
} from './ioka-input.js';
import { type IokaEnvironment, type IokaSettings, resolveIokaSettings } from './ioka-settings.js';
import { parseIokaResponse } from './parse-ioka-response.js';
import { VERSION } from './version.js';

/** A date-time filter or field: a `Date`, or a UTC string without zone (`2019-08-24T14:15:22`). */
export type IokaDateTimeInput = Date | string;

/** `OrderIn`: everything `POST /v2/orders` accepts. Amounts are integer tiyn (use `tenge()`). */
export interface IokaOrderCreateParams {
  /** Integer tiyn, at least 1: 500 tenge is `50000` (or `tenge('500')`). */
  amount: number;
  /** `KZT` (the only currency of v2.8; the default). */
  currency?: string | undefined;
  /** `AUTO` (default) charges at once; `MANUAL` only holds the money until capture or cancel. */
  capture_method?: IokaCaptureMethod | undefined;
  /** Your order id. ioka keeps it unique: a second order with it fails with 409 `OrderExists`. */
  external_id?: string | undefined;
  description?: string | undefined;
  /** Your metadata; echoed in webhooks. */
  extra_info?: Record<string, unknown> | undefined;
  /** Payment attempts allowed, 1 to 50 (default 10). */
  attempts?: number | undefined;
  /** When the unpaid order expires (status `EXPIRED`, webhook `ORDER_EXPIRED`). */
  due_date?: IokaDateTimeInput | undefined;
  /** With `card_id`: pay with a saved card on the checkout page (the shopper confirms the CVC). */
  customer_id?: string | undefined;
  card_id?: string | undefined;
  /** Where the checkout page sends the shopper afterwards. */
  back_url?: string | undefined;
  success_url?: string | undefined;
  failure_url?: string | undefined;
  /** Checkout page template. */
  template?: string | undefined;
}

/** Filters shared by ioka's list endpoints. */
export interface IokaListParams {
  /** Page number, from 1. */
  page?: number | undefined;
  /** Page size (ioka's default is 10). */
  limit?: number | undefined;
  from_dt?: IokaDateTimeInput | undefined;
  to_dt?: IokaDateTimeInput | undefined;
  date_category?: IokaDateCategory | undefined;
  amount_category?: IokaAmountCategory | undefined;
  fixed_amount?: number | undefined;
  min_amount?: number | undefined;
  max_amount?: number | undefined;
}

/** Filters of `GET /v2/orders`. */
export interface IokaOrderListParams extends IokaListParams {
  order_id?: string | undefined;
  external_id?: string | undefined;
  order_status?: IokaOrderStatus | undefined;
}

/** Filters of `GET /v2/orders/{order_id}/payments`. */
export interface IokaPaymentListParams extends IokaListParams {
  payment_id?: string | undefined;
  external_id?: string | undefined;
  pan_first6?: string | undefined;
  pan_last4?: string | undefined;
  payer_email?: string | undefined;
  payer_phone?: string | undefined;
  customer_id?: string | undefined;
  payment_status?: IokaPaymentStatus | undefined;
  payment_system?: string | undefined;
}

/** Filters of `GET /v2/orders/{order_id}/payments/{payment_id}/refunds`. */
export interface IokaRefundListParams extends IokaListParams {
  refund_status?: IokaRefundStatus | undefined;
}

/** Filters of `GET /v2/customers`. */
export interface IokaCustomerListParams
  extends Omit<IokaListParams, 'amount_category' | 'fixed_amount' | 'min_amount' | 'max_amount'> {
  customer_id?: string | undefined;
  external_id?: string | undefined;
  status?: IokaCustomerStatus | undefined;
}

/** Filters of `GET /v2/subscriptions`. */
export interface IokaSubscriptionListParams extends IokaListParams {
  subscription_id?: string | undefined;
  pan_first6?: string | undefined;
  pan_last4?: string | undefined;
  status?: IokaScheduleStatus | undefined;
  next_pay?: IokaDateTimeInput | undefined;
  step?: number | undefined;
  unit?: IokaScheduleUnit | undefined;
}

/** Filters of `GET /v2/subscriptions/{id}/payments`. */
export interface IokaSubscriptionPaymentListParams {
  payment_status?: IokaPaymentStatus | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
}

/** `PaymentCapture`: the amount to take (integer tiyn, at least 100) and an optional reason. */
export interface IokaCaptureParams {
  amount: number;
  /** At most 255 characters. */
  reason?: string | undefined;
}

/** `PaymentCancel`. */
export interface IokaCancelParams {
  /** At most 255 characters. */
  reason?: string | undefined;
}

/** `RefundIn`: the amount to return (integer tiyn, at least 100) and an optional reason. */
export interface IokaRefundParams {
  amount: number;
  /** At most 255 characters. */
  reason?: string | undefined;
}

/**
 * `CardPayer`: pay an order by card from the server. Either a saved card (`card_id`, plus `cvc`
 * when the card requires it) or, for PCI DSS certified merchants only, the card data itself.
 */
export interface IokaCardPaymentParams {
  card_id?: string | undefined;
  cvc?: string | undefined;
  pan?: string | undefined;
  /** `MM/YY`. */
  exp?: string | undefined;
  holder?: string | undefined;
  /** Save the card for the order's customer. */
  save?: boolean | undefined;
  email?: string | undefined;
  phone?: string | undefined;
}

/** `CustomerIn`. */
export interface IokaCustomerCreateParams {
  /** Your id for the customer; ioka keeps it unique (409 `CustomerExists`). */
  external_id?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
}

/** `SubscriptionIn`: an ioka-managed recurring charge of a saved card. */
export interface IokaSubscriptionCreateParams {
  customer_id: string;
  card_id: string;
  /** Integer tiyn per charge. */
  amount: number;
  currency?: string | undefined;
  description?: string | undefined;
  extra_info?: Record<string, unknown> | string | undefined;
  /** The first charge. */
  next_pay: IokaDateTimeInput;
  /** Charge every `step` `unit`s (default 1). */
  step?: number | undefined;
  unit?: IokaScheduleUnit | undefined;
}

/** `SubscriptionUpdate`: any subset of the subscription's fields. */
export type IokaSubscriptionUpdateParams = Partial<IokaSubscriptionCreateParams>;

/** `WebhookIn`. */
export interface IokaWebhookCreateParams {
  /** Your HTTPS endpoint. */
  url: string;
  /** At least one event, e.g. `['PAYMENT_CAPTURED', 'PAYMENT_DECLINED']`. */
  events: readonly IokaWebhookEventName[];
}

/** `WebhookPatch`. */
export interface IokaWebhookUpdateParams {
  url?: string | undefined;
  events?: readonly IokaWebhookEventName[] | undefined;
}

/** One page of a list endpoint and the total from the `x-count` header (when ioka sends it). */
export interface IokaPage<T> {
  data: T[];
  /** Total matching items across all pages (`x-count`). */
  total: number | undefined;
}

/** `/v2/orders`. */
export interface IokaOrdersApi {
  /** `POST /v2/orders`. Redirect the shopper to `order.checkout_url`. */
  create(params: IokaOrderCreateParams, options?: RequestOptions): Promise<IokaOrderAndAccessToken>;
  /** `GET /v2/orders/{order_id}`: the order itself (ioka answers it unwrapped). */
  get(orderId: string, options?: RequestOptions): Promise<IokaOrder>;
  /** `GET /v2/orders` with filters; `total` is the `x-count` header. */
  list(params?: IokaOrderListParams, options?: RequestOptions): Promise<IokaPage<IokaOrder>>;
  /** The order with this exact `external_id`, or `undefined`. */
  findByExternalId(externalId: string, options?: RequestOptions): Promise<IokaOrder | undefined>;
  /** `POST /v2/orders/{order_id}/capture`: take all or part of the held amount. */
  capture(orderId: string, params: IokaCaptureParams, options?: RequestOptions): Promise<IokaPayment>;
  /** `POST /v2/orders/{order_id}/cancel`: release the hold. */
  cancel(orderId: string, params?: IokaCancelParams, options?: RequestOptions): Promise<IokaPayment>;
  /** `GET /v2/orders/{order_id}/events`: the order's history. */
  listEvents(orderId: string, options?: RequestOptions): Promise<IokaOrderEvent[]>;
}

/** Order-level refunds (`/v2/orders/{order_id}/refunds`). */
export interface IokaRefundsApi {
  /** `POST /v2/orders/{order_id}/refunds`: refund part or all of the captured amount. */
  create(orderId: string, params: IokaRefundParams, options?: RequestOptions): Promise<IokaRefund>;
  /** `GET /v2/orders/{order_id}/refunds`. */
  list(orderId: string, options?: RequestOptions): Promise<IokaRefund[]>;
  /** `GET /v2/orders/{order_id}/refunds/{refund_id}`. */
  get(orderId: string, refundId: string, options?: RequestOptions): Promise<IokaRefund>;
}

/** Payments of an order (`/v2/orders/{order_id}/payments`). */
export interface IokaPaymentsApi {
  /** `GET /v2/orders/{order_id}/payments` with filters; `total` is `x-count`. */
  list(
    orderId: string,
    params?: IokaPaymentListParams,
    options?: RequestOptions,
  ): Promise<IokaPage<IokaPayment>>;
  /** `GET /v2/orders/{order_id}/payments/{payment_id}`. */
  get(orderId: string, paymentId: string, options?: RequestOptions): Promise<IokaPayment>;
  /** `POST .../payments/{payment_id}/capture`. */
  capture(
    orderId: string,
    paymentId: string,
    params: IokaCaptureParams,
    options?: RequestOptions,
  ): Promise<IokaPayment>;
  /** `POST .../payments/{payment_id}/cancel`. */
  cancel(
    orderId: string,
    paymentId: string,
    params?: IokaCancelParams,
    options?: RequestOptions,
  ): Promise<IokaPayment>;
  /** `POST .../payments/{payment_id}/refunds`. */
  createRefund(
    orderId: string,
    paymentId: string,
    params: IokaRefundParams,
    options?: RequestOptions,
  ): Promise<IokaRefund>;
  /** `GET .../payments/{payment_id}/refunds` with filters; `total` is `x-count`. */
  listRefunds(
    orderId: string,
    paymentId: string,
    params?: IokaRefundListParams,
    options?: RequestOptions,
  ): Promise<IokaPage<IokaRefund>>;
  /**
   * `POST /v2/orders/{order_id}/payments/card`: pay from the server with a saved card (`card_id`)
   * or, for PCI DSS certified merchants, card data. Ask ioka to enable it for your shop first.
   */
  createCardPayment(
    orderId: string,
    params: IokaCardPaymentParams,
    options?: RequestOptions,
  ): Promise<IokaPayment>;
}

/** `/v2/customers`. */
export interface IokaCustomersApi {
  /** `POST /v2/customers`. `customer.checkout_url` is the card-save page. */
  create(params?: IokaCustomerCreateParams, options?: RequestOptions): Promise<IokaCustomerAndAccessToken>;
  /** `GET /v2/customers/{customer_id}`. */
  get(customerId: string, options?: RequestOptions): Promise<IokaCustomer>;
  /** `GET /v2/customers` with filters; `total` is `x-count`. */
  list(params?: IokaCustomerListParams, options?: RequestOptions): Promise<IokaPage<IokaCustomer>>;
  /** The customer with this exact `external_id`, or `undefined`. */
  findByExternalId(externalId: string, options?: RequestOptions): Promise<IokaCustomer | undefined>;
  /** `DELETE /v2/customers/{customer_id}`. */
  delete(customerId: string, options?: RequestOptions): Promise<void>;
  /** `GET /v2/customers/{customer_id}/events`. */
  listEvents(customerId: string, options?: RequestOptions): Promise<IokaCustomerEvent[]>;
}

/** Saved cards (`/v2/customers/{customer_id}/cards`). */
export interface IokaCardsApi {
  /** `GET /v2/customers/{customer_id}/cards`. */
  list(customerId: string, options?: RequestOptions): Promise<IokaCard[]>;
  /** `GET /v2/customers/{customer_id}/cards/{card_id}`. */
  get(customerId: string, cardId: string, options?: RequestOptions): Promise<IokaCard>;
  /** `DELETE /v2/customers/{customer_id}/cards/{card_id}`. */
  delete(customerId: string, cardId: string, options?: RequestOptions): Promise<void>;
}

/** `/v2/subscriptions`: ioka charges a saved card on a schedule. */
export interface IokaSubscriptionsApi {
  /** `POST /v2/subscriptions`. */
  create(params: IokaSubscriptionCreateParams, options?: RequestOptions): Promise<IokaSubscription>;
  /** `GET /v2/subscriptions/{subscription_id}`. */
  get(subscriptionId: string, options?: RequestOptions): Promise<IokaSubscription>;
  /** `GET /v2/subscriptions` with filters. */
  list(params?: IokaSubscriptionListParams, options?: RequestOptions): Promise<IokaPage<IokaSubscription>>;
  /** `POST /v2/subscriptions/{subscription_id}`: pause, resume or cancel. */
  changeStatus(
    subscriptionId: string,
    status: IokaScheduleStatus,
    options?: RequestOptions,
  ): Promise<IokaSubscription>;
  /** `PATCH /v2/subscriptions/{subscription_id}`. */
  update(
    subscriptionId: string,
    params: IokaSubscriptionUpdateParams,
    options?: RequestOptions,
  ): Promise<IokaSubscription>;
  /** `GET /v2/subscriptions/{subscription_id}/payments`. */
  listPayments(
    subscriptionId: string,
    params?: IokaSubscriptionPaymentListParams,
    options?: RequestOptions,
  ): Promise<IokaPayment[]>;
}

/** `/v2/webhooks`: ioka's webhooks are registered through the API, not a dashboard. */
export interface IokaWebhooksApi {
  /** `POST /v2/webhooks`. The answer's `key` signs the deliveries: store it. */
  create(params: IokaWebhookCreateParams, options?: RequestOptions): Promise<IokaWebhook>;
  /** `GET /v2/webhooks` (keys included: the way to recover a lost key). */
  list(options?: RequestOptions): Promise<IokaWebhook[]>;
  /** `GET /v2/webhooks/{webhook_id}`. */
  get(webhookId: string, options?: RequestOptions): Promise<IokaWebhook>;
  /** `PATCH /v2/webhooks/{webhook_id}`. */
  update(webhookId: string, params: IokaWebhookUpdateParams, options?: RequestOptions): Promise<IokaWebhook>;
  /** `DELETE /v2/webhooks/{webhook_id}`. */
  delete(webhookId: string, options?: RequestOptions): Promise<void>;
}

/** The ioka v2 API, one method per endpoint, with ioka's own field names. */
export interface IokaClient {
  /** `stage` or `production`. */
  readonly environment: IokaEnvironment;
  /** The host requests go to (without `/v2`). */
  readonly baseUrl: string;
  readonly orders: IokaOrdersApi;
  readonly refunds: IokaRefundsApi;
  readonly payments: IokaPaymentsApi;
  readonly customers: IokaCustomersApi;
  readonly cards: IokaCardsApi;
  readonly subscriptions: IokaSubscriptionsApi;
  readonly webhooks: IokaWebhooksApi;
  /** The underlying HTTP client (retries, timeouts, hooks). */
  readonly http: HttpClient;
}

/** Extra settings the provider passes down. */
export interface IokaClientInternals {
  /** More literal secrets to redact (the provider's webhook keys). */
  extraSecrets?: (() => readonly string[]) | undefined;
}

const orderListSchema = z.array(iokaOrderSchema);
const paymentListSchema = z.array(iokaPaymentSchema);
const refundListSchema = z.array(iokaRefundSchema);
const orderEventListSchema = z.array(iokaOrderEventSchema);
const customerListSchema = z.array(iokaCustomerSchema);
const customerEventListSchema = z.array(iokaCustomerEventSchema);
const cardListSchema = z.array(iokaCardSchema);
const subscriptionListSchema = z.array(iokaSubscriptionSchema);
const webhookListSchema = z.array(iokaWebhookSchema);

type QueryValue = string | number | boolean | undefined | null;

/**
 * Creates an ioka v2 client: `API-KEY` auth, `/v2` paths, integer tiyn amounts, typed errors
 * from ioka's `{ code, message }` bodies, 503 retried (ioka guarantees it did nothing), and
 * every answer validated once against its wire schema.
 *
 * @example
 * ```ts
 * const client = createIokaClient({ apiKey: process.env.IOKA_API_KEY, environment: 'stage' });
 * const { order } = await client.orders.create({ amount: tenge('500'), external_id: 'order-42' });
 * // redirect the shopper to order.checkout_url
 * ```
 */
export function createIokaClient(
  settings: IokaSettings = {},
  internals: IokaClientInternals = {},
): IokaClient {
  const resolved = resolveIokaSettings(settings);
  const secrets = (): readonly string[] => {
    const key = resolved.loadedApiKey();
    const extra = internals.extraSecrets?.() ?? [];
    return key ? [key, ...extra] : extra;
  };
  const http = createHttpClient({
    ...toHttpClientSettings(settings),
    provider: 'ioka',
    baseUrl: resolved.baseUrl,
    userAgent: `@colchis/ioka/${VERSION}`,
    secrets,
    errorDetails: iokaErrorDetails,
    classifyError: createIokaErrorClassifier(secrets),
  });
  let authHeaders: Record<string, string> | undefined;

  async function send<T>(spec: {
    operation: string;
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
    path: string;
    schema?: z.ZodMiniType<T, unknown> | undefined;
    query?: Record<string, QueryValue> | undefined;
    json?: unknown;
    options?: RequestOptions | undefined;
  }): Promise<{ data: T; total: number | undefined }> {
    // The key is read once, on the first request (not at construction, so importing and
    // creating a client never throws, and webhook-only processes need no API key).
    authHeaders ??= { 'api-key': resolved.apiKey() };
    const result = await http.request<unknown>({
      operation: spec.operation,
      method: spec.method,
      path: spec.path,
      query: spec.query,
      json: spec.json,
      headers: authHeaders,
      options: spec.options,
    });
    const rawCount = result.headers['x-count'];
    const countHeader = Array.isArray(rawCount) ? rawCount[0] : rawCount;
    const total =
      countHeader !== undefined && /^\d+$/.test(countHeader.trim()) ? Number(countHeader) : undefined;
    const data = spec.schema
      ? parseIokaResponse(spec.schema, result.data, spec.operation, result.requestId)
      : (undefined as T);
    return { data, total };
  }

  const orders: IokaOrdersApi = {
    async create(params, options) {
      const json = orderCreateBody(params);
      return (
        await send({
          operation: 'createOrder',
          method: 'POST',
          path: '/v2/orders',
          json,
          schema: iokaOrderAndAccessTokenSchema,
          options,
        })
      ).data;
    },
    async get(orderId, options) {
      const path = `/v2/orders/${pathSegment(orderId, 'orderId')}`;
      return (await send({ operation: 'getOrder', method: 'GET', path, schema: iokaOrderSchema, options }))
        .data;
    },
    async list(params = {}, options) {
      const { data, total } = await send({
        operation: 'listOrders',
        method: 'GET',
        path: '/v2/orders',
        query: listQuery(params),
        schema: orderListSchema,
        options,
      });
      return { data, total };
    },
    async findByExternalId(externalId, options) {
      assertOptionalText(externalId, 'externalId', { minLength: 1 });
      if (externalId === undefined) throw new InvalidRequestError('externalId is required.');
      const page = await orders.list({ external_id: externalId }, options);
      // The filter is ioka's; the exact match is checked here so a fuzzy match never counts.
      return page.data.find((order) => order.external_id === externalId);
    },
    async capture(orderId, params, options) {
      const path = `/v2/orders/${pathSegment(orderId, 'orderId')}/capture`;
      return (
        await send({
          operation: 'captureOrder',
          method: 'POST',
          path,
          json: amountBody(params, 'capture'),
          schema: iokaPaymentSchema,
          options,
        })
      ).data;
    },
    async cancel(orderId, params = {}, options) {
      const path = `/v2/orders/${pathSegment(orderId, 'orderId')}/cancel`;
      return (
        await send({
          operation: 'cancelOrder',
          method: 'POST',
          path,
          json: reasonBody(params),
          schema: iokaPaymentSchema,
          options,
        })
      ).data;
    },
    async listEvents(orderId, options) {
      const path = `/v2/orders/${pathSegment(orderId, 'orderId')}/events`;
      return (
        await send({
          operation: 'listOrderEvents',
          method: 'GET',
          path,
          schema: orderEventListSchema,
          options,
        })
      ).data;
    },
  };

  const refunds: IokaRefundsApi = {
    async create(orderId, params, options) {
      const path = `/v2/orders/${pathSegment(orderId, 'orderId')}/refunds`;
      return (
        await send({
          operation: 'refundOrder',
          method: 'POST',
          path,
          json: amountBody(params, 'refund'),
          schema: iokaRefundSchema,
          options,
        })
      ).data;
    },
    async list(orderId, options) {
      const path = `/v2/orders/${pathSegment(orderId, 'orderId')}/refunds`;
      return (
        await send({ operation: 'listOrderRefunds', method: 'GET', path, schema: refundListSchema, options })
      ).data;
    },
    async get(orderId, refundId, options) {
      const path = `/v2/orders/${pathSegment(orderId, 'orderId')}/refunds/${pathSegment(refundId, 'refundId')}`;
      return (await send({ operation: 'getRefund', method: 'GET', path, schema: iokaRefundSchema, options }))
        .data;
    },
  };

  const paymentPath = (orderId: string, paymentId: string) =>
    `/v2/orders/${pathSegment(orderId, 'orderId')}/payments/${pathSegment(paymentId, 'paymentId')}`;

  const payments: IokaPaymentsApi = {
    async list(orderId, params = {}, options) {
      const path = `/v2/orders/${pathSegment(orderId, 'orderId')}/payments`;
      return send({
        operation: 'listPayments',
        method: 'GET',
        path,
        query: listQuery(params),
        schema: paymentListSchema,
        options,
      });
    },
    async get(orderId, paymentId, options) {
      return (
        await send({
          operation: 'getPayment',
          method: 'GET',
          path: paymentPath(orderId, paymentId),
          schema: iokaPaymentSchema,
          options,
        })
      ).data;
    },
    async capture(orderId, paymentId, params, options) {
      return (
        await send({
          operation: 'capturePayment',
          method: 'POST',
          path: `${paymentPath(orderId, paymentId)}/capture`,
          json: amountBody(params, 'capture'),
          schema: iokaPaymentSchema,
          options,
        })
      ).data;
    },
    async cancel(orderId, paymentId, params = {}, options) {
      return (
        await send({
          operation: 'cancelPayment',
          method: 'POST',
          path: `${paymentPath(orderId, paymentId)}/cancel`,
          json: reasonBody(params),
          schema: iokaPaymentSchema,
          options,
        })
      ).data;
    },
    async createRefund(orderId, paymentId, params, options) {
      return (
        await send({
          operation: 'createRefund',
          method: 'POST',
          path: `${paymentPath(orderId, paymentId)}/refunds`,
          json: amountBody(params, 'refund'),
          schema: iokaRefundSchema,
          options,
        })
      ).data;
    },
    async listRefunds(orderId, paymentId, params = {}, options) {
      return send({
        operation: 'listRefunds',
        method: 'GET',
        path: `${paymentPath(orderId, paymentId)}/refunds`,
        query: listQuery(params),
        schema: refundListSchema,
        options,
      });
    },
    async createCardPayment(orderId, params, options) {
      const path = `/v2/orders/${pathSegment(orderId, 'orderId')}/payments/card`;
      return (
        await send({
          operation: 'createCardPayment',
          method: 'POST',
          path,
          json: cardPaymentBody(params),
          schema: iokaPaymentSchema,
          options,
        })
      ).data;
    },
  };

  const customers: IokaCustomersApi = {
    async create(params = {}, options) {
      assertObject(params, 'customer');
      assertOptionalText(params.external_id, 'external_id', { minLength: 1 });
      assertOptionalText(params.email, 'email', { minLength: 1 });
      assertOptionalText(params.phone, 'phone', { minLength: 1 });
      return (
        await send({
          operation: 'createCustomer',
          method: 'POST',
          path: '/v2/customers',
          json: definedOnly({ ...params }),
          schema: iokaCustomerAndAccessTokenSchema,
          options,
        })
      ).data;
    },
    async get(customerId, options) {
      const path = `/v2/customers/${pathSegment(customerId, 'customerId')}`;
      return (
        await send({ operation: 'getCustomer', method: 'GET', path, schema: iokaCustomerSchema, options })
      ).data;
    },
    async list(params = {}, options) {
      return send({
        operation: 'listCustomers',
        method: 'GET',
        path: '/v2/customers',
        query: listQuery(params),
        schema: customerListSchema,
        options,
      });
    },
    async findByExternalId(externalId, options) {
      assertOptionalText(externalId, 'externalId', { minLength: 1 });
      if (externalId === undefined) throw new InvalidRequestError('externalId is required.');
      const page = await customers.list({ external_id: externalId }, options);
      return page.data.find((customer) => customer.external_id === externalId);
    },
    async delete(customerId, options) {
      const path = `/v2/customers/${pathSegment(customerId, 'customerId')}`;
      await send({ operation: 'deleteCustomer', method: 'DELETE', path, options });
    },
    async listEvents(customerId, options) {
      const path = `/v2/customers/${pathSegment(customerId, 'customerId')}/events`;
      return (
        await send({
          operation: 'listCustomerEvents',
          method: 'GET',
          path,
          schema: customerEventListSchema,
          options,
        })
      ).data;
    },
  };

  const cardsPath = (customerId: string) => `/v2/customers/${pathSegment(customerId, 'customerId')}/cards`;
  const cards: IokaCardsApi = {
    async list(customerId, options) {
      return (
        await send({
          operation: 'listCards',
          method: 'GET',
          path: cardsPath(customerId),
          schema: cardListSchema,
          options,
        })
      ).data;
    },
    async get(customerId, cardId, options) {
      return (
        await send({
          operation: 'getCard',
          method: 'GET',
          path: `${cardsPath(customerId)}/${pathSegment(cardId, 'cardId')}`,
          schema: iokaCardSchema,
          options,
        })
      ).data;
    },
    async delete(customerId, cardId, options) {
      await send({
        operation: 'deleteCard',
        method: 'DELETE',
        path: `${cardsPath(customerId)}/${pathSegment(cardId, 'cardId')}`,
        options,
      });
    },
  };

  const subscriptionPath = (subscriptionId: string) =>
    `/v2/subscriptions/${pathSegment(subscriptionId, 'subscriptionId')}`;
  const subscriptions: IokaSubscriptionsApi = {
    async create(params, options) {
      return (
        await send({
          operation: 'createSubscription',
          method: 'POST',
          path: '/v2/subscriptions',
          json: subscriptionBody(params, true),
          schema: iokaSubscriptionSchema,
          options,
        })
      ).data;
    },
    async get(subscriptionId, options) {
      return (
        await send({
          operation: 'getSubscription',
          method: 'GET',
          path: subscriptionPath(subscriptionId),
          schema: iokaSubscriptionSchema,
          options,
        })
      ).data;
    },
    async list(params = {}, options) {
      return send({
        operation: 'listSubscriptions',
        method: 'GET',
        path: '/v2/subscriptions',
        query: listQuery(params),
        schema: subscriptionListSchema,
        options,
      });
    },
    async changeStatus(subscriptionId, status, options) {
      assertOptionalEnum(status, 'status', ['ACTIVE', 'PAUSED', 'CANCELLED']);
      if (status === undefined) throw new InvalidRequestError('status is required.');
      return (
        await send({
          operation: 'changeSubscriptionStatus',
          method: 'POST',
          path: subscriptionPath(subscriptionId),
          json: { status },
          schema: iokaSubscriptionSchema,
          options,
        })
      ).data;
    },
    async update(subscriptionId, params, options) {
      return (
        await send({
          operation: 'updateSubscription',
          method: 'PATCH',
          path: subscriptionPath(subscriptionId),
          json: subscriptionBody(params, false),
          schema: iokaSubscriptionSchema,
          options,
        })
      ).data;
    },
    async listPayments(subscriptionId, params = {}, options) {
      return (
        await send({
          operation: 'listSubscriptionPayments',
          method: 'GET',
          path: `${subscriptionPath(subscriptionId)}/payments`,
          query: listQuery(params),
          schema: paymentListSchema,
          options,
        })
      ).data;
    },
  };

  const webhookPath = (webhookId: string) => `/v2/webhooks/${pathSegment(webhookId, 'webhookId')}`;
  const webhooks: IokaWebhooksApi = {
    async create(params, options) {
      return (
        await send({
          operation: 'createWebhook',
          method: 'POST',
          path: '/v2/webhooks',
          json: webhookBody(params, true),
          schema: iokaWebhookSchema,
          options,
        })
      ).data;
    },
    async list(options) {
      return (
        await send({
          operation: 'listWebhooks',
          method: 'GET',
          path: '/v2/webhooks',
          schema: webhookListSchema,
          options,
        })
      ).data;
    },
    async get(webhookId, options) {
      return (
        await send({
          operation: 'getWebhook',
          method: 'GET',
          path: webhookPath(webhookId),
          schema: iokaWebhookSchema,
          options,
        })
      ).data;
    },
    async update(webhookId, params, options) {
      return (
        await send({
          operation: 'updateWebhook',
          method: 'PATCH',
          path: webhookPath(webhookId),
          json: webhookBody(params, false),
          schema: iokaWebhookSchema,
          options,
        })
      ).data;
    },
    async delete(webhookId, options) {
      await send({ operation: 'deleteWebhook', method: 'DELETE', path: webhookPath(webhookId), options });
    },
  };

  return {
    environment: resolved.environment,
    baseUrl: resolved.baseUrl,
    orders,
    refunds,
    payments,
    customers,
    cards,
    subscriptions,
    webhooks,
    http,
  };
}

function assertObject(value: unknown, what: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidRequestError(`${what} must be an object, got ${describe(value)}.`);
  }
}

function definedOnly(body: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return body;
}

/** Validates `OrderIn` and builds the request body (unknown extra fields pass through). */
function orderCreateBody(params: IokaOrderCreateParams): Record<string, unknown> {
  assertObject(params, 'order');
  assertTiyn(params.amount, 'amount', 1);
  const body: Record<string, unknown> = { ...params };
  if (params.currency !== undefined) body.currency = normalizeCurrency(params.currency);
  assertOptionalEnum(params.capture_method, 'capture_method', ['AUTO', 'MANUAL']);
  assertOptionalText(params.external_id, 'external_id', { minLength: 1 });
  assertOptionalText(params.description, 'description');
  if (params.extra_info !== undefined) assertObject(params.extra_info, 'extra_info');
  assertOptionalInteger(params.attempts, 'attempts', 1, 50);
  if (params.due_date !== undefined) body.due_date = formatIokaDateTime(params.due_date, 'due_date');
  assertOptionalText(params.customer_id, 'customer_id', { minLength: 1 });
  assertOptionalText(params.card_id, 'card_id', { minLength: 1 });
  assertOptionalUrl(params.back_url, 'back_url');
  assertOptionalUrl(params.success_url, 'success_url');
  assertOptionalUrl(params.failure_url, 'failure_url');
  assertOptionalText(params.template, 'template');
  return definedOnly(body);
}

function amountBody(params: IokaCaptureParams | IokaRefundParams, what: 'capture' | 'refund') {
  assertObject(params, `${what} parameters`);
  // ioka's schema minimum for capture and refund amounts is 100 tiyn (1 tenge).
  assertTiyn(params.amount, `${what} amount`, 100);
  assertOptionalText(params.reason, 'reason', { maxLength: 255 });
  return definedOnly({ amount: params.amount, reason: params.reason });
}

function reasonBody(params: IokaCancelParams) {
  assertObject(params, 'cancel parameters');
  assertOptionalText(params.reason, 'reason', { maxLength: 255 });
  return definedOnly({ reason: params.reason });
}

function cardPaymentBody(params: IokaCardPaymentParams): Record<string, unknown> {
  assertObject(params, 'card payment');
  if (params.card_id === undefined && params.pan === undefined) {
    throw new InvalidRequestError('A card payment needs card_id (a saved card) or pan, exp and cvc.');
  }
  assertOptionalText(params.card_id, 'card_id', { minLength: 1 });
  if (params.pan !== undefined && !/^\d{12,19}$/.test(params.pan)) {
    throw new InvalidRequestError('pan must be 12 to 19 digits without spaces.');
  }
  if (params.exp !== undefined && !/^\d{2}\/\d{2}$/.test(params.exp)) {
    throw new InvalidRequestError('exp must be written MM/YY.');
  }
  if (params.cvc !== undefined && !/^\d{3,4}$/.test(params.cvc)) {
    throw new InvalidRequestError('cvc must be 3 or 4 digits.');
  }
  return definedOnly({ ...params });
}

function subscriptionBody(
  params: IokaSubscriptionCreateParams | IokaSubscriptionUpdateParams,
  creating: boolean,
): Record<string, unknown> {
  assertObject(params, 'subscription');
  const body: Record<string, unknown> = { ...params };
  if (creating) {
    assertOptionalText(params.customer_id, 'customer_id', { minLength: 1 });
    assertOptionalText(params.card_id, 'card_id', { minLength: 1 });
    if (params.customer_id === undefined || params.card_id === undefined) {
      throw new InvalidRequestError('A subscription needs customer_id and card_id of a saved card.');
    }
    if (params.next_pay === undefined) {
      throw new InvalidRequestError('A subscription needs next_pay: the date of the first charge.');
    }
  }
  if (creating || params.amount !== undefined) assertTiyn(params.amount, 'amount', 1);
  if (params.currency !== undefined) body.currency = normalizeCurrency(params.currency);
  if (params.next_pay !== undefined) body.next_pay = formatIokaDateTime(params.next_pay, 'next_pay');
  assertOptionalInteger(params.step, 'step', 1, 10_000);
  assertOptionalEnum(params.unit, 'unit', ['DAY', 'WEEK', 'MONTH']);
  assertOptionalText(params.description, 'description');
  return definedOnly(body);
}

function webhookBody(params: IokaWebhookCreateParams | IokaWebhookUpdateParams, creating: boolean) {
  assertObject(params, 'webhook');
  if (creating || params.url !== undefined) {
    if (params.url === undefined) throw new InvalidRequestError('A webhook needs url: your HTTPS endpoint.');
    assertOptionalUrl(params.url, 'url');
  }
  if (creating || params.events !== undefined) {
    const events = params.events;
    if (!Array.isArray(events) || events.length === 0 || events.some((event) => typeof event !== 'string')) {
      throw new InvalidRequestError(
        'events must list at least one event name, e.g. ["PAYMENT_CAPTURED", "PAYMENT_DECLINED"].',
      );
    }
  }
  return definedOnly({
    url: params.url,
    events: params.events === undefined ? undefined : [...params.events],
  });
}

/** Turns list filters into query parameters (dates in ioka's format, `undefined` dropped). */
function listQuery(params: object): Record<string, QueryValue> {
  assertObject(params, 'filters');
  const query: Record<string, QueryValue> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (value instanceof Date || name.endsWith('_dt') || name === 'next_pay') {
      query[name] = formatIokaDateTime(value as Date | string, name);
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      query[name] = value;
    } else {
      throw new InvalidRequestError(
        `Filter ${name} must be a string, number or date, got ${describe(value)}.`,
      );
    }
  }
  return query;
}
