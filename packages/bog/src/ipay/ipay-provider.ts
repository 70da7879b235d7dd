import {
  assertMinorUnits,
  type CaptureInput,
  type ChargeSavedMethodInput,
  type CreatePaymentInput,
  type HeadersLike,
  InvalidRequestError,
  type Money,
  normalizeCurrency,
  PaymentDeclinedError,
  type PaymentProvider,
  type ProviderCapabilities,
  parseGatewayAmount,
  type Refund,
  type RefundInput,
  type RefundStatus,
  type RequestOptions,
  ResponseValidationError,
  redact,
  toDecimalString,
} from '@colchis/core';
import type { IpayOrderDetails } from './ipay-api.js';
import { createIpayClient, type IpayClient } from './ipay-client.js';
import { getIpayApproveUrl, getIpayOrderId } from './ipay-order-links.js';
import { type IpayPayment, ipayFailure, toIpayPayment } from './ipay-payment.js';
import {
  assertIpayText,
  assertIpayUrl,
  type IpayAuthType,
  type IpayCreateOrderRequest,
  type IpayIntent,
  type IpayOrderItem,
} from './ipay-requests.js';
import type { IpayClientSettings } from './ipay-settings.js';
import {
  type IpayOrderLookup,
  type IpayStoredOrder,
  type IpayVerifyWebhookOptions,
  type IpayWebhookEvent,
  verifyIpayCallback,
} from './ipay-webhook.js';
import { mapIpayStatus } from './map-ipay-status.js';

/** Settings of {@link createIpay}: the client's settings plus how to find stored orders. */
export interface IpayProviderSettings extends IpayClientSettings {
  /**
   * Finds what you stored for an iPay order (its `paymentHash`, and ideally `amount` and
   * `reference`). Required to verify callbacks (they are unsigned); with `amount` it also spares
   * `getPayment` a second request, since iPay's Payment Details carry no amount.
   */
  lookupOrder?: IpayOrderLookup | undefined;
  /** An existing client to use instead of building one from these settings. */
  client?: IpayClient | undefined;
}

/** Gateway-only options of `createPayment`, under `providerOptions.ipay`. */
export interface IpayCreatePaymentOptions {
  /**
   * `CAPTURE` (default): card or BOG internet-bank login; `AUTHORIZE`: card only (the default
   * when saving the card, since only card payments can be charged again). Not pre-authorization:
   * use `capture: 'manual'` for that.
   */
  intent?: IpayIntent | undefined;
  /** Prefix the bank-statement text with your reference. */
  showShopOrderIdOnExtract?: boolean | undefined;
  /** `transaction_id` of an earlier card payment, to pay with the same card on the page. */
  cardTransactionId?: string | undefined;
  /** Your own `items[]` (major-unit strings); they must add up to the amount. */
  items?: readonly IpayOrderItem[] | undefined;
}

/** The iPay {@link PaymentProvider}, with iPay's `paymentHash` on payments and a richer `verifyWebhook`. */
export interface IpayProvider extends PaymentProvider {
  readonly id: 'ipay';
  /** The underlying client, for iPay-only calls. */
  readonly client: IpayClient;
  createPayment(input: CreatePaymentInput, options?: RequestOptions): Promise<IpayPayment>;
  getPayment(id: string, options?: RequestOptions): Promise<IpayPayment>;
  capture(id: string, input?: CaptureInput, options?: RequestOptions): Promise<IpayPayment>;
  cancel(id: string, options?: RequestOptions): Promise<IpayPayment>;
  chargeSavedMethod(input: ChargeSavedMethodInput, options?: RequestOptions): Promise<IpayPayment>;
  /**
   * Authenticates an (unsigned) iPay callback by `order_id` + `payment_hash` against your stored
   * order, then re-fetches the payment and reports iPay's answer (`signed: false`).
   */
  verifyWebhook(
    request: { rawBody: string | Uint8Array; headers: HeadersLike },
    options?: IpayVerifyWebhookOptions,
  ): Promise<IpayWebhookEvent>;
}

const CAPABILITIES: ProviderCapabilities = Object.freeze({
  manualCapture: true,
  partialCapture: true,
  cancel: true,
  refund: true,
  partialRefund: true,
  savedMethods: true,
  webhooks: 'unsigned',
});

const GEL = 'GEL';

