import {
  assertMinorUnits,
  type CaptureInput,
  type ChargeSavedMethodInput,
  ConfigurationError,
  type CreatePaymentInput,
  generateIdempotencyKey,
  type HeadersLike,
  InvalidRequestError,
  loadOptionalSetting,
  loadSetting,
  type Payment,
  type PaymentProvider,
  type ProviderCapabilities,
  type Refund,
  type RefundInput,
  type RequestOptions,
  redact,
  type WebhookEvent,
} from '@colchis/core';
import Stripe from 'stripe';
import { mapStripeRefundStatus } from './map-stripe-status.js';
import type { StripeAdapterSettings } from './stripe-adapter-settings.js';
import {
  buildCheckoutSessionParams,
  buildPaymentIntentParams,
  buildSavedMethodChargeParams,
  type StripeProviderOptions,
  setupFutureUsage,
  validateIdempotencyKey,
  validatePaymentBasics,
} from './stripe-create-params.js';
import { classifyStripePaymentId } from './stripe-ids.js';
import { expandableId, expectStripeObject, readAmount } from './stripe-objects.js';
import { paymentFromIntent, paymentFromSession } from './stripe-payment.js';
import { createStripeRequester, type StripeCall, type StripeRequester } from './stripe-request.js';
import { verifyStripeWebhook } from './stripe-webhook.js';
import { VERSION } from './version.js';

/** The Stripe adapter: the Colchis {@link PaymentProvider} plus the stripe-node client it uses. */
export interface StripeAdapter extends PaymentProvider {
  readonly id: 'stripe';
  /**
   * The stripe-node client, for everything outside the Colchis interface (subscriptions,
   * invoices, disputes...). Created on first access when the adapter was given an API key.
   */
  readonly client: Stripe;
}

/** What the Stripe adapter can do: everything the Colchis interface has. */
export const STRIPE_CAPABILITIES: ProviderCapabilities = Object.freeze({
  manualCapture: true,
  partialCapture: true,
  cancel: true,
  refund: true,
  partialRefund: true,
  savedMethods: true,
  webhooks: 'signed',
});

const DEFAULT_TOLERANCE_SECONDS = 300;
const REFUND_REASONS = new Set(['duplicate', 'fraudulent', 'requested_by_customer']);
const SESSION_EXPAND = ['payment_intent', 'payment_intent.latest_charge'];
const INTENT_EXPAND = ['latest_charge'];

/**
 * Creates the Colchis {@link PaymentProvider} over the official `stripe` package. Every call goes
 * through stripe-node; the adapter maps inputs, statuses, webhooks and errors, and applies
 * Colchis' retry rules with one idempotency key per logical call.
 *
 * @example
 * ```ts
 * const stripe = createStripeAdapter({
 *   apiKey: process.env.STRIPE_SECRET_KEY,
 *   webhookSecret: process.env.STRIPE_WEBHOOK_SECRET,
 * });
 * const payment = await stripe.createPayment({
 *   amount: { amount: 4900, currency: 'USD' },
 *   reference: 'enrollment-42',
 *   returnUrl: 'https://school.example/enrollments/42/return',
 * });
 * // redirect the customer to payment.redirectUrl (Stripe Checkout)
 * ```
 */
