import {
  assertMinorUnits,
  ConfigurationError,
  createHttpClient,
  type HttpClient,
  InvalidRequestError,
  type Money,
  normalizeCurrency,
  PaymentDeclinedError,
  type RequestOptions,
  redact,
  toHttpClientSettings,
} from '@colchis/core';
import { formatProCreditAmount } from './procredit-amount.js';
import {
  createOrderResponseSchema,
  orderResponseSchema,
  type ProCreditCreatedOrder,
  type ProCreditOrder,
  type ProCreditTransactionResult,
  parseWire,
  transactionResponseSchema,
} from './procredit-api.js';
import { type ProCreditBrowserContext, toConsumerBrowser } from './procredit-browser.js';
import type { ClientCertificateInfo } from './procredit-certificates.js';
import {
  type ChargeStoredCardInput,
  chargeStoredCard,
  type StoredCardCharge,
} from './procredit-charge-stored-card.js';
import { toBankDescription } from './procredit-description.js';
import {
  createProCreditErrorClassifier,
  isProCreditErrorBody,
  procreditErrorDetails,
} from './procredit-errors.js';
import { buildHostedPageUrl } from './procredit-hosted-page.js';
import { APPROVED_PMO_CODES, failureFromPmoCode } from './procredit-pmo-codes.js';
import { loadNodeModules } from './procredit-runtime.js';
import { createSecretRegistry, type SecretRegistry } from './procredit-secrets.js';
import {
  type ProCreditSettings,
  type ResolvedProCreditSettings,
  resolveProCreditSettings,
} from './procredit-settings.js';
import {
  type ProCreditTransport,
  procreditTransport,
  type VerifiedConnection,
} from './procredit-transport.js';
import { VERSION } from './version.js';

/** Card-on-file purposes for `hppCofCapturePurposes` (which later uses the saved card may have). */
export type ProCreditCofPurpose =
  | 'Cit'
  | 'Recurring'
  | 'Instalment'
  | 'UnspecifiedMit'
  | 'DelayedCharge'
  | 'Resubmission'
  | 'PartialShipment'
  | (string & {});

/** Input of {@link ProCreditClient.createOrder}. */
export interface CreateOrderInput {
  /** Integer minor units and ISO 4217 currency; sent as `"10.00"` (or minor units, per `amountFormat`). */
  amount: Money;
  /** Order type. Default: the configured `typeRids.purchase`. */
  typeRid?: string | undefined;
  /** Reduced to what the bank accepts (Latin letters, at most `descriptionMaxLength`). */
  description?: string | undefined;
  /** Hosted-page language. Default: the configured `language`. */
  language?: string | undefined;
  /** Where the hosted page sends the customer back (the bank appends `ID`, `STATUS`, `PASSWORD`). */
  hppRedirectUrl?: string | undefined;
  /** `Browser` for hosted-page orders (default when `hppRedirectUrl` is set), `Server` otherwise. */
  initiationEnvKind?: 'Browser' | 'Server' | undefined;
  /** The customer's browser, sent as `consumerDevice.browser` for 3-D Secure 2. */
  browser?: ProCreditBrowserContext | undefined;
  /** Save the card for later: `['Cit']`, or `['Cit', 'Recurring']` for merchant-initiated charges. */
  hppCofCapturePurposes?: readonly ProCreditCofPurpose[] | undefined;
  /** Your order id; the bank echoes it on get-order. */
  ridByMerchant?: string | undefined;
  /** Short title shown by some deployments. */
  title?: string | undefined;
  /** More `order` fields, sent as given (`custAttrs`, `aut`, `subMerchant`, `tdsPresetAreq`, `expTime`…). */
  fields?: Record<string, unknown> | undefined;
}

/** A created order. */
export interface CreatedOrder {
  /** The bank's order id (a JSON integer, kept as a string). */
  id: string;
  /** The order password: a secret. Store it server side; it opens the order. */
  password: string | undefined;
  status: string | undefined;
  /** `order.hppUrl` as answered. */
  hppUrl: string | undefined;
  /** Where to send the customer (contains the password), when the order has a hosted page. */
  hostedPageUrl: string | undefined;
  /** The bank's answer (password redacted). */
  raw: ProCreditCreatedOrder;
}