/**
 * The legacy Bank of Georgia iPay as a Colchis {@link PaymentProvider} (`id: 'ipay'`). New
 * integrations should use Payments v1 (`createBog` from `@colchis/bog`); see the migration guide.
 *
 * @example
 * ```ts
 * import { createIpay } from '@colchis/bog/ipay';
 *
 * const ipay = createIpay({
 *   environment: 'sandbox',
 *   lookupOrder: async (orderId) => undefined, // read { paymentHash, amount, reference } from your database
 * });
 * const payment = await ipay.createPayment({
 *   amount: { amount: 1050, currency: 'GEL' },
 *   reference: 'enrollment-42',
 *   returnUrl: 'https://school.example/payment/return',
 * });
 * // Store payment.id and payment.paymentHash, then redirect to payment.redirectUrl.
 * ```
 */
export function createIpay(settings: IpayProviderSettings = {}): IpayProvider {
  const client = settings.client ?? createIpayClient(settings);
  const lookupOrder = settings.lookupOrder;

  async function stored(orderId: string): Promise<IpayStoredOrder | undefined> {
    return (await lookupOrder?.(orderId)) ?? undefined;
  }

  /** The order's amount: from what the caller stored, else from the order itself. */
  async function orderAmount(
    orderId: string,
    known: IpayStoredOrder | undefined,
    options: RequestOptions | undefined,
  ): Promise<Money> {
    if (known?.amount) return known.amount;
    const order = await client.getOrderDetails(orderId, options);
    return amountOfOrder(order, orderId);
  }

  async function fetchPayment(
    orderId: string,
    known: IpayStoredOrder | undefined,
    options: RequestOptions | undefined,
    amountCaptured?: number,
  ): Promise<IpayPayment> {
    const [details, amount] = await Promise.all([
      client.getPaymentDetails(orderId, options),
      orderAmount(orderId, known, options),
    ]);
    return toIpayPayment(details, { orderId, amount, reference: known?.reference, amountCaptured });
  }

  async function completePreAuthorization(
    id: string,
    authType: IpayAuthType,
    amount: number | undefined,
    options: RequestOptions | undefined,
  ): Promise<IpayPayment> {
    const answer = await client.completePreAuthorization(
      id,
      amount === undefined
        ? { auth_type: authType }
        : { auth_type: authType, amount: toDecimalString(amount, GEL) },
      options,
    );
    const status = answer.status?.toLowerCase();
    if (status === 'error' || status === 'failed') {
      throw new InvalidRequestError(
        `ipay refused to ${authType === 'CANCEL' ? 'cancel' : 'complete'} the pre-authorization of order ${id}${answer.description ? `: ${answer.description}` : '.'}`,
        { provider: 'ipay', rawBody: answer },
      );
    }
    // The completion answer says nothing about the payment: read it back.
    const known = await stored(id);
    return fetchPayment(id, known, readOptions(options), amount);
  }

  return {
    id: 'ipay',
    capabilities: CAPABILITIES,
    client,

    async createPayment(input, options) {
      const amount = checkGelAmount(input.amount, 'amount');
      assertIpayText(input.reference, 'reference');
      if (input.returnUrl === undefined) {
        throw new InvalidRequestError(
          'ipay needs returnUrl: iPay sends the customer there after paying or failing (redirect_url is required).',
          { provider: 'ipay' },
        );
      }
      assertIpayUrl(input.returnUrl, 'returnUrl');
      const extra = (input.providerOptions?.ipay ?? {}) as IpayCreatePaymentOptions;
      const saving = input.savePaymentMethod !== undefined && input.savePaymentMethod !== false;
      const request: IpayCreateOrderRequest = {
        intent: extra.intent ?? (saving ? 'AUTHORIZE' : 'CAPTURE'),
        items: extra.items ?? orderItems(input, amount),
        purchase_units: [{ amount: { currency_code: GEL, value: toDecimalString(amount, GEL) } }],
        redirect_url: input.returnUrl,
        shop_order_id: input.reference,
        capture_method: input.capture === 'manual' ? 'MANUAL' : 'AUTOMATIC',
        locale: ipayLocale(input.locale),
        show_shop_order_id_on_extract: extra.showShopOrderIdOnExtract,
        card_transaction_id: extra.cardTransactionId,
      };
      const response = await client.createOrder(request, options);
      const orderId = getIpayOrderId(response);
      if (orderId === undefined) {
        throw new ResponseValidationError(
          `ipay answered createOrder for ${input.reference} without an order_id, so the order cannot be followed. Check the iPay merchant portal for reference ${input.reference} before creating another.`,
          { provider: 'ipay', rawBody: response },
        );
      }
      const approveUrl = getIpayApproveUrl(response);
      if (approveUrl === undefined) {
        throw new ResponseValidationError(
          `ipay created order ${orderId} but sent no "approve" link to redirect the customer to.`,
          { provider: 'ipay', rawBody: response },
        );
      }
      return {
        provider: 'ipay',
        id: orderId,
        // A fresh order with a payment page waits for the customer, whatever the status text.
        status: 'requires_action',
        rawStatus: response.status ?? '',
        amount: { amount, currency: GEL },
        amountCaptured: 0,
        amountRefunded: 0,
        reference: input.reference,
        redirectUrl: approveUrl,
        nextAction: { type: 'redirect', url: approveUrl, method: 'GET' },
        paymentHash: response.payment_hash ?? undefined,
        raw: redact(response),
      };
    },

    async getPayment(id, options) {
      assertIpayText(id, 'payment id');
      return fetchPayment(id, await stored(id), options);
    },

    async refund(id, input: RefundInput = {}, options) {
      assertIpayText(id, 'payment id');
      let sendAmount: number | undefined;
      if (input.amount !== undefined) {
        assertPositiveMinorUnits(input.amount, 'refund amount');
        const full = await orderAmount(id, await stored(id), readOptions(options));
        if (input.amount > full.amount) {
          throw new InvalidRequestError(
            `ipay refund amount ${input.amount} is more than the payment's ${full.amount} (minor units).`,
            { provider: 'ipay' },
          );
        }
        // iPay refuses a "partial" amount equal to the paid amount: that is a full refund.
        sendAmount = input.amount < full.amount ? input.amount : undefined;
      }
      const answer = await client.refund(
        { order_id: id, amount: sendAmount === undefined ? undefined : toDecimalString(sendAmount, GEL) },
        withoutIdempotencyKey(options),
      );
      const rawStatus = answer.status ?? '';
      return {
        provider: 'ipay',
        id,
        paymentId: id,
        status: refundStatus(rawStatus),
        rawStatus,
        // A full refund returns what is left, which iPay does not report (earlier partial
        // refunds are not in Payment Details): its amount is unknown here.
        amount: sendAmount,
        currency: GEL,
        raw: redact(answer),
      } satisfies Refund;
    },

    async capture(id, input: CaptureInput = {}, options) {
      assertIpayText(id, 'payment id');
      if (input.amount === undefined)
        return completePreAuthorization(id, 'FULL_COMPLETE', undefined, options);
      assertPositiveMinorUnits(input.amount, 'capture amount');
      const full = await orderAmount(id, await stored(id), readOptions(options));
      if (input.amount > full.amount) {
        throw new InvalidRequestError(
          `ipay capture amount ${input.amount} is more than the ${full.amount} held (minor units).`,
          { provider: 'ipay' },
        );
      }
      // iPay refuses a partial amount equal to the held amount: that is a full completion.
      return input.amount < full.amount
        ? completePreAuthorization(id, 'PARTIAL_COMPLETE', input.amount, options)
        : completePreAuthorization(id, 'FULL_COMPLETE', undefined, options);
    },

    async cancel(id, options) {
      assertIpayText(id, 'payment id');
      return completePreAuthorization(id, 'CANCEL', undefined, options);
    },

    async chargeSavedMethod(input, options) {
      assertIpayText(input.savedMethod?.id, 'savedMethod.id (the order_id of an earlier card payment)');
      const amount = checkGelAmount(input.amount, 'amount');
      assertIpayText(input.reference, 'reference');
      const answer = await client.createRecurringPayment(
        {
          order_id: input.savedMethod.id,
          amount: { currency_code: GEL, value: toDecimalString(amount, GEL) },
          shop_order_id: input.reference,
          purchase_description: input.description,
        },
        withoutIdempotencyKey(options),
      );
      const rawStatus = answer.status ?? '';
      const status = mapIpayStatus(rawStatus);
      const orderId = answer.order_id ?? undefined;
      if (orderId === undefined) {
        if (status === 'failed') {
          throw new PaymentDeclinedError(
            `ipay declined the recurring charge of ${input.savedMethod.id} for ${input.reference}. Check that BOG enabled recurring payments for your merchant.`,
            { provider: 'ipay', rawBody: answer, declineCode: 'card_declined' },
          );
        }
        throw new ResponseValidationError(
          `ipay answered the recurring charge for ${input.reference} with status ${JSON.stringify(rawStatus)} but no order_id, so it cannot be followed. Do not repeat it: look up reference ${input.reference} in the iPay merchant portal.`,
          { provider: 'ipay', rawBody: answer },
        );
      }
      const payment: IpayPayment = {
        provider: 'ipay',
        id: orderId,
        status,
        rawStatus,
        amount: { amount, currency: GEL },
        amountCaptured: status === 'captured' ? amount : 0,
        amountRefunded: 0,
        reference: input.reference,
        paymentHash: answer.payment_hash ?? undefined,
        raw: redact(answer),
      };
      if (status === 'failed') payment.failure = ipayFailure(undefined);
      return payment;
    },

    verifyWebhook(request, options = {}) {
      return verifyIpayCallback(
        request,
        options.lookupOrder ?? lookupOrder,
        options.expected,
        (orderId, known) => fetchPayment(orderId, known, undefined),
      );
    },
  };
}