export function createStripeAdapter(settings: StripeAdapterSettings = {}): StripeAdapter {
  validateSettings(settings);
  const tolerance = settings.webhookToleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  let runtime: { client: Stripe; request: StripeRequester; apiKey: string | undefined } | undefined;
  let webhookSecrets: readonly string[] | undefined;

  function secrets(): readonly string[] {
    return [runtime?.apiKey ?? settings.apiKey ?? '', ...(webhookSecrets ?? [])].filter((s) => s.length >= 8);
  }

  function getRuntime(): NonNullable<typeof runtime> {
    if (runtime) return runtime;
    let client: Stripe;
    let apiKey: string | undefined;
    if (settings.stripe) {
      client = settings.stripe;
    } else {
      apiKey = loadSetting({
        value: settings.apiKey,
        settingName: 'apiKey',
        environmentVariableName: 'STRIPE_SECRET_KEY',
        description: 'Stripe secret API key',
      });
      checkApiKey(apiKey);
      client = new Stripe(apiKey, clientConfig(settings));
    }
    const request = createStripeRequester({
      maxRetries: settings.maxRetries ?? instanceRetries(client) ?? 2,
      retry: settings.retry,
      timeoutMs: settings.timeoutMs,
      hooks: settings.hooks,
      headers: settings.headers,
      baseUrl: () => apiBaseUrl(client),
      secrets,
    });
    runtime = { client, request, apiKey };
    return runtime;
  }

  function getWebhookSecrets(): readonly string[] {
    if (webhookSecrets) return webhookSecrets;
    const configured = settings.webhookSecret;
    const list =
      configured === undefined
        ? (loadOptionalSetting({
            value: undefined,
            settingName: 'webhookSecret',
            environmentVariableName: 'STRIPE_WEBHOOK_SECRET',
          })
            ?.split(',')
            .map((secret) => secret.trim())
            .filter(Boolean) ?? [])
        : (typeof configured === 'string' ? [configured] : [...configured]).map((secret) => secret.trim());
    if (list.length === 0) {
      throw new ConfigurationError(
        'Stripe webhook signing secret is missing. Pass it as the `webhookSecret` option or set the STRIPE_WEBHOOK_SECRET environment variable (the whsec_... secret of this endpoint, shown in the Dashboard or by `stripe listen`).',
        { provider: 'stripe' },
      );
    }
    for (const secret of list) {
      if (!secret.startsWith('whsec_')) {
        throw new ConfigurationError(
          'Stripe webhook signing secret must start with whsec_: use the endpoint signing secret, not an API key.',
          { provider: 'stripe' },
        );
      }
    }
    webhookSecrets = list;
    return list;
  }

  function send<T>(call: StripeCall<T>, options?: RequestOptions): Promise<T> {
    return getRuntime().request(call, options);
  }

  /** The API version a response was rendered in (its Stripe-Version header), else the client's. */
  function versionOf(response: unknown): string | undefined {
    const fromResponse = (response as { lastResponse?: { apiVersion?: unknown } } | null)?.lastResponse
      ?.apiVersion;
    if (typeof fromResponse === 'string' && fromResponse !== '') return fromResponse;
    try {
      const configured = getRuntime().client.getApiField('version');
      return typeof configured === 'string' ? configured : undefined;
    } catch {
      return undefined;
    }
  }

  function idempotencyKeyFor(
    input: { idempotencyKey?: string | undefined },
    options?: RequestOptions,
  ): string {
    return validateIdempotencyKey(
      input.idempotencyKey ?? options?.idempotencyKey ?? generateIdempotencyKey(),
    );
  }

  async function retrieveSession(id: string, operation: string, options?: RequestOptions) {
    const params = { expand: SESSION_EXPAND };
    const session = await send(
      {
        operation,
        method: 'GET',
        path: `/v1/checkout/sessions/${id}`,
        params,
        send: (requestOptions) => getRuntime().client.checkout.sessions.retrieve(id, params, requestOptions),
      },
      options,
    );
    return expectStripeObject<Stripe.Checkout.Session>(session, 'checkout.session', operation);
  }

  /** The PaymentIntent behind a payment id, and the session when the id was one. */
  async function resolveIntent(
    id: string,
    operation: string,
    options?: RequestOptions,
  ): Promise<{ intentId: string; session?: Stripe.Checkout.Session }> {
    if (classifyStripePaymentId(id) === 'payment_intent') return { intentId: id };
    const session = await retrieveSession(id, operation, options);
    const intentId = expandableId(session.payment_intent);
    if (!intentId) {
      throw new InvalidRequestError(
        `Stripe ${operation}: Checkout Session ${id} has no PaymentIntent yet (status ${session.status}): the customer has not paid.`,
        { provider: 'stripe' },
      );
    }
    return { intentId, session };
  }

  const adapter: StripeAdapter = {
    id: 'stripe',
    capabilities: STRIPE_CAPABILITIES,
    get client() {
      return getRuntime().client;
    },

    async createPayment(input: CreatePaymentInput, options?: RequestOptions): Promise<Payment> {
      const amount = validatePaymentBasics(input);
      const providerOptions = readProviderOptions(input.providerOptions);
      const mode = providerOptions.mode ?? settings.defaultMode ?? 'checkout';
      const key = idempotencyKeyFor(input, options);
      if (mode === 'checkout') {
        const params = buildCheckoutSessionParams(input, amount, providerOptions);
        const session = await send(
          {
            operation: 'createPayment',
            method: 'POST',
            path: '/v1/checkout/sessions',
            params,
            idempotencyKey: key,
            send: (requestOptions) => getRuntime().client.checkout.sessions.create(params, requestOptions),
          },
          options,
        );
        return paymentFromSession(
          expectStripeObject<Stripe.Checkout.Session>(session, 'checkout.session', 'createPayment'),
          versionOf(session),
        );
      }
      let customerId = input.customer?.providerCustomerId;
      if (!customerId && setupFutureUsage(input.savePaymentMethod)) {
        // A saved card must be attached to a Customer: create one (keyed like the payment).
        const customer = input.customer;
        const customerParams: Stripe.CustomerCreateParams = {
          ...(customer?.email ? { email: customer.email } : {}),
          ...(customer?.name ? { name: customer.name } : {}),
          ...(customer?.phone ? { phone: customer.phone } : {}),
          ...(customer?.id ? { metadata: { colchis_customer_id: customer.id } } : {}),
        };
        const created = await send(
          {
            operation: 'createPayment',
            method: 'POST',
            path: '/v1/customers',
            params: customerParams,
            idempotencyKey: `${key}:customer`,
            send: (requestOptions) => getRuntime().client.customers.create(customerParams, requestOptions),
          },
          options,
        );
        customerId = expectStripeObject<Stripe.Customer>(created, 'customer', 'createPayment').id;
      }
      const params = buildPaymentIntentParams(input, amount, customerId, providerOptions);
      const intent = await send(
        {
          operation: 'createPayment',
          method: 'POST',
          path: '/v1/payment_intents',
          params,
          idempotencyKey: key,
          recover: intentFromCardError,
          send: (requestOptions) => getRuntime().client.paymentIntents.create(params, requestOptions),
        },
        options,
      );
      return paymentFromIntent(
        expectStripeObject<Stripe.PaymentIntent>(intent, 'payment_intent', 'createPayment'),
        { apiVersion: versionOf(intent) },
      );
    },

    async getPayment(id: string, options?: RequestOptions): Promise<Payment> {
      if (classifyStripePaymentId(id) === 'checkout_session') {
        const session = await retrieveSession(id, 'getPayment', options);
        return paymentFromSession(session, versionOf(session));
      }
      const params = { expand: INTENT_EXPAND };
      const intent = await send(
        {
          operation: 'getPayment',
          method: 'GET',
          path: `/v1/payment_intents/${id}`,
          params,
          send: (requestOptions) => getRuntime().client.paymentIntents.retrieve(id, params, requestOptions),
        },
        options,
      );
      return paymentFromIntent(
        expectStripeObject<Stripe.PaymentIntent>(intent, 'payment_intent', 'getPayment'),
        { apiVersion: versionOf(intent) },
      );
    },

    async refund(id: string, input: RefundInput = {}, options?: RequestOptions): Promise<Refund> {
      classifyStripePaymentId(id);
      if (input.amount !== undefined) {
        assertMinorUnits(input.amount, 'refund amount');
        if (input.amount === 0) {
          throw new InvalidRequestError(
            'Stripe refund: amount must be greater than zero (omit it for a full refund).',
            {
              provider: 'stripe',
            },
          );
        }
      }
      const reason = input.reason?.trim();
      if (reason && !REFUND_REASONS.has(reason) && reason.length > 500) {
        throw new InvalidRequestError(
          'Stripe refund: reason is kept in metadata, which allows 500 characters.',
          {
            provider: 'stripe',
          },
        );
      }
      const key = idempotencyKeyFor(input, options);
      const { intentId } = await resolveIntent(id, 'refund', options);
      const params: Stripe.RefundCreateParams = {
        payment_intent: intentId,
        ...(input.amount !== undefined ? { amount: input.amount } : {}),
        ...(reason
          ? REFUND_REASONS.has(reason)
            ? { reason: reason as Stripe.RefundCreateParams.Reason }
            : { metadata: { reason } }
          : {}),
      };
      const created = await send(
        {
          operation: 'refund',
          method: 'POST',
          path: '/v1/refunds',
          params,
          idempotencyKey: key,
          send: (requestOptions) => getRuntime().client.refunds.create(params, requestOptions),
        },
        options,
      );
      const refund = expectStripeObject<Stripe.Refund>(created, 'refund', 'refund');
      return {
        provider: 'stripe',
        id: refund.id,
        paymentId: id,
        status: mapStripeRefundStatus(refund.status),
        rawStatus: String(refund.status),
        amount: readAmount(refund.amount, 'Refund.amount', 'refund'),
        currency: String(refund.currency).toUpperCase(),
        raw: redact(refund),
      };
    },

    async capture(id: string, input: CaptureInput = {}, options?: RequestOptions): Promise<Payment> {
      classifyStripePaymentId(id);
      if (input.amount !== undefined) {
        assertMinorUnits(input.amount, 'capture amount');
        if (input.amount === 0) {
          throw new InvalidRequestError(
            'Stripe capture: amount must be greater than zero (cancel the payment to release the hold instead).',
            { provider: 'stripe' },
          );
        }
      }
      const key = idempotencyKeyFor(input, options);
      const { intentId, session } = await resolveIntent(id, 'capture', options);
      const params: Stripe.PaymentIntentCaptureParams = {
        expand: INTENT_EXPAND,
        ...(input.amount !== undefined ? { amount_to_capture: input.amount } : {}),
      };
      const intent = await send(
        {
          operation: 'capture',
          method: 'POST',
          path: `/v1/payment_intents/${intentId}/capture`,
          params,
          idempotencyKey: key,
          send: (requestOptions) =>
            getRuntime().client.paymentIntents.capture(intentId, params, requestOptions),
        },
        options,
      );
      return paymentFromIntent(
        expectStripeObject<Stripe.PaymentIntent>(intent, 'payment_intent', 'capture'),
        { id, reference: session?.client_reference_id ?? undefined, apiVersion: versionOf(intent) },
      );
    },

    async cancel(id: string, options?: RequestOptions): Promise<Payment> {
      const kind = classifyStripePaymentId(id);
      const key = idempotencyKeyFor({}, options);
      let intentId = id;
      let session: Stripe.Checkout.Session | undefined;
      if (kind === 'checkout_session') {
        session = await retrieveSession(id, 'cancel', options);
        if (session.status === 'expired') return paymentFromSession(session, versionOf(session));
        const sessionIntent = expandableId(session.payment_intent);
        if (session.status === 'open' || !sessionIntent) {
          // Nothing is held yet: expiring the session stops the customer from paying.
          const expired = await send(
            {
              operation: 'cancel',
              method: 'POST',
              path: `/v1/checkout/sessions/${id}/expire`,
              params: {},
              idempotencyKey: key,
              send: (requestOptions) => getRuntime().client.checkout.sessions.expire(id, {}, requestOptions),
            },
            options,
          );
          return paymentFromSession(
            expectStripeObject<Stripe.Checkout.Session>(expired, 'checkout.session', 'cancel'),
            versionOf(expired),
          );
        }
        intentId = sessionIntent;
      }
      const params: Stripe.PaymentIntentCancelParams = { expand: INTENT_EXPAND };
      const intent = await send(
        {
          operation: 'cancel',
          method: 'POST',
          path: `/v1/payment_intents/${intentId}/cancel`,
          params,
          idempotencyKey: key,
          send: (requestOptions) =>
            getRuntime().client.paymentIntents.cancel(intentId, params, requestOptions),
        },
        options,
      );
      return paymentFromIntent(expectStripeObject<Stripe.PaymentIntent>(intent, 'payment_intent', 'cancel'), {
        id,
        reference: session?.client_reference_id ?? undefined,
        apiVersion: versionOf(intent),
      });
    },

    async chargeSavedMethod(input: ChargeSavedMethodInput, options?: RequestOptions): Promise<Payment> {
      const amount = validatePaymentBasics(input);
      const providerOptions = readProviderOptions(input.providerOptions);
      const params = buildSavedMethodChargeParams(input, amount, providerOptions);
      const key = idempotencyKeyFor(input, options);
      const withExpand: Stripe.PaymentIntentCreateParams = { ...params, expand: INTENT_EXPAND };
      const intent = await send(
        {
          operation: 'chargeSavedMethod',
          method: 'POST',
          path: '/v1/payment_intents',
          params: withExpand,
          idempotencyKey: key,
          recover: intentFromCardError,
          send: (requestOptions) => getRuntime().client.paymentIntents.create(withExpand, requestOptions),
        },
        options,
      );
      return paymentFromIntent(
        expectStripeObject<Stripe.PaymentIntent>(intent, 'payment_intent', 'chargeSavedMethod'),
        { apiVersion: versionOf(intent) },
      );
    },

    async verifyWebhook(request: {
      rawBody: string | Uint8Array;
      headers: HeadersLike;
    }): Promise<WebhookEvent> {
      const webhooks = settings.stripe?.webhooks ?? runtime?.client.webhooks ?? Stripe.webhooks;
      return verifyStripeWebhook(webhooks, request, {
        secrets: getWebhookSecrets(),
        toleranceSeconds: tolerance,
      });
    },
  };
  return adapter;
}

