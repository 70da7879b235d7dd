import {
  assertMinorUnits,
  bodyText,
  type CaptureInput,
  type ChargeSavedMethodInput,
  type CreatePaymentInput,
  type FailureCode,
  type HeadersLike,
  InvalidRequestError,
  type Money,
  normalizeCurrency,
  type Payment,
  PaymentDeclinedError,
  type PaymentProvider,
  type ProviderCapabilities,
  type Refund,
  type RefundInput,
  type RequestOptions,
  requireRawBody,
  SignatureVerificationError,
  unsupportedOperation,
  type WebhookEvent,
} from '@colchis/core';
import { evaluateProCreditOrder } from './map-procredit-status.js';
import type { ProCreditOrder, ProCreditTransactionResult } from './procredit-api.js';
import type { ProCreditBrowserContext } from './procredit-browser.js';
import { type CreateOrderInput, createProCreditClient, type ProCreditClient } from './procredit-client.js';
import {
  decodeProCreditPaymentId,
  encodeProCreditPaymentId,
  type ProCreditPaymentReference,
} from './procredit-payment-id.js';
import { APPROVED_PMO_CODES } from './procredit-pmo-codes.js';
import { type ProCreditReturnInput, parseProCreditReturn } from './procredit-return.js';
import type { ProCreditSettings } from './procredit-settings.js';

/** Gateway-only options of `createPayment`, passed as `providerOptions: { procredit: { … } }`. */
export interface ProCreditPaymentOptions {
  /** The customer's browser for 3-D Secure 2 (`consumerDevice.browser`); see `browserContextFromRequest`. */
  browser?: ProCreditBrowserContext | undefined;
  /** Order type for this payment, overriding the configured one. */
  typeRid?: string | undefined;
  /** Short title shown by some deployments. */
  title?: string | undefined;
  /** More `order` fields, sent as given (`custAttrs`, `aut`, `tdsPresetAreq`…). */
  fields?: Record<string, unknown> | undefined;
}