/** Detail levels of `GET /order/{id}` (0-2 each). */
export interface GetOrderInput {
  /** The order password (required by ProCredit/Quipu and MilliKart, optional on Kapital). */
  password?: string | undefined;
  /** Default 2: amounts cleared and refunded, stored tokens, hppUrl. */
  orderDetailLevel?: number | undefined;
  /** Default 1: `trans[]`. */
  tranDetailLevel?: number | undefined;
  /** Default 2: `srcToken` with the masked card. */
  tokenDetailLevel?: number | undefined;
  /** More query parameters some deployments accept (`actionDetailLevel`, `consumerDetailLevel`…). */
  query?: Record<string, string | number | undefined> | undefined;
}

/** The `tran` object of `exec-tran`. */
export interface TransactionRequest {
  phase: 'Clearing' | 'Auth' | 'Single' | (string & {});
  type?: 'Refund' | (string & {}) | undefined;
  voidKind?: 'Full' | 'Partial' | undefined;
  /** Formatted by the client (`"5.00"`). */
  amount?: Money | undefined;
  conditions?: { cofUsage?: string | undefined; [key: string]: unknown } | undefined;
  /** More `tran` fields, sent as given. */
  fields?: Record<string, unknown> | undefined;
}

/** The client for the bank's TXPG JSON API, one method per operation. */
export interface ProCreditClient {
  /** The resolved configuration (no secrets). */
  readonly config: {
    preset: string;
    environment: string;
    bankName: string;
    baseUrl: string;
    createOrderBaseUrl: string;
    typeRids: Readonly<ResolvedProCreditSettings['typeRids']>;
    amountFormat: ResolvedProCreditSettings['amountFormat'];
    language: string;
  };
  /** The client certificate's CN, issuer and validity (for expiry monitoring). */
  readonly certificate: ClientCertificateInfo | undefined;
  /** `POST /order`. */
  createOrder(input: CreateOrderInput, options?: RequestOptions): Promise<CreatedOrder>;
  /** `GET /order/{id}` with detail levels. */
  getOrder(
    orderId: string | number,
    input?: GetOrderInput,
    options?: RequestOptions,
  ): Promise<ProCreditOrder>;
  /** `exec-tran` clearing (capture) of an authorized order; full when `amount` is omitted. */
  clearing(
    orderId: string | number,
    input?: { amount?: Money | undefined; password?: string | undefined },
    options?: RequestOptions,
  ): Promise<ProCreditTransactionResult>;
  /**
   * `exec-tran` reversal: `phase: 'Auth'` voids an authorization (DMS); `phase: 'Single'` reverses
   * a purchase the same day. Full unless `amount` is given.
   */
  reverse(
    orderId: string | number,
    input?: {
      phase?: 'Auth' | 'Single' | undefined;
      amount?: Money | undefined;
      password?: string | undefined;
    },
    options?: RequestOptions,
  ): Promise<ProCreditTransactionResult>;
  /** `exec-tran` refund of a cleared purchase. */
  refund(
    orderId: string | number,
    input: { amount: Money; password?: string | undefined },
    options?: RequestOptions,
  ): Promise<ProCreditTransactionResult>;
  /** `POST /order/{id}/exec-tran` with any `tran`. Never retried after it may have been received. */
  executeTransaction(
    orderId: string | number,
    tran: TransactionRequest,
    input?: { password?: string | undefined },
    options?: RequestOptions,
  ): Promise<ProCreditTransactionResult>;
  /** `POST /order/{id}/set-src-token`: attaches a saved card to a server-side order. */
  setSourceToken(
    orderId: string | number,
    input: { password: string; storedId: string | number },
    options?: RequestOptions,
  ): Promise<ProCreditOrder>;
  /**
   * Charges a saved card: create a server-side order, attach the token, execute the payment.
   * The three calls are not atomic, so a failure is reconciled by reading the order: a charge
   * that went through despite an error is reported approved (never charged twice), an
   * authorization left behind is voided, a decline is an outcome, not an exception.
   */
  chargeStoredCard(input: ChargeStoredCardInput, options?: RequestOptions): Promise<StoredCardCharge>;
  /** The hosted-page URL for an order (with its password). */
  hostedPageUrl(order: { hppUrl: string; id: string | number; password: string }): string;
  /**
   * Opens a TLS connection with the configured certificate and reports whether the bank accepts
   * it, without sending a request. Use it in a deploy check.
   */
  verifyConnection(options?: { waitMs?: number | undefined }): Promise<VerifiedConnection>;
  /** Redacts this client's secrets (order passwords, Basic password) from a value. */
  redact<T>(value: T): T;
  /** Closes pooled connections. */
  close(): Promise<void>;
  /** @internal Registers an order password or payment id for redaction. */
  readonly secrets: SecretRegistry;
}