/**
 * A declined PaymentIntent confirmation is a 402 whose body carries the PaymentIntent: the
 * payment exists (with `last_payment_error`), so it is returned as a `failed` or
 * `requires_action` payment rather than thrown.
 */
function intentFromCardError(error: unknown): Stripe.PaymentIntent | undefined {
  const raw = (error as { type?: unknown; raw?: { payment_intent?: unknown } } | null)?.raw;
  const type = (error as { type?: unknown } | null)?.type;
  const intent = raw?.payment_intent;
  return type === 'StripeCardError' &&
    typeof intent === 'object' &&
    intent !== null &&
    (intent as { object?: unknown }).object === 'payment_intent'
    ? (intent as Stripe.PaymentIntent)
    : undefined;
}

function readProviderOptions(providerOptions: CreatePaymentInput['providerOptions']): StripeProviderOptions {
  const options = providerOptions?.stripe;
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new InvalidRequestError('Stripe: providerOptions.stripe must be an object.', {
      provider: 'stripe',
    });
  }
  const mode = (options as StripeProviderOptions).mode;
  if (mode !== undefined && mode !== 'checkout' && mode !== 'payment_intent') {
    throw new InvalidRequestError(
      `Stripe: providerOptions.stripe.mode must be "checkout" or "payment_intent", got ${JSON.stringify(mode)}.`,
      { provider: 'stripe' },
    );
  }
  return options as StripeProviderOptions;
}