/** Options of {@link ProCreditProvider.handleReturn}. */
export interface HandleReturnOptions {
  /**
   * The payment id you stored when you created the payment. Strongly recommended: the order to
   * confirm is then the one you created, whatever the URL says, and its amount is checked. Without
   * it the URL's `ID` and `PASSWORD` pick the order, so compare `event.reference` and the amount
   * with your own order before fulfilling.
   */
  paymentId?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** The ProCredit provider: {@link PaymentProvider} plus the browser-return confirmation. */
export interface ProCreditProvider extends PaymentProvider {
  readonly id: 'procredit';
  /** The client underneath, for gateway-specific calls. */
  readonly client: ProCreditClient;
  /**
   * Confirms a browser return (`hppRedirectUrl?ID=…&STATUS=…&PASSWORD=…`): the parameters only say
   * which order to look at; the status comes from `GET /order/{id}`. The event is `signed: false`.
   */
  handleReturn(urlOrQuery: ProCreditReturnInput, options?: HandleReturnOptions): Promise<WebhookEvent>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

/**
 * Creates the ProCredit provider (ProCredit Bank Georgia on Quipu's gateway by default; Kapital
 * and MilliKart by preset).
 *
 * Payment ids returned by this provider contain the order password: treat them as secrets.
 * No money-moving call is ever repeated automatically (the gateway has no idempotency key):
 * after a timeout or a dropped connection, call `getPayment` to learn what happened.
 *
 * @example
 * ```ts
 * const procredit = createProCredit({
 *   environment: 'production',
 *   tls: { certificateFile: '/etc/shop/procredit/cert.pem', privateKeyFile: '/etc/shop/procredit/key.pem', caFile: '/etc/shop/procredit/ca.pem' },
 * });
 * const payment = await procredit.createPayment({
 *   amount: { amount: 2500, currency: 'GEL' },
 *   reference: 'enrollment-42',
 *   returnUrl: 'https://school.example/pay/return/enrollment-42',
 * });
 * // store payment.id (secret), then redirect to payment.redirectUrl
 * ```
 */
export function createProCredit(settings: ProCreditSettings = {}): ProCreditProvider {
  const client = createProCreditClient(settings);
  const { typeRids, amountFormat } = client.config;
  const capabilities: ProviderCapabilities = Object.freeze({
    manualCapture: typeRids.preauthorization !== undefined,
    partialCapture: typeRids.preauthorization !== undefined,
    cancel: typeRids.preauthorization !== undefined,
    refund: true,
    partialRefund: true,
    savedMethods: typeRids.recurring !== undefined,
    // The bank sends no signed callback: the browser return is a hint confirmed by fetching.
    webhooks: 'unsigned',
  });

  function paymentId(reference: ProCreditPaymentReference): string {
    const id = encodeProCreditPaymentId(reference);
    client.secrets.add(reference.password);
    client.secrets.add(id);
    return id;
  }

  function decode(id: string): ProCreditPaymentReference {
    const reference = decodeProCreditPaymentId(id);
    client.secrets.add(reference.password);
    client.secrets.add(id);
    return reference;
  }

  function toPayment(order: ProCreditOrder, reference: ProCreditPaymentReference, id: string): Payment {
    const evaluation = evaluateProCreditOrder(order, { expected: reference.expected, amountFormat });
    const amount: Money = reference.expected ?? {
      amount: evaluation.amount ?? 0,
      currency: evaluation.currency ?? '',
    };
    const token = order.srcToken ?? undefined;
    const maskedPan = token?.displayName ?? undefined;
    const brand = token?.card?.brand ?? undefined;
    const storedId = order.storedTokens?.find((stored) => stored?.id !== undefined && stored.id !== null)?.id;
    const payment: Payment = {
      provider: 'procredit',
      id,
      status: evaluation.status,
      rawStatus: evaluation.rawStatus,
      amount,
      amountCaptured: evaluation.amountCaptured,
      amountRefunded: evaluation.amountRefunded,
      reference: order.ridByMerchant ?? undefined,
      failure: evaluation.failure,
      raw: client.redact(order),
    };
    if (maskedPan || brand) payment.card = { maskedPan, brand };
    if (storedId !== undefined && storedId !== null) {
      const purposes = order.hppCofCapturePurposes ?? [];
      payment.savedMethod = {
        id: String(storedId),
        usage:
          purposes.length === 0 || purposes.some((purpose) => purpose !== 'Cit')
            ? 'off_session'
            : 'on_session',
        maskedPan,
        brand,
        expiry: formatExpiry(token?.card?.expiration ?? undefined),
      };
    }
    if (evaluation.status === 'requires_action' && order.hppUrl) {
      // The customer can still pay: give the hosted page again (e.g. after closing the tab).
      try {
        const url = client.hostedPageUrl({
          hppUrl: order.hppUrl,
          id: order.id,
          password: reference.password,
        });
        payment.redirectUrl = url;
        payment.nextAction = { type: 'redirect', url, method: 'GET' };
      } catch {
        // An unusable hppUrl only costs the convenience link.
      }
    }
    return payment;
  }

  async function fetchPayment(id: string, options?: RequestOptions): Promise<Payment> {
    const reference = decode(id);
    const order = await client.getOrder(reference.orderId, { password: reference.password }, options);
    return toPayment(order, reference, id);
  }

  async function createPayment(input: CreatePaymentInput, options?: RequestOptions): Promise<Payment> {
    const amount = checkMoney(input?.amount, 'amount');
    if (typeof input.reference !== 'string' || input.reference.trim() === '') {
      throw new InvalidRequestError('reference is required: your order id, echoed back by the bank.', {
        provider: 'procredit',
      });
    }
    if (!input.returnUrl) {
      throw new InvalidRequestError(
        'returnUrl is required: the bank sends the customer there after the hosted page (it becomes hppRedirectUrl). Put your own reference in the path, e.g. https://shop.example/pay/return/<order id>.',
        { provider: 'procredit' },
      );
    }
    const manual = input.capture === 'manual';
    if (manual && !capabilities.manualCapture) {
      unsupportedOperation(
        'procredit',
        'manual capture',
        'set typeRids.preauthorization to the two-step (DMS) order type the bank configured for you',
      );
    }
    const save = input.savePaymentMethod;
    if (save && !capabilities.savedMethods) {
      unsupportedOperation(
        'procredit',
        'saving cards',
        'set typeRids.recurring to the card-on-file order type the bank configured for you, so saved cards can be charged',
      );
    }
    const gatewayOptions = (input.providerOptions?.procredit ?? {}) as ProCreditPaymentOptions;
    const order: CreateOrderInput = {
      amount,
      typeRid:
        gatewayOptions.typeRid ??
        (manual
          ? typeRids.preauthorization
          : save
            ? (typeRids.saveCard ?? typeRids.purchase)
            : typeRids.purchase),
      description: input.description ?? `Order ${input.reference}`,
      language: input.locale ? input.locale.split(/[-_]/)[0]?.toLowerCase() : undefined,
      hppRedirectUrl: input.returnUrl,
      initiationEnvKind: 'Browser',
      browser: gatewayOptions.browser,
      hppCofCapturePurposes: save ? (save === 'on_session' ? ['Cit'] : ['Cit', 'Recurring']) : undefined,
      ridByMerchant: input.reference,
      title: gatewayOptions.title,
      fields: gatewayOptions.fields,
    };
    const created = await client.createOrder(order, options);
    if (!created.password) {
      throw new InvalidRequestError(
        `ProCredit created order ${created.id} without a password: it cannot be confirmed later. Check the preset (this deployment may use access tokens).`,
        { provider: 'procredit' },
      );
    }
    const id = paymentId({ orderId: created.id, password: created.password, expected: amount });
    const payment: Payment = {
      provider: 'procredit',
      id,
      status: 'requires_action',
      rawStatus: created.status ?? 'Preparing',
      amount,
      amountCaptured: 0,
      amountRefunded: 0,
      reference: input.reference,
      raw: created.raw,
    };
    if (created.hostedPageUrl) {
      payment.redirectUrl = created.hostedPageUrl;
      payment.nextAction = { type: 'redirect', url: created.hostedPageUrl, method: 'GET' };
    }
    return payment;
  }

  async function refund(id: string, input: RefundInput = {}, options?: RequestOptions): Promise<Refund> {
    const reference = decode(id);
    let amount: Money;
    if (input.amount !== undefined && reference.expected) {
      amount = checkMoney({ amount: input.amount, currency: reference.expected.currency }, 'refund amount');
    } else {
      // Without an amount (or a currency) the order says what is left to refund.
      const current = await fetchPayment(id, options);
      const left = current.amountCaptured - current.amountRefunded;
      const requested = input.amount ?? left;
      if (requested <= 0 || left <= 0) {
        throw new InvalidRequestError(
          `Order ${reference.orderId} has nothing left to refund (status ${current.status}, captured ${current.amountCaptured}, refunded ${current.amountRefunded}).`,
          { provider: 'procredit' },
        );
      }
      amount = checkMoney({ amount: requested, currency: current.amount.currency }, 'refund amount');
    }
    const transaction = await client.refund(
      reference.orderId,
      { amount, password: reference.password },
      options,
    );
    return toRefund(transaction, id, reference, amount);
  }

  async function capture(id: string, input: CaptureInput = {}, options?: RequestOptions): Promise<Payment> {
    if (!capabilities.manualCapture)
      unsupportedOperation('procredit', 'capture', 'set typeRids.preauthorization');
    const reference = decode(id);
    let amount: Money;
    if (reference.expected) {
      amount = checkMoney(
        { amount: input.amount ?? reference.expected.amount, currency: reference.expected.currency },
        'capture amount',
      );
    } else {
      const current = await fetchPayment(id, options);
      amount = checkMoney(
        { amount: input.amount ?? current.amount.amount, currency: current.amount.currency },
        'capture amount',
      );
    }
    await client.clearing(reference.orderId, { amount, password: reference.password }, options);
    return fetchPayment(id, options);
  }

  async function cancel(id: string, options?: RequestOptions): Promise<Payment> {
    if (!capabilities.cancel) unsupportedOperation('procredit', 'cancel', 'set typeRids.preauthorization');
    const reference = decode(id);
    await client.reverse(reference.orderId, { phase: 'Auth', password: reference.password }, options);
    return fetchPayment(id, options);
  }

  async function chargeSavedMethod(
    input: ChargeSavedMethodInput,
    options?: RequestOptions,
  ): Promise<Payment> {
    if (!capabilities.savedMethods) {
      unsupportedOperation('procredit', 'charging saved cards', 'set typeRids.recurring');
    }
    const amount = checkMoney(input?.amount, 'amount');
    if (!input.savedMethod?.id) {
      throw new InvalidRequestError('savedMethod.id is required: the saved card from Payment.savedMethod.', {
        provider: 'procredit',
      });
    }
    const result = await client.chargeStoredCard(
      {
        storedId: input.savedMethod.id,
        amount,
        description: input.description ?? `Order ${input.reference}`,
        cofUsage: input.savedMethod.usage === 'on_session' ? 'Cit' : 'Recurring',
        ridByMerchant: input.reference,
      },
      options,
    );
    const id = paymentId({ orderId: result.orderId, password: result.password, expected: amount });
    const payment = toPayment(result.order, decode(id), id);
    if (result.outcome === 'declined' && payment.status !== 'failed') {
      payment.status = 'failed';
      const decline = result.declineError;
      const declineCode = PaymentDeclinedError.isInstance(decline)
        ? ((decline as PaymentDeclinedError).declineCode as FailureCode | undefined)
        : undefined;
      payment.failure = {
        code: declineCode ?? 'card_declined',
        message: decline?.message ?? 'The saved card was declined.',
        rawCode: decline?.code,
      };
    }
    if (!payment.reference) payment.reference = input.reference;
    return payment;
  }

  async function confirm(
    reference: ProCreditPaymentReference,
    hint: ReturnType<typeof parseProCreditReturn>,
    options: RequestOptions | undefined,
    stored: boolean,
  ): Promise<WebhookEvent> {
    const id = paymentId(reference);
    const payment = await fetchPayment(id, options);
    return {
      provider: 'procredit',
      type: 'payment.updated',
      paymentId: id,
      reference: payment.reference,
      status: payment.status,
      rawStatus: payment.rawStatus,
      payment,
      signed: false,
      raw: {
        // What the browser claimed, kept for diagnostics only (the password is never kept).
        claimedOrderId: hint.orderId,
        claimedStatus: hint.status,
        claimedTokenId: hint.tokenId,
        matchesStoredPayment: stored
          ? hint.orderId === undefined || hint.orderId === reference.orderId
          : undefined,
      },
    };
  }

  async function handleReturn(
    urlOrQuery: ProCreditReturnInput,
    options: HandleReturnOptions = {},
  ): Promise<WebhookEvent> {
    const hint = parseProCreditReturn(urlOrQuery);
    client.secrets.add(hint.password);
    const requestOptions = options.signal ? { signal: options.signal } : undefined;
    if (options.paymentId) return confirm(decode(options.paymentId), hint, requestOptions, true);
    if (!hint.orderId || !hint.password) {
      throw new SignatureVerificationError(
        'This ProCredit return carries no ID and PASSWORD, so there is no order to confirm. Pass the payment id you stored at createPayment as options.paymentId (recommended: then the URL cannot point elsewhere).',
        { provider: 'procredit' },
      );
    }
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(hint.orderId)) {
      throw new SignatureVerificationError('The ID in this ProCredit return is not an order id.', {
        provider: 'procredit',
      });
    }
    return confirm({ orderId: hint.orderId, password: hint.password }, hint, requestOptions, false);
  }

