import {
  assertMinorUnits,
  type CaptureInput,
  type ChargeSavedMethodInput,
  type CreatePaymentInput,
  InvalidRequestError,
  type Money,
  type Payment,
  type PaymentProvider,
  type ProviderCapabilities,
  type Refund,
  type RefundInput,
  type RequestOptions,
  type WebhookEvent,
} from '@colchis/core';
import { toBogCurrency } from './bog-amount.js';
import { BogClient } from './bog-client.js';
import type { BogBasketItem, BogCreateOrderInput, BogOrder } from './bog-client-types.js';
import { toBogIdempotencyKey } from './bog-idempotency-key.js';
import { type BogLanguage, type BogSettings, type BogTheme, resolveBogSettings } from './bog-settings.js';
import { type BogSavedMethod, mapBogPayment } from './map-bog-payment.js';

/**
 * Bank of Georgia-only options of {@link BogProvider.createPayment}, passed as
 * `providerOptions: { bog: { ... } }`. Fields of the order override what the provider derives.
 */
export interface BogProviderOptions extends Partial<Omit<BogCreateOrderInput, 'purchaseUnits'>> {
  /** Extra `purchase_units` fields (`totalDiscountAmount`, `delivery`, or a `basket` of your own). */
  purchaseUnits?: Partial<BogCreateOrderInput['purchaseUnits']> | undefined;
  /** Hosted page language; default from `locale`. */
  language?: BogLanguage | undefined;
  /** Hosted page theme. */
  theme?: BogTheme | undefined;
}

/** The Bank of Georgia {@link PaymentProvider}, with the gateway client underneath. */
export interface BogProvider extends PaymentProvider {
  readonly id: 'bog';
  /** The client for Bank of Georgia-only features (Apple Pay accept, saved-card deletion, ...). */
  readonly client: BogClient;
}

/** What Bank of Georgia can do, honestly. */
export const BOG_CAPABILITIES: ProviderCapabilities = Object.freeze({
  manualCapture: true,
  partialCapture: true,
  cancel: true,
  refund: true,
  partialRefund: true,
  savedMethods: true,
  webhooks: 'signed',
});

function invalid(message: string): InvalidRequestError {
  return new InvalidRequestError(message, { provider: 'bog' });
}

function checkMoney(money: Money | undefined, what: string): { amount: number; currency: string } {
  if (!money || typeof money !== 'object') {
    throw invalid(`${what} is required: { amount: <minor units>, currency: "GEL" }.`);
  }
  assertMinorUnits(money.amount, `${what}.amount`);
  if (money.amount === 0) throw invalid(`${what}.amount must be more than zero.`);
  return { amount: money.amount, currency: toBogCurrency(money.currency) };
}

function checkReference(reference: unknown): string {
  if (typeof reference !== 'string' || reference.trim() === '') {
    throw invalid('reference is required: your order id, sent to Bank of Georgia as external_order_id.');
  }
  return reference;
}

function languageOf(locale: string | undefined): BogLanguage | undefined {
  const primary = locale?.toLowerCase().split(/[-_]/)[0];
  return primary === 'ka' || primary === 'en' ? primary : undefined;
}

function bogOptions(
  providerOptions: Record<string, Record<string, unknown>> | undefined,
): BogProviderOptions {
  const options = providerOptions?.bog;
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw invalid('providerOptions.bog must be an object.');
  }
  return (options ?? {}) as BogProviderOptions;
}

function firstDefined<T>(...values: Array<T | undefined>): T | undefined {
  for (const value of values) if (value !== undefined) return value;
  return undefined;
}

/**
 * Creates the Bank of Georgia provider. Settings fall back to `BOG_CLIENT_ID`,
 * `BOG_CLIENT_SECRET`, `BOG_ENVIRONMENT` (and `BOG_CALLBACK_URL`, `BOG_CALLBACK_PUBLIC_KEY`).
 *
 * @example
 * ```ts
 * const bog = createBog({ environment: 'sandbox', callbackUrl: 'https://shop.example/bog/callback' });
 * const payment = await bog.createPayment({ amount: { amount: 2500, currency: 'GEL' }, reference: 'order-1001' });
 * // redirect the customer to payment.redirectUrl; the callback or getPayment tells the outcome
 * ```
 */
