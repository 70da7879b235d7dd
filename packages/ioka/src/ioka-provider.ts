import {
  type CaptureInput,
  type ChargeSavedMethodInput,
  type ColchisError,
  ConflictError,
  ConnectionError,
  type CreatePaymentInput,
  type Customer,
  computeBackoffMs,
  GatewayError,
  InvalidRequestError,
  normalizeCurrency,
  type PaymentProvider,
  type ProviderCapabilities,
  type RequestOptions,
  readEnvironment,
  type SavedMethod,
  sleep,
  TimeoutError,
  type WebhookEvent,
} from '@colchis/core';
import type { IokaCustomer, IokaOrder, IokaPayment } from './ioka-api.js';
import { createIokaClient, type IokaClient, type IokaOrderCreateParams } from './ioka-client.js';
import { assertOptionalText, assertOptionalUrl, assertTiyn, describe } from './ioka-input.js';
import type { IokaSettings } from './ioka-settings.js';
import { verifyIokaWebhook } from './ioka-webhook.js';
import { toColchisPayment, toColchisRefund } from './map-ioka-payment.js';
import { resolveIokaStatus } from './map-ioka-status.js';
import { toColchisWebhookEvent } from './map-ioka-webhook-event.js';

/** Settings of {@link createIoka}: the client's, plus the webhook key. */
export interface IokaProviderSettings extends IokaSettings {
  /**
   * The `key` ioka returned when the webhook was registered (`client.webhooks.create`), used to
   * verify `X-Signature`. Several keys may be given (several webhooks, or a rotation). Default:
   * the `IOKA_WEBHOOK_KEY` environment variable (comma-separated for several), read when a
   * webhook is verified.
   */
  webhookKey?: string | readonly string[] | undefined;
}

/**
 * ioka-only options of `createPayment` and `chargeSavedMethod`, passed as
 * `providerOptions: { ioka: { ... } }`. Any `OrderIn` field (`attempts`, `due_date`, `template`,
 * `extra_info`, ...) is copied onto the order as well.
 */
export interface IokaPaymentOptions extends Partial<Omit<IokaOrderCreateParams, 'amount'>> {
  /**
   * `chargeSavedMethod` only: after creating the order, pay it from the server with the saved
   * card (`POST /v2/orders/{id}/payments/card {card_id}`) instead of returning the checkout page
   * where the shopper confirms the CVC. ioka restricts this call: ask ioka to enable it first.
   */
  payByCardId?: boolean | undefined;
  /** With `payByCardId`, the CVC when the card requires one (`cvc_required`). */
  cvc?: string | undefined;
}

/** A page where the shopper saves a card without paying (ioka's card-save form). */
export interface IokaCardSaveSession {
  /** ioka's customer id: keep it with your user, it is the `customerId` of saved methods. */
  customerId: string;
  /** Send the shopper here. */
  checkoutUrl: string;
  /** For ioka's client-side widget (`customerAccessToken`), if you embed it instead. */
  customerAccessToken: string | undefined;
}

/** The ioka `PaymentProvider`, with the client and ioka's saved-card helpers. */
export interface IokaProvider extends PaymentProvider {
  readonly id: 'ioka';
  /** The ioka API one to one (orders, payments, refunds, customers, cards, subscriptions, webhooks). */
  readonly client: IokaClient;
  /**
   * Finds (by `customer.id` as ioka's `external_id`) or creates the ioka customer and returns
   * its card-save page. ioka sends `CARD_APPROVED` / `CARD_DECLINED` webhooks (`card.updated`);
   * {@link IokaProvider.listSavedMethods} then lists the card.
   */
  createCardSaveSession(
    input: { customer: Customer },
    options?: RequestOptions,
  ): Promise<IokaCardSaveSession>;
  /** The customer's approved saved cards, ready for `chargeSavedMethod`. */
  listSavedMethods(customer: Customer, options?: RequestOptions): Promise<SavedMethod[]>;
}

const CAPABILITIES: ProviderCapabilities = Object.freeze({
  manualCapture: true,
  partialCapture: true,
  cancel: true,
  refund: true,
  partialRefund: true,
  savedMethods: true,
  webhooks: 'signed' as const,
});