  async function verifyWebhook(request: {
    rawBody: string | Uint8Array;
    headers: HeadersLike;
  }): Promise<WebhookEvent> {
    // No signed callback exists: whatever arrives (a callback the bank enabled for you, or a
    // forwarded return) is a hint naming an order, confirmed by fetching it.
    const text = bodyText(requireRawBody(request.rawBody, 'procredit')).trim();
    let query: Record<string, string | undefined> | string = text;
    if (text.startsWith('{')) {
      try {
        query = flatten(JSON.parse(text) as unknown);
      } catch {
        throw new SignatureVerificationError('The ProCredit callback body is not valid JSON.', {
          provider: 'procredit',
        });
      }
    }
    try {
      return await handleReturn(query);
    } catch (error) {
      if (SignatureVerificationError.isInstance(error)) {
        throw new SignatureVerificationError(
          'ProCredit sends no signed callbacks, and this request names no order (ID and PASSWORD) to confirm with the bank. Confirm payments with handleReturn(url, { paymentId }) on the browser return and getPayment in a reconciliation job.',
          { provider: 'procredit' },
        );
      }
      throw error;
    }
  }

  return {
    id: 'procredit',
    capabilities,
    client,
    createPayment,
    getPayment: (id, options) => fetchPayment(id, options),
    refund,
    capture,
    cancel,
    chargeSavedMethod,
    verifyWebhook,
    handleReturn,
    close: () => client.close(),
  };
}

function checkMoney(value: Money | undefined, what: string): Money {
  if (!value || typeof value !== 'object') {
    throw new InvalidRequestError(
      `${what} is required: { amount: <integer minor units>, currency: "GEL" }.`,
      {
        provider: 'procredit',
      },
    );
  }
  assertMinorUnits(value.amount, what);
  if (value.amount <= 0)
    throw new InvalidRequestError(`${what} must be greater than zero.`, { provider: 'procredit' });
  return { amount: value.amount, currency: normalizeCurrency(value.currency) };
}

function toRefund(
  transaction: ProCreditTransactionResult,
  paymentId: string,
  reference: ProCreditPaymentReference,
  amount: Money,
): Refund {
  const pmo =
    transaction.pmoResultCode === undefined || transaction.pmoResultCode === null
      ? undefined
      : String(transaction.pmoResultCode);
  const actionId = transaction.match?.tranActionId ?? transaction.match?.ridByPmo ?? transaction.approvalCode;
  const approved =
    pmo !== undefined
      ? APPROVED_PMO_CODES.has(pmo)
      : transaction.approvalCode !== undefined || transaction.match != null;
  return {
    provider: 'procredit',
    id: actionId !== undefined && actionId !== null ? String(actionId) : `${reference.orderId}-refund`,
    paymentId,
    status: approved ? 'succeeded' : 'pending',
    rawStatus: pmo ?? (approved ? 'approved' : 'accepted'),
    amount: amount.amount,
    currency: amount.currency,
    raw: transaction,
  };
}

function formatExpiry(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const digits = value.replace(/\D/g, '');
  return digits.length === 4 ? `${digits.slice(0, 2)}/${digits.slice(2)}` : value;
}

function flatten(
  value: unknown,
  into: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  if (typeof value !== 'object' || value === null) return into;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string' || typeof item === 'number') {
      if (!(key.toLowerCase() in into)) into[key.toLowerCase()] = String(item);
    } else if (typeof item === 'object') {
      flatten(item, into);
    }
  }
  return into;
}