function validateSettings(settings: StripeAdapterSettings): void {
  if (settings.transport || settings.dispatcher) {
    throw new ConfigurationError(
      'Stripe adapter: `transport` and `dispatcher` do not apply, stripe-node sends its own requests. Pass `fetch`, or `stripeOptions.httpAgent` / `stripeOptions.httpClient` (a proxy agent, a custom client).',
      { provider: 'stripe' },
    );
  }
  if (settings.stripe && (settings.apiKey !== undefined || settings.stripeOptions || settings.fetch)) {
    throw new ConfigurationError(
      'Stripe adapter: pass either a configured `stripe` instance or `apiKey` (with `stripeOptions`, `fetch`), not both: configure your instance directly.',
      { provider: 'stripe' },
    );
  }
  const tolerance = settings.webhookToleranceSeconds;
  if (tolerance !== undefined && !(Number.isFinite(tolerance) && tolerance > 0)) {
    throw new ConfigurationError(
      'Stripe adapter: `webhookToleranceSeconds` must be a positive number of seconds (a signature without a time limit can be replayed forever).',
      { provider: 'stripe' },
    );
  }
  const mode = settings.defaultMode;
  if (mode !== undefined && mode !== 'checkout' && mode !== 'payment_intent') {
    throw new ConfigurationError('Stripe adapter: `defaultMode` must be "checkout" or "payment_intent".', {
      provider: 'stripe',
    });
  }
}