/**
 * Creates the ioka provider.
 *
 * - The Colchis payment id is the ioka order id; `reference` is the order's `external_id`,
 *   which ioka keeps unique, so repeating `createPayment` with the same reference returns the
 *   same order (409 `OrderExists` is resolved by looking the order up), and a create whose
 *   outcome is unknown (504, timeout, lost connection) is reconciled by `external_id` before
 *   any new attempt.
 * - Status comes from the order and its payments (see {@link resolveIokaStatus}).
 *
 * @example
 * ```ts
 * const ioka = createIoka({ apiKey: process.env.IOKA_API_KEY, environment: 'stage' });
 * const payment = await ioka.createPayment({
 *   amount: { amount: tenge('500'), currency: 'KZT' },
 *   reference: 'donation-42',
 *   returnUrl: 'https://example.org/donations/42',
 * });
 * // redirect to payment.redirectUrl
 * ```
 */
export function createIoka(settings: IokaProviderSettings = {}): IokaProvider {
  const webhookKeys = (): readonly string[] => {
    const configured = settings.webhookKey ?? readEnvironment('IOKA_WEBHOOK_KEY');
    if (configured === undefined) return [];
    const list = typeof configured === 'string' ? configured.split(',') : [...configured];
    return list.map((key) => key.trim()).filter((key) => key !== '');
  };
  const client = createIokaClient(settings, { extraSecrets: webhookKeys });

  async function loadOrder(
    orderId: string,
    options: RequestOptions | undefined,
  ): Promise<{ order: IokaOrder; payments: IokaPayment[] }> {
    const order = await client.orders.get(orderId, options);
    return { order, payments: await paymentsOf(order, options) };
  }

  async function paymentsOf(order: IokaOrder, options: RequestOptions | undefined): Promise<IokaPayment[]> {
    // The current API embeds the payments in the order; v2.8 lists them separately.
    // An empty list is trusted only for an unpaid order; otherwise the list endpoint is asked.
    if (order.payments && (order.payments.length > 0 || order.status === 'UNPAID')) return order.payments;
    return (await client.payments.list(order.id, {}, options)).data;
  }

  async function createOrderIdempotently(
    body: IokaOrderCreateParams & { external_id: string },
    options: RequestOptions | undefined,
  ): Promise<{ order: IokaOrder; payments: IokaPayment[] }> {
    const maxRetries = Math.max(
      0,
      options?.maxRetries ?? settings.maxRetries ?? settings.retry?.maxRetries ?? 2,
    );
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await client.orders.create(body, options);
        return { order: created.order, payments: created.order.payments ?? [] };
      } catch (error) {
        if (ConflictError.isInstance(error)) {
          // 409 OrderExists: this reference was used before. Hand back that order.
          const existing = await client.orders.findByExternalId(body.external_id, options);
          if (!existing) throw error;
          return sameOrder(existing, body, options);
        }
        if (!outcomeUnknown(error)) throw error;
        // 504, a timeout or a dropped connection: the order may exist. Look before trying again,
        // so the shopper never ends up with two orders (ioka's unique external_id backs this up).
        let existing: IokaOrder | undefined;
        try {
          existing = await client.orders.findByExternalId(body.external_id, options);
        } catch {
          throw error;
        }
        if (existing) return sameOrder(existing, body, options);
        if (attempt > maxRetries) throw error;
        await sleep(computeBackoffMs(attempt, settings.retry), options?.signal);
      }
    }
  }

  async function sameOrder(
    existing: IokaOrder,
    body: IokaOrderCreateParams & { external_id: string },
    options: RequestOptions | undefined,
  ): Promise<{ order: IokaOrder; payments: IokaPayment[] }> {
    if (existing.amount !== body.amount) {
      throw new ConflictError(
        `ioka already has an order with external_id ${JSON.stringify(body.external_id)} for ${existing.amount} tiyn; this call asked for ${body.amount}. A reference identifies one payment: use a new reference for a different amount.`,
        { provider: 'ioka', statusCode: 409, code: 'OrderExists' },
      );
    }
    return { order: existing, payments: await paymentsOf(existing, options) };
  }

  async function resolveCustomerId(
    customer: Customer | undefined,
    create: boolean,
    options: RequestOptions | undefined,
  ): Promise<{ id: string; customer?: IokaCustomer | undefined } | undefined> {
    if (customer?.providerCustomerId) return { id: customer.providerCustomerId };
    const externalId = customer?.id;
    if (!externalId) {
      throw new InvalidRequestError(
        'ioka saves cards per customer: pass customer.id (your user id) or customer.providerCustomerId (an ioka customer id).',
        { provider: 'ioka' },
      );
    }
    const found = await client.customers.findByExternalId(externalId, options);
    if (found) return { id: found.id, customer: found };
    if (!create) return undefined;
    try {
      const created = await client.customers.create(
        {
          external_id: externalId,
          ...(customer.email ? { email: customer.email } : {}),
          ...(customer.phone ? { phone: customer.phone } : {}),
        },
        options,
      );
      return { id: created.customer.id, customer: created.customer };
    } catch (error) {
      if (!ConflictError.isInstance(error)) throw error;
      // CustomerExists: created concurrently (or by an earlier attempt). Use it.
      const existing = await client.customers.findByExternalId(externalId, options);
      if (!existing) throw error;
      return { id: existing.id, customer: existing };
    }
  }

  const provider: IokaProvider = {
    id: 'ioka',
    capabilities: CAPABILITIES,
    client,

    async createPayment(input, options) {
      const body = baseOrderBody(input, 'createPayment');
      body.capture_method = input.capture === 'manual' ? 'MANUAL' : 'AUTO';
      Object.assign(body, orderOptions(input.providerOptions));
      if (input.savePaymentMethod) {
        // The order is tied to the customer, so the card paid with is saved for them
        // (payer.card_id + payer.customer_id on the payment, then Payment.savedMethod).
        const customer = await resolveCustomerId(input.customer, true, options);
        if (customer) body.customer_id = customer.id;
      }
      const { order, payments } = await createOrderIdempotently(body, options);
      return toColchisPayment(order, payments);
    },

    async getPayment(id, options) {
      const { order, payments } = await loadOrder(id, options);
      return toColchisPayment(order, payments);
    },

    async refund(id, input = {}, options) {
      if (input.amount !== undefined) assertTiyn(input.amount, 'refund amount', 100);
      assertOptionalText(input.reason, 'reason', { maxLength: 255 });
      let amount = input.amount;
      if (amount === undefined) {
        const { order, payments } = await loadOrder(id, options);
        const resolution = resolveIokaStatus(order, payments);
        amount = resolution.amountCaptured - resolution.amountRefunded;
        if (amount <= 0) {
          throw new InvalidRequestError(
            `ioka order ${id} has nothing left to refund (status ${resolution.status}, captured ${resolution.amountCaptured}, refunded ${resolution.amountRefunded} tiyn).`,
            { provider: 'ioka' },
          );
        }
        assertTiyn(amount, 'remaining refundable amount', 100);
      }
      const refund = await client.refunds.create(
        id,
        { amount, ...(input.reason !== undefined ? { reason: input.reason } : {}) },
        options,
      );
      return toColchisRefund(refund, id, amount);
    },

    async capture(id, input: CaptureInput = {}, options) {
      if (input.amount !== undefined) assertTiyn(input.amount, 'capture amount', 100);
      const { order, payments } = await loadOrder(id, options);
      const approved = payments.find((payment) => payment.status === 'APPROVED');
      const authorized = approved?.approved_amount ?? (order.status === 'ON_HOLD' ? order.amount : undefined);
      if (authorized === undefined) {
        const status = resolveIokaStatus(order, payments).status;
        throw new InvalidRequestError(
          `ioka order ${id} has no authorized payment to capture (status ${status}). Only orders created with capture: 'manual' and paid are held for capture.`,
          { provider: 'ioka', code: 'OrderHasNoApprovedPayment' },
        );
      }
      const amount = input.amount ?? authorized;
      if (amount > authorized) {
        throw new InvalidRequestError(
          `capture amount ${amount} exceeds the authorized ${authorized} tiyn of ioka order ${id}.`,
          { provider: 'ioka', code: 'PaymentCaptureAmountExceeded' },
        );
      }
      assertTiyn(amount, 'capture amount', 100);
      const captured = await client.orders.capture(id, { amount }, options);
      return toColchisPayment(order, mergePayment(payments, captured));
    },

    async cancel(id, options) {
      const { order, payments } = await loadOrder(id, options);
      const current = toColchisPayment(order, payments);
      if (current.status === 'canceled') return current;
      if (current.status !== 'authorized') {
        throw new InvalidRequestError(
          `ioka order ${id} is ${current.status}; only an authorized (held) payment can be canceled.${current.status === 'captured' || current.status === 'partially_refunded' ? ' Refund it instead.' : ''}`,
          { provider: 'ioka', code: 'OrderHasNoApprovedPayment' },
        );
      }
      const canceled = await client.orders.cancel(id, {}, options);
      return toColchisPayment(order, mergePayment(payments, canceled));
    },

    async chargeSavedMethod(input: ChargeSavedMethodInput, options) {
      const body = baseOrderBody(input, 'chargeSavedMethod');
      const saved = input.savedMethod;
      if (!saved || typeof saved.id !== 'string' || saved.id === '') {
        throw new InvalidRequestError('savedMethod.id (the ioka card id) is required.', { provider: 'ioka' });
      }
      const customerId = saved.customerId ?? input.customer?.providerCustomerId;
      if (!customerId) {
        throw new InvalidRequestError(
          'ioka charges a saved card by customer and card: pass savedMethod.customerId (Payment.savedMethod and listSavedMethods carry it).',
          { provider: 'ioka' },
        );
      }
      const iokaOptions = (input.providerOptions?.ioka ?? {}) as IokaPaymentOptions;
      Object.assign(body, orderOptions(input.providerOptions));
      body.customer_id = customerId;
      body.card_id = saved.id;
      const { order, payments } = await createOrderIdempotently(body, options);
      if (iokaOptions.payByCardId !== true || payments.length > 0 || order.status !== 'UNPAID') {
        // Without payByCardId the shopper confirms on ioka's page (card prefilled, CVC asked).
        return toColchisPayment(order, payments);
      }
      const payment = await client.payments.createCardPayment(
        order.id,
        { card_id: saved.id, ...(iokaOptions.cvc ? { cvc: iokaOptions.cvc } : {}) },
        options,
      );
      return toColchisPayment(order, mergePayment(payments, payment));
    },

    async verifyWebhook(request): Promise<WebhookEvent> {
      const verified = await verifyIokaWebhook({
        rawBody: request.rawBody,
        headers: request.headers,
        key: webhookKeys(),
      });
      return toColchisWebhookEvent(verified.payload);
    },

    async createCardSaveSession(input, options) {
      const resolved = await resolveCustomerId(input?.customer, true, options);
      if (!resolved) throw new InvalidRequestError('customer is required.', { provider: 'ioka' });
      const customer = resolved.customer?.checkout_url
        ? resolved.customer
        : await client.customers.get(resolved.id, options);
      if (!customer.checkout_url) {
        throw new GatewayError(
          `ioka returned customer ${customer.id} without a card-save page (checkout_url).`,
          {
            provider: 'ioka',
          },
        );
      }
      return {
        customerId: customer.id,
        checkoutUrl: customer.checkout_url,
        customerAccessToken: customer.access_token ?? undefined,
      };
    },

    async listSavedMethods(customer, options) {
      const resolved = await resolveCustomerId(customer, false, options);
      if (!resolved) return [];
      // v2.8 lists GetCards under the API key and the customer's access token together: send
      // the token when ioka gave us one (it is redacted from logs like the API key).
      const token = resolved.customer?.access_token;
      const cardOptions = token
        ? { ...options, headers: { ...options?.headers, 'x-customer-access-token': token } }
        : options;
      const cards = await client.cards.list(resolved.id, cardOptions);
      return cards
        .filter((card) => card.status === 'APPROVED')
        .map((card) => ({
          id: card.id,
          customerId: card.customer_id ?? resolved.id,
          ...(card.pan_masked ? { maskedPan: card.pan_masked } : {}),
          ...(card.payment_system ? { brand: card.payment_system } : {}),
          ...(card.expiry_date ? { expiry: card.expiry_date } : {}),
        }));
    },
  };
  return provider;
}

