import { createHttpClient, type HttpClient, type RequestOptions, toHttpClientSettings } from '@colchis/core';
import * as z from 'zod/mini';
import {
  type IpayCreateOrderResponse,
  type IpayOrderDetails,
  type IpayPaymentDetails,
  type IpayPreAuthorizationResponse,
  type IpayRecurringPaymentResponse,
  type IpayRefundResponse,
  ipayCreateOrderResponseSchema,
  ipayOrderDetailsSchema,
  ipayPaymentDetailsSchema,
  ipayPreAuthorizationResponseSchema,
  ipayRecurringPaymentResponseSchema,
  ipayRefundResponseSchema,
  parseIpayResponse,
} from './ipay-api.js';
import { createIpayTokenSource } from './ipay-auth.js';
import { ipayErrorDetails } from './ipay-errors.js';
import {
  assertIpayText,
  type IpayCreateOrderRequest,
  type IpayPreAuthorizationRequest,
  type IpayRecurringPaymentRequest,
  type IpayRefundRequest,
  validateCreateOrderRequest,
  validatePreAuthorizationRequest,
  validateRecurringPaymentRequest,
  validateRefundRequest,
} from './ipay-requests.js';
import { type IpayClientSettings, type IpayEnvironment, resolveIpaySettings } from './ipay-settings.js';
import { VERSION } from './ipay-version.js';

/**
 * The legacy iPay API (`https://ipay.ge/opay/api/v1`), one method per documented endpoint,
 * with iPay's own field names. Requests are checked before they are sent. iPay honours no
 * idempotency key, so the money-moving calls (`createOrder`, `refund`, `createRecurringPayment`,
 * `completePreAuthorization`) are never repeated once they may have reached iPay: after a
 * timeout or a dropped connection, check with `getPaymentDetails` before trying again.
 */
export interface IpayClient {
  readonly environment: IpayEnvironment;
  /** The API base URL in use. */
  readonly baseUrl: string;
  /** A valid access token (`POST /oauth2/token`), cached and refreshed early. */
  getAccessToken(options?: RequestOptions): Promise<string>;
  /** Order Request: `POST /checkout/orders`. Redirect the customer to the `approve` link. */
  createOrder(request: IpayCreateOrderRequest, options?: RequestOptions): Promise<IpayCreateOrderResponse>;
  /** Payment Details: `GET /checkout/payment/{order_id}` (status, payment_hash, card, pre-auth status). */
  getPaymentDetails(orderId: string, options?: RequestOptions): Promise<IpayPaymentDetails>;
  /** The order itself (`GET /checkout/orders/{order_id}`, the `rel: "self"` link): carries the amount. */
  getOrderDetails(orderId: string, options?: RequestOptions): Promise<IpayOrderDetails>;
  /**
   * Payment Amount Return: `POST /checkout/refund`, form-encoded. Omit `amount` for a full refund.
   * Cannot be undone.
   */
  refund(request: IpayRefundRequest, options?: RequestOptions): Promise<IpayRefundResponse>;
  /**
   * Recurring Payments: `POST /checkout/payment/subscription`. Charges the card of an earlier
   * successful payment without the customer. Off until BOG enables it for the merchant. The answer
   * is usually `in_progress`: follow with `getPaymentDetails` on the returned `order_id`.
   */
  createRecurringPayment(
    request: IpayRecurringPaymentRequest,
    options?: RequestOptions,
  ): Promise<IpayRecurringPaymentResponse>;
  /**
   * Pre-Authorization: `POST /checkout/payment/{order_id}/pre-auth/completion` with
   * `FULL_COMPLETE`, `PARTIAL_COMPLETE` (and an amount) or `CANCEL`.
   */
  completePreAuthorization(
    orderId: string,
    request: IpayPreAuthorizationRequest,
    options?: RequestOptions,
  ): Promise<IpayPreAuthorizationResponse>;
}