function checkGelAmount(money: Money | undefined, field: string): number {
  if (!money || typeof money !== 'object') {
    throw new InvalidRequestError(`ipay ${field} is required: { amount: <minor units>, currency: 'GEL' }.`, {
      provider: 'ipay',
    });
  }
  const currency = normalizeCurrency(money.currency);
  if (currency !== GEL) {
    throw new InvalidRequestError(
      `ipay takes only GEL, got ${currency}. Use Bank of Georgia Payments v1 (createBog from "@colchis/bog") for USD, EUR or GBP.`,
      { provider: 'ipay' },
    );
  }
  assertPositiveMinorUnits(money.amount, field);
  return money.amount;
}

function assertPositiveMinorUnits(amount: unknown, field: string): asserts amount is number {
  assertMinorUnits(amount, field);
  if (amount === 0) throw new InvalidRequestError(`ipay ${field} must be more than 0.`, { provider: 'ipay' });
}

function orderItems(input: CreatePaymentInput, amount: number): IpayOrderItem[] {
  if (!input.lineItems || input.lineItems.length === 0) {
    return [
      {
        amount: toDecimalString(amount, GEL),
        description: input.description?.trim() || input.reference,
        quantity: 1,
        product_id: input.reference,
      },
    ];
  }
  let total = 0;
  const items = input.lineItems.map((item, index) => {
    assertMinorUnits(item.unitAmount, `lineItems[${index}].unitAmount`);
    if (!Number.isInteger(item.quantity) || item.quantity < 1) {
      throw new InvalidRequestError(`ipay lineItems[${index}].quantity must be a positive integer.`, {
        provider: 'ipay',
      });
    }
    assertIpayText(item.name, `lineItems[${index}].name`);
    // Integer minor units times an integer count: exact.
    total += item.unitAmount * item.quantity;
    return {
      amount: toDecimalString(item.unitAmount, GEL),
      description: item.name,
      quantity: item.quantity,
      product_id: item.id?.trim() || String(index + 1),
    };
  });
  if (total !== amount) {
    throw new InvalidRequestError(
      `ipay lineItems add up to ${total} but the amount is ${amount} (minor units): make them equal.`,
      { provider: 'ipay' },
    );
  }
  return items;
}