/**
 * The ioka provider configured from the environment (`IOKA_API_KEY`, `IOKA_ENVIRONMENT`,
 * `IOKA_WEBHOOK_KEY`), created on first use: importing it never throws, and a missing
 * variable is reported by the first call that needs it.
 */
export const ioka: IokaProvider = lazyProvider();

function lazyProvider(): IokaProvider {
  let instance: IokaProvider | undefined;
  const get = () => {
    instance ??= createIoka();
    return instance;
  };
  return new Proxy({} as IokaProvider, {
    get(_target, property) {
      if (property === 'id') return 'ioka';
      if (property === 'capabilities') return CAPABILITIES;
      const value = Reflect.get(get(), property);
      return typeof value === 'function' ? value.bind(get()) : value;
    },
    has: (_target, property) => Reflect.has(get(), property),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_target, property) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(get(), property);
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
  });
}

/** The order fields shared by `createPayment` and `chargeSavedMethod`, validated before any request. */
function baseOrderBody(
  input: CreatePaymentInput | ChargeSavedMethodInput,
  operation: string,
): IokaOrderCreateParams & { external_id: string } {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidRequestError(`${operation} needs an input object.`, { provider: 'ioka' });
  }
  const money = input.amount;
  if (typeof money !== 'object' || money === null) {
    throw new InvalidRequestError(
      `amount must be { amount, currency } in minor units, e.g. { amount: tenge('500'), currency: 'KZT' }; got ${describe(money)}.`,
      { provider: 'ioka' },
    );
  }
  const currency = normalizeCurrency(money.currency);
  if (currency !== 'KZT') {
    throw new InvalidRequestError(`ioka takes payments in KZT only, got ${currency}.`, { provider: 'ioka' });
  }
  assertTiyn(money.amount, 'amount', 1);
  if (typeof input.reference !== 'string' || input.reference.trim() === '') {
    throw new InvalidRequestError(
      'reference (your order id) is required: it becomes the ioka external_id that makes repeated calls safe.',
      { provider: 'ioka' },
    );
  }
  assertOptionalText(input.description, 'description');
  assertOptionalUrl(input.returnUrl, 'returnUrl');
  const cancelUrl = 'cancelUrl' in input ? input.cancelUrl : undefined;
  assertOptionalUrl(cancelUrl, 'cancelUrl');
  const body: IokaOrderCreateParams & { external_id: string } = {
    amount: money.amount,
    currency: 'KZT',
    external_id: input.reference,
  };
  if (input.description !== undefined) body.description = input.description;
  if (input.returnUrl !== undefined) {
    body.success_url = input.returnUrl;
    body.failure_url = input.returnUrl;
  }
  const backUrl = cancelUrl ?? input.returnUrl;
  if (backUrl !== undefined) body.back_url = backUrl;
  if (input.metadata !== undefined) body.extra_info = { ...input.metadata };
  return body;
}