/**
 * Creates a client for ProCredit's gateway (or a sibling bank's, by preset).
 *
 * @example
 * ```ts
 * const client = createProCreditClient({
 *   environment: 'production',
 *   tls: { certificateFile: '/etc/shop/procredit/cert.pem', privateKeyFile: '/etc/shop/procredit/key.pem', caFile: '/etc/shop/procredit/ca.pem' },
 * });
 * const order = await client.createOrder({
 *   amount: { amount: 2500, currency: 'GEL' },
 *   description: 'Course 42',
 *   hppRedirectUrl: 'https://shop.example/pay/return/42',
 * });
 * // redirect the customer to order.hostedPageUrl
 * ```
 */
export function createProCreditClient(settings: ProCreditSettings = {}): ProCreditClient {
  const modules = loadNodeModules();
  const resolved = resolveProCreditSettings(settings, modules);
  const secrets = createSecretRegistry(resolved.secrets);
  let transport: ProCreditTransport | undefined;
  if (resolved.tls && !settings.transport && !settings.dispatcher && !settings.fetch) {
    transport = procreditTransport(
      {
        secureContext: resolved.tls.secureContext,
        hasClientCertificate: resolved.tls.hasClientCertificate,
        certificate: resolved.tls.certificate,
        connectTimeoutMs: settings.connectTimeoutMs,
      },
      modules,
    );
  }
  const headers: Record<string, string> = { ...settings.headers };
  if (resolved.basicAuthorization) headers.authorization = resolved.basicAuthorization;
  const shared = toHttpClientSettings(settings);
  const http: HttpClient = createHttpClient({
    ...shared,
    ...(transport ? { transport } : {}),
    headers,
    provider: 'procredit',
    baseUrl: resolved.baseUrl,
    userAgent: `@colchis/procredit/${VERSION}`,
    secrets: secrets.values,
    isErrorBody: isProCreditErrorBody,
    errorDetails: procreditErrorDetails,
    classifyError: createProCreditErrorClassifier(secrets.values),
  });
  const { amountFormat } = resolved;
  const hostedPagePath = resolved.preset.preset === 'kapital' ? '/flex' : undefined;
  const createOrderPath =
    resolved.createOrderBaseUrl === resolved.baseUrl ? '/order' : `${resolved.createOrderBaseUrl}/order`;

  function money(value: Money, what: string): Money {
    assertMinorUnits(value?.amount, what);
    if (value.amount <= 0)
      throw new InvalidRequestError(`${what} must be greater than zero.`, { provider: 'procredit' });
    return { amount: value.amount, currency: normalizeCurrency(value.currency) };
  }

  function orderPath(orderId: string | number, suffix = ''): string {
    const id = String(orderId);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
      throw new InvalidRequestError('A ProCredit order id is 1-64 letters, digits, "-" or "_".', {
        provider: 'procredit',
      });
    }
    return `/order/${id}${suffix}`;
  }

  async function createOrder(input: CreateOrderInput, options?: RequestOptions): Promise<CreatedOrder> {
    const amount = money(input.amount, 'amount');
    const typeRid = input.typeRid ?? resolved.typeRids.purchase;
    if (input.hppRedirectUrl !== undefined) checkRedirectUrl(input.hppRedirectUrl);
    const order: Record<string, unknown> = {
      typeRid,
      amount: formatProCreditAmount(amount, amountFormat),
      currency: amount.currency,
      language: input.language ?? resolved.language,
    };
    const description = input.description
      ? toBankDescription(input.description, resolved.descriptionMaxLength)
      : '';
    if (description) order.description = description;
    if (input.title) order.title = toBankDescription(input.title, 50);
    if (input.hppRedirectUrl) order.hppRedirectUrl = input.hppRedirectUrl;
    order.initiationEnvKind = input.initiationEnvKind ?? (input.hppRedirectUrl ? 'Browser' : 'Server');
    if (input.browser) order.consumerDevice = { browser: toConsumerBrowser(input.browser) };
    if (input.hppCofCapturePurposes?.length) order.hppCofCapturePurposes = [...input.hppCofCapturePurposes];
    if (input.ridByMerchant) order.ridByMerchant = input.ridByMerchant;
    Object.assign(order, input.fields);
    const result = await http.request({
      operation: 'createOrder',
      method: 'POST',
      path: createOrderPath,
      json: { order },
      options,
    });
    const created = parseWire(createOrderResponseSchema, result.data, 'createOrder').order;
    const password = created.password ?? undefined;
    secrets.add(password);
    const hppUrl = created.hppUrl ?? undefined;
    return {
      id: String(created.id),
      password,
      status: created.status ?? undefined,
      hppUrl,
      hostedPageUrl:
        hppUrl && (password || created.accessToken)
          ? buildHostedPageUrl(
              { hppUrl, id: created.id, password, accessToken: created.accessToken },
              { pathWhenBare: hostedPagePath },
            )
          : undefined,
      raw: redact(created, secrets.values()),
    };
  }

  async function getOrder(
    orderId: string | number,
    input: GetOrderInput = {},
    options?: RequestOptions,
  ): Promise<ProCreditOrder> {
    secrets.add(input.password);
    const result = await http.request({
      operation: 'getOrder',
      method: 'GET',
      path: orderPath(orderId),
      query: {
        password: input.password,
        orderDetailLevel: level(input.orderDetailLevel, 2),
        tranDetailLevel: level(input.tranDetailLevel, 1),
        tokenDetailLevel: level(input.tokenDetailLevel, 2),
        ...input.query,
      },
      options,
    });
    return parseWire(orderResponseSchema, result.data, 'getOrder').order;
  }

  async function executeTransaction(
    orderId: string | number,
    tran: TransactionRequest,
    input: { password?: string | undefined } = {},
    options?: RequestOptions,
  ): Promise<ProCreditTransactionResult> {
    secrets.add(input.password);
    const body: Record<string, unknown> = { phase: tran.phase };
    if (tran.type) body.type = tran.type;
    if (tran.voidKind) body.voidKind = tran.voidKind;
    if (tran.amount) body.amount = formatProCreditAmount(money(tran.amount, 'amount'), amountFormat);
    if (tran.conditions) body.conditions = tran.conditions;
    Object.assign(body, tran.fields);
    const result = await http.request({
      operation: 'executeTransaction',
      method: 'POST',
      path: orderPath(orderId, '/exec-tran'),
      query: resolved.sendPasswordOnExecute ? { password: input.password } : undefined,
      json: { tran: body },
      options,
    });
    if (result.data === undefined) return {};
    const parsed = parseWire(transactionResponseSchema, result.data, 'executeTransaction');
    const transaction = parsed.tran ?? {};
    const pmo = transaction.pmoResultCode;
    if (
      pmo !== undefined &&
      pmo !== null &&
      String(pmo).trim() !== '' &&
      !APPROVED_PMO_CODES.has(String(pmo).trim())
    ) {
      // Approved transactions carry PMO result 1 (or 96, frictionless): anything else is a decline
      // answered with 200.
      const failure = failureFromPmoCode(pmo);
      throw new PaymentDeclinedError(
        `ProCredit declined the transaction on order ${String(orderId)} (PMO result ${String(pmo)}: ${failure.message}).`,
        { provider: 'procredit', code: String(pmo), declineCode: failure.code, rawBody: transaction },
      );
    }
    return transaction;
  }

  async function setSourceToken(
    orderId: string | number,
    input: { password: string; storedId: string | number },
    options?: RequestOptions,
  ): Promise<ProCreditOrder> {
    secrets.add(input.password);
    const storedId = tokenId(input.storedId);
    const result = await http.request({
      operation: 'setSourceToken',
      method: 'POST',
      path: orderPath(orderId, '/set-src-token'),
      query: { password: input.password },
      json: { order: { initiationEnvKind: 'Server' }, token: { storedId } },
      options,
    });
    return parseWire(orderResponseSchema, result.data, 'setSourceToken').order;
  }

  return {
    config: {
      preset: resolved.preset.preset,
      environment: resolved.preset.environment,
      bankName: resolved.preset.bankName,
      baseUrl: resolved.baseUrl,
      createOrderBaseUrl: resolved.createOrderBaseUrl,
      typeRids: Object.freeze({ ...resolved.typeRids }),
      amountFormat,
      language: resolved.language,
    },
    certificate: resolved.tls?.certificate,
    secrets,
    createOrder,
    getOrder,
    clearing: (orderId, input = {}, options) =>
      executeTransaction(
        orderId,
        { phase: 'Clearing', ...(input.amount ? { amount: input.amount } : {}) },
        { password: input.password },
        options,
      ),
    reverse: (orderId, input = {}, options) =>
      executeTransaction(
        orderId,
        {
          phase: input.phase ?? 'Auth',
          voidKind: input.amount ? 'Partial' : 'Full',
          ...(input.amount ? { amount: input.amount } : {}),
        },
        { password: input.password },
        options,
      ),
    refund: (orderId, input, options) =>
      executeTransaction(
        orderId,
        { phase: 'Single', type: 'Refund', amount: input.amount },
        { password: input.password },
        options,
      ),
    executeTransaction,
    setSourceToken,
    chargeStoredCard: (input, options) =>
      chargeStoredCard(
        {
          createOrder,
          setSourceToken,
          executeTransaction,
          getOrder,
          amountFormat,
          recurringTypeRid: resolved.typeRids.recurring,
          bankName: resolved.preset.bankName,
        },
        input,
        options,
      ),
    hostedPageUrl: (order) => buildHostedPageUrl(order, { pathWhenBare: hostedPagePath }),
    async verifyConnection(options = {}) {
      if (!transport) {
        throw new ConfigurationError(
          'verifyConnection needs the client to manage TLS itself: configure tls (not your own transport, dispatcher or fetch).',
          { provider: 'procredit' },
        );
      }
      return transport.verifyConnection(resolved.baseUrl, options);
    },
    redact: http.redact,
    async close() {
      // Only what this client created: a transport or dispatcher you passed stays yours to close.
      await transport?.close?.();
    },
  };
}

function level(value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < 0 || result > 9) {
    throw new InvalidRequestError('Detail levels are small integers (0, 1 or 2).', { provider: 'procredit' });
  }
  return result;
}

function tokenId(value: string | number): number | string {
  const text = String(value).trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text)) {
    throw new InvalidRequestError(
      'A saved-card token id is the number the bank returned as TOKENID / storedTokens[].id.',
      {
        provider: 'procredit',
      },
    );
  }
  // The bank's token ids are JSON integers; keep anything else as given.
  return /^\d{1,15}$/.test(text) ? Number(text) : text;
}

function checkRedirectUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidRequestError(
      `hppRedirectUrl must be an absolute URL (https://shop.example/pay/return), got ${JSON.stringify(value.slice(0, 100))}.`,
      { provider: 'procredit' },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidRequestError('hppRedirectUrl must be an http(s) URL.', { provider: 'procredit' });
  }
}