function ipayLocale(locale: string | undefined): 'ka' | 'en-US' | undefined {
  if (!locale) return undefined;
  const language = locale.toLowerCase().split(/[-_]/)[0];
  if (language === 'ka') return 'ka';
  // iPay's page speaks Georgian and English only; any other language gets English.
  return 'en-US';
}

function amountOfOrder(order: IpayOrderDetails, orderId: string): Money {
  const unit = order.purchaseUnit ?? order.purchase_units?.[0];
  const currency = unit?.amount?.currency_code?.trim() || GEL;
  const amount = parseGatewayAmount(unit?.amount?.value, currency, 'ipay');
  if (amount === undefined) {
    throw new ResponseValidationError(
      `ipay order ${orderId} came back without an amount. Pass lookupOrder returning { paymentHash, amount } to createIpay.`,
      { provider: 'ipay', rawBody: order },
    );
  }
  return { amount, currency: normalizeCurrency(currency) };
}

function refundStatus(rawStatus: string): RefundStatus {
  const status = rawStatus.toLowerCase();
  if (status === 'error' || status === 'failed') return 'failed';
  if (status === 'in_progress' || status === 'pending') return 'pending';
  // The docs: a 2xx means the amount was returned, and a return cannot be canceled.
  return 'succeeded';
}

// iPay honours no idempotency key: say so by not pretending to send one.
function withoutIdempotencyKey(options: RequestOptions | undefined): RequestOptions | undefined {
  if (!options || options.idempotencyKey === undefined) return options;
  const { idempotencyKey: _ignored, ...rest } = options;
  return rest;
}

// Options for the reads a write does around itself (no per-call headers meant for the write).
function readOptions(options: RequestOptions | undefined): RequestOptions | undefined {
  if (!options) return undefined;
  return { signal: options.signal, timeout: options.timeout, maxRetries: options.maxRetries };
}