export function createBog(settings: BogSettings = {}): BogProvider {
  const client = new BogClient(settings);
  const resolved = resolveBogSettings(settings);
  const pageUrl = client.urls.paymentPageUrl;

  const getPayment = async (id: string, options?: RequestOptions): Promise<Payment> =>
    mapBogPayment(await client.getPaymentDetails(id, options), pageUrl);

  function callbackUrlOf(webhookUrl: string | undefined): string {
    const url = webhookUrl ?? resolved.callbackUrl;
    if (url === undefined) {
      throw invalid(
        'Bank of Georgia needs a callback URL with every order: pass webhookUrl, or set callbackUrl in createBog() (or BOG_CALLBACK_URL).',
      );
    }
    return url;
  }

  function orderPayment(
    order: BogOrder,
    money: { amount: number; currency: string },
    reference: string,
  ): Payment {
    if (order.orderDetails) return mapBogPayment(order.orderDetails, pageUrl);
    const payment: Payment = {
      provider: 'bog',
      id: order.id,
      status: order.redirectUrl || order.acceptUrl ? 'requires_action' : 'processing',
      rawStatus: order.status ?? 'created',
      amount: money,
      amountCaptured: 0,
      amountRefunded: 0,
      reference,
      raw: order.raw,
    };
    if (order.redirectUrl) {
      payment.redirectUrl = order.redirectUrl;
      payment.nextAction = { type: 'redirect', url: order.redirectUrl, method: 'GET' };
    }
    return payment;
  }

  return {
    id: 'bog',
    capabilities: BOG_CAPABILITIES,
    client,

    async createPayment(input: CreatePaymentInput, options: RequestOptions = {}): Promise<Payment> {
      if (!input || typeof input !== 'object') throw invalid('createPayment needs an input object.');
      const money = checkMoney(input.amount, 'amount');
      const reference = checkReference(input.reference);
      const extra = bogOptions(input.providerOptions);
      const save = input.savePaymentMethod === true ? 'off_session' : input.savePaymentMethod || undefined;
      if (save !== undefined && save !== 'on_session' && save !== 'off_session') {
        throw invalid('savePaymentMethod must be true, "on_session" or "off_session".');
      }
      let basket: BogBasketItem[];
      if (input.lineItems && input.lineItems.length > 0) {
        basket = input.lineItems.map((item, index) => {
          assertMinorUnits(item.unitAmount, `lineItems[${index}].unitAmount`);
          return {
            productId: item.id ?? item.name,
            description: item.description ?? item.name,
            quantity: item.quantity,
            unitPrice: item.unitAmount,
            image: item.imageUrl,
          };
        });
      } else {
        basket = [
          {
            productId: reference,
            description: input.description ?? reference,
            quantity: 1,
            unitPrice: money.amount,
          },
        ];
      }
      const customer = input.customer;
      const buyer =
        customer && (customer.name || customer.email || customer.phone)
          ? { fullName: customer.name, maskedEmail: customer.email, maskedPhone: customer.phone }
          : undefined;
      const returnUrl = input.returnUrl;
      const failUrl = input.cancelUrl ?? input.returnUrl;
      const { language, theme, purchaseUnits: extraUnits, ...orderOverrides } = extra;
      const order: BogCreateOrderInput = {
        callbackUrl: callbackUrlOf(input.webhookUrl),
        externalOrderId: reference,
        capture: input.capture,
        buyer,
        redirectUrls: returnUrl || failUrl ? { success: returnUrl, fail: failUrl } : undefined,
        ...orderOverrides,
        purchaseUnits: {
          currency: money.currency,
          totalAmount: money.amount,
          basket,
          ...extraUnits,
        },
      };
      if (order.callbackUrl === undefined) order.callbackUrl = callbackUrlOf(input.webhookUrl);
      const callerKey = input.idempotencyKey ?? options.idempotencyKey;
      const createKey = await toBogIdempotencyKey(callerKey);
      const created = await client.createOrder(order, {
        ...options,
        idempotencyKey: createKey,
        language: firstDefined(language, languageOf(input.locale)),
        theme,
      });
      if (save !== undefined) {
        // BOG saves the card only if asked between creating the order and the customer paying:
        // asking later (after the redirect) silently saves nothing.
        const saveOptions = { ...options, idempotencyKey: await toBogIdempotencyKey(createKey, 'save-card') };
        if (save === 'on_session') await client.saveCardForRecurrentPayments(created.id, saveOptions);
        else await client.saveCardForAutomaticPayments(created.id, saveOptions);
      }
      return orderPayment(created, money, reference);
    },

    getPayment,

    async refund(id: string, input: RefundInput = {}, options: RequestOptions = {}): Promise<Refund> {
      const result = await client.refund(
        id,
        { amount: input.amount },
        { ...options, idempotencyKey: input.idempotencyKey ?? options.idempotencyKey },
      );
      return {
        provider: 'bog',
        id: result.actionId ?? id,
        paymentId: id,
        status: 'pending',
        rawStatus: result.key,
        amount: input.amount,
        raw: result.raw,
      };
    },

    async capture(id: string, input: CaptureInput = {}, options: RequestOptions = {}): Promise<Payment> {
      await client.approvePreauthorization(
        id,
        { amount: input.amount },
        { ...options, idempotencyKey: input.idempotencyKey ?? options.idempotencyKey },
      );
      // Approval is accepted, not final: report the order as BOG shows it now. The status
      // becomes `captured` once BOG has carried the approval out (callback or getPayment).
      return getPayment(id, { signal: options.signal, timeout: options.timeout });
    },

    async cancel(id: string, options: RequestOptions = {}): Promise<Payment> {
      await client.cancelPreauthorization(id, {}, options);
      return getPayment(id, { signal: options.signal, timeout: options.timeout });
    },

    async chargeSavedMethod(input: ChargeSavedMethodInput, options: RequestOptions = {}): Promise<Payment> {
      if (!input || typeof input !== 'object') throw invalid('chargeSavedMethod needs an input object.');
      const saved = input.savedMethod as BogSavedMethod | undefined;
      if (!saved || typeof saved.id !== 'string' || saved.id === '') {
        throw invalid('savedMethod.id is required: the parent order id from payment.savedMethod.');
      }
      const money = checkMoney(input.amount, 'amount');
      const reference = checkReference(input.reference);
      const callerKey = input.idempotencyKey ?? options.idempotencyKey;
      const readOptions = { signal: options.signal, timeout: options.timeout };

      if (saved.usage === 'on_session') {
        // Recurrent: customer present, any amount, confirmed on the hosted page.
        const extra = bogOptions(input.providerOptions);
        const { language, theme, purchaseUnits: extraUnits, ...orderOverrides } = extra;
        const order = await client.payWithSavedCard(
          saved.id,
          {
            callbackUrl: callbackUrlOf(input.webhookUrl),
            externalOrderId: reference,
            redirectUrls: input.returnUrl ? { success: input.returnUrl, fail: input.returnUrl } : undefined,
            ...orderOverrides,
            purchaseUnits: {
              currency: money.currency,
              totalAmount: money.amount,
              basket: [
                {
                  productId: reference,
                  description: input.description ?? reference,
                  quantity: 1,
                  unitPrice: money.amount,
                },
              ],
              ...extraUnits,
            },
          },
          { ...options, idempotencyKey: await toBogIdempotencyKey(callerKey), language, theme },
        );
        return orderPayment(order, money, reference);
      }

      // Automatic (subscription): BOG charges the parent order's amount and currency, and offers no
      // way to change them. A different amount is refused here, before money moves, instead of
      // charging what the parent said.
      const fixed = saved.fixedAmount ?? (await getPayment(saved.id, readOptions)).amount;
      if (fixed.amount !== money.amount || fixed.currency !== money.currency) {
        throw invalid(
          `Bank of Georgia automatic payments always charge the amount of the order that saved the card (${fixed.amount} ${fixed.currency} minor units), and ${money.amount} ${money.currency} was asked. BOG cannot change it: create a new order with savePaymentMethod "off_session" for the new amount, or charge on-session (usage "on_session").`,
        );
      }
      const callbackUrl = input.webhookUrl ?? resolved.callbackUrl;
      const charge = await client.chargeSubscription(
        saved.id,
        { callbackUrl, externalOrderId: reference },
        { ...options, idempotencyKey: await toBogIdempotencyKey(callerKey) },
      );
      try {
        return await getPayment(charge.id, readOptions);
      } catch {
        // The charge was accepted; its outcome comes by callback. Do not fail a call that moved money.
        return {
          provider: 'bog',
          id: charge.id,
          status: 'processing',
          rawStatus: 'processing',
          amount: money,
          amountCaptured: 0,
          amountRefunded: 0,
          reference,
          raw: charge.raw,
        };
      }
    },

    async verifyWebhook(request): Promise<WebhookEvent> {
      const callback = await client.verifyCallback({ rawBody: request.rawBody, headers: request.headers });
      const payment = mapBogPayment(callback.paymentDetails, pageUrl);
      const refundStatus = /refund/.test(payment.rawStatus);
      return {
        provider: 'bog',
        type: refundStatus ? 'refund.updated' : 'payment.updated',
        paymentId: payment.id,
        reference: payment.reference,
        status: payment.status,
        rawStatus: payment.rawStatus,
        payment,
        signed: true,
        raw: callback.raw,
      };
    },
  };
}

let defaultProvider: BogProvider | undefined;
function defaultBog(): BogProvider {
  defaultProvider ??= createBog();
  return defaultProvider;
}

/**
 * The default provider, configured from the environment (`BOG_CLIENT_ID`, `BOG_CLIENT_SECRET`,
 * `BOG_ENVIRONMENT`) on first use, never at import: importing `@colchis/bog` never throws.
 */
export const bog: BogProvider = {
  id: 'bog',
  capabilities: BOG_CAPABILITIES,
  get client() {
    return defaultBog().client;
  },
  // async, so a configuration error (say, BOG_ENVIRONMENT=staging) rejects the call's promise
  // rather than throwing where the caller expected a promise.
  createPayment: async (input, options) => defaultBog().createPayment(input, options),
  getPayment: async (id, options) => defaultBog().getPayment(id, options),
  refund: async (id, input, options) => defaultBog().refund(id, input, options),
  capture: async (id, input, options) => defaultBog().capture(id, input, options),
  cancel: async (id, options) => defaultBog().cancel(id, options),
  chargeSavedMethod: async (input, options) => defaultBog().chargeSavedMethod(input, options),
  verifyWebhook: async (request) => defaultBog().verifyWebhook(request),
};