function checkApiKey(apiKey: string): void {
  if (apiKey.startsWith('pk_')) {
    throw new ConfigurationError(
      'Stripe adapter: the API key is a publishable key (pk_...), which only works in browsers. Use the secret key (sk_...) or a restricted key (rk_...).',
      { provider: 'stripe' },
    );
  }
  if (apiKey.startsWith('whsec_')) {
    throw new ConfigurationError(
      'Stripe adapter: the API key is a webhook signing secret (whsec_...). Pass it as `webhookSecret`, and the secret API key (sk_...) as `apiKey`.',
      { provider: 'stripe' },
    );
  }
  if (!/^(sk|rk)_/.test(apiKey)) {
    throw new ConfigurationError(
      'Stripe adapter: the API key should start with sk_ (secret key) or rk_ (restricted key).',
      { provider: 'stripe' },
    );
  }
}

function clientConfig(settings: StripeAdapterSettings): Stripe.StripeConfig {
  const options = settings.stripeOptions ?? {};
  const appInfo = options.appInfo ?? {
    name: 'Colchis',
    version: settings.userAgentSuffix ? `${VERSION} ${settings.userAgentSuffix}` : VERSION,
    url: 'https://github.com/colchis-sdk/colchis',
  };
  return {
    ...options,
    appInfo,
    ...(settings.fetch && !options.httpClient
      ? { httpClient: Stripe.createFetchHttpClient(settings.fetch as typeof fetch) }
      : {}),
  };
}

function instanceRetries(client: Stripe): number | undefined {
  try {
    const value = client.getMaxNetworkRetries();
    return Number.isInteger(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function apiBaseUrl(client: Stripe): string {
  try {
    const protocol = client.getApiField('protocol') ?? 'https';
    const host = client.getApiField('host') ?? 'api.stripe.com';
    const port = String(client.getApiField('port') ?? '');
    const defaultPort = (protocol === 'https' && port === '443') || (protocol === 'http' && port === '80');
    return `${protocol}://${host}${port && !defaultPort ? `:${port}` : ''}`;
  } catch {
    return 'https://api.stripe.com';
  }
}