/**
 * Creates an iPay client.
 *
 * @example
 * ```ts
 * import { createIpayClient } from '@colchis/bog/ipay';
 *
 * const client = createIpayClient({ environment: 'sandbox', clientId: '1006', secretKey: 'your-secret-key' });
 * const details = await client.getPaymentDetails('899318b1ce0d5885cb7405fe86e3930178ff90be');
 * ```
 */
export function createIpayClient(settings: IpayClientSettings = {}): IpayClient {
  const resolved = resolveIpaySettings(settings);
  const http: HttpClient = createHttpClient({
    ...toHttpClientSettings(settings),
    provider: 'ipay',
    baseUrl: resolved.baseUrl,
    userAgent: `@colchis/bog/${VERSION}`,
    secrets: () => [resolved.secretKey],
    errorDetails: ipayErrorDetails,
  });
  const tokens = createIpayTokenSource(resolved, http, settings.tokenCache);
  const auth = tokens.auth;

  async function get<Schema extends z.ZodMiniType>(
    operation: string,
    path: string,
    schema: Schema,
    options: RequestOptions | undefined,
  ): Promise<z.infer<Schema>> {
    const result = await http.request({ operation, method: 'GET', path, auth, options });
    return parseIpayResponse(schema, result.data, operation);
  }

  return {
    environment: resolved.environment,
    baseUrl: resolved.baseUrl,
    getAccessToken: (options) => tokens.cache.getToken({ signal: options?.signal }),

    async createOrder(request, options) {
      validateCreateOrderRequest(request);
      const result = await http.request({
        operation: 'createOrder',
        method: 'POST',
        path: '/checkout/orders',
        json: request,
        auth,
        options,
      });
      return parseIpayResponse(ipayCreateOrderResponseSchema, result.data, 'createOrder');
    },

    async getPaymentDetails(orderId, options) {
      assertIpayText(orderId, 'order_id');
      return get(
        'getPaymentDetails',
        `/checkout/payment/${encodeURIComponent(orderId)}`,
        ipayPaymentDetailsSchema,
        options,
      );
    },

    async getOrderDetails(orderId, options) {
      assertIpayText(orderId, 'order_id');
      return get(
        'getOrderDetails',
        `/checkout/orders/${encodeURIComponent(orderId)}`,
        ipayOrderDetailsSchema,
        options,
      );
    },

    async refund(request, options) {
      validateRefundRequest(request);
      const result = await http.request<string>({
        operation: 'refund',
        method: 'POST',
        path: '/checkout/refund',
        form: { order_id: request.order_id, amount: request.amount },
        auth,
        // The docs show no response body: a 2xx is the answer. Reading it as text means an
        // unexpected body can never turn a refund that happened into an error.
        responseType: 'text',
        options,
      });
      return lenient(ipayRefundResponseSchema, result.data);
    },

    async createRecurringPayment(request, options) {
      validateRecurringPaymentRequest(request);
      const result = await http.request({
        operation: 'createRecurringPayment',
        method: 'POST',
        path: '/checkout/payment/subscription',
        json: request,
        auth,
        options,
      });
      return parseIpayResponse(ipayRecurringPaymentResponseSchema, result.data, 'createRecurringPayment');
    },

    async completePreAuthorization(orderId, request, options) {
      validatePreAuthorizationRequest(orderId, request);
      const result = await http.request<string>({
        operation: 'completePreAuthorization',
        method: 'POST',
        path: `/checkout/payment/${encodeURIComponent(orderId)}/pre-auth/completion`,
        json: request.amount === undefined ? { auth_type: request.auth_type } : request,
        auth,
        responseType: 'text',
        options,
      });
      return lenient(ipayPreAuthorizationResponseSchema, result.data);
    },
  };
}

// For answers to calls that moved money: whatever the body, the call succeeded (HTTP 2xx), so
// an odd body is kept as far as it can be read instead of being thrown.
function lenient<Schema extends z.ZodMiniType>(schema: Schema, text: string): z.infer<Schema> {
  let data: unknown = {};
  if (text.trim() !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = { message: text.trim().slice(0, 300) };
    }
  }
  const result = z.safeParse(schema, data);
  return result.success ? result.data : (z.parse(schema, {}) as z.infer<Schema>);
}