/** `providerOptions.ioka` minus the options that are not `OrderIn` fields. */
function orderOptions(providerOptions: Record<string, Record<string, unknown>> | undefined) {
  const options = { ...(providerOptions?.ioka ?? {}) } as IokaPaymentOptions & Record<string, unknown>;
  delete options.payByCardId;
  delete options.cvc;
  delete options.amount;
  delete options.external_id;
  return options as Partial<IokaOrderCreateParams>;
}

/** Replaces a payment in the list by id (or appends it). */
function mergePayment(payments: readonly IokaPayment[], updated: IokaPayment): IokaPayment[] {
  let replaced = false;
  const merged = payments.map((payment) => {
    if (payment.id !== updated.id) return payment;
    replaced = true;
    // ioka's answer may be slimmer than what we had: keep known fields it left out.
    return { ...payment, ...definedFields(updated) };
  });
  return replaced ? merged : [...merged, updated];
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

/** Whether a failed create may nonetheless have created the order. */
function outcomeUnknown(error: unknown): boolean {
  if (TimeoutError.isInstance(error)) return true;
  if (ConnectionError.isInstance(error)) return (error as ConnectionError).requestSent;
  if (GatewayError.isInstance(error)) {
    const status = (error as ColchisError).statusCode;
    // 503 is "not executed" and already retried by the HTTP client; every other 5xx may have
    // created the order.
    return status !== undefined && status >= 500 && status !== 503;
  }
  return false;
}
