// The ONE place the examples know which gateway they talk to. Everything else codes against
// core's PaymentProvider. Copying an app to production? This is the file to adapt.
import { createBog } from '@colchis/bog';
import { createIpay, type IpayPayment } from '@colchis/bog/ipay';
import { ConfigurationError, type Money, type Payment, type PaymentProvider } from '@colchis/core';
import { createIoka, IOKA_WEBHOOK_EVENTS } from '@colchis/ioka';
import { createProCredit, decodeProCreditPaymentId } from '@colchis/procredit';
import { type Sandbox, startSandbox } from '@colchis/sandbox';
import { createStripeAdapter } from '@colchis/stripe-adapter';
import Stripe from 'stripe';
import { type AppClock, systemClock } from './app-clock.js';
import type { ExampleAppOptions, ProviderContext, ProviderFactory } from './app-options.js';
import type { ProviderStorage } from './provider-storage.js';

/** The gateways the examples run on (`COLCHIS_PROVIDER`). */
export const PROVIDER_NAMES = ['bog', 'ipay', 'procredit', 'ioka', 'stripe'] as const;

/** One of {@link PROVIDER_NAMES}. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Where the provider's requests go. */
export type ProviderMode = 'sandbox' | 'gateway-test';

/** Everything an example app needs to know about its gateway. */
export interface ProviderSetup {
  name: ProviderName;
  /** `sandbox`: the in-process Colchis sandbox; `gateway-test`: the gateway's own test environment. */
  mode: ProviderMode;
  /** The sandbox in use (sandbox mode only). */
  sandbox: Sandbox | undefined;
  /** The options to spread into `createEnrollmentApp` / `createSubscriptionApp`. */
  appOptions: Pick<
    ExampleAppOptions,
    'provider' | 'currency' | 'clock' | 'displayPaymentId' | 'resendUnansweredCharges'
  >;
  /** Human-readable lines about the setup (no secrets). */
  describe(): string[];
  /** Stops the sandbox if this setup started it. */
  close(): Promise<void>;
}

/** Options of {@link createProviderSetup}. */
export interface ProviderSetupOptions {
  /** Default: `COLCHIS_PROVIDER`, else `bog`. */
  name?: ProviderName | undefined;
  /** A running sandbox to use (the demo and the tests share one). Forces sandbox mode. */
  sandbox?: Sandbox | undefined;
  /** Where credentials are read from. Default `process.env`. */
  environment?: Readonly<Record<string, string | undefined>> | undefined;
}

/** Reads `COLCHIS_PROVIDER`. */
export function readProviderName(
  environment: Readonly<Record<string, string | undefined>> = process.env,
): ProviderName {
  const value = (environment.COLCHIS_PROVIDER ?? 'bog').trim().toLowerCase();
  if (!(PROVIDER_NAMES as readonly string[]).includes(value)) {
    throw new ConfigurationError(
      `COLCHIS_PROVIDER must be one of ${PROVIDER_NAMES.join(', ')}; got "${value}".`,
    );
  }
  return value as ProviderName;
}

const CURRENCIES: Readonly<Record<ProviderName, string>> = {
  bog: 'GEL',
  ipay: 'GEL',
  procredit: 'GEL',
  ioka: 'KZT',
  stripe: 'USD',
};

// Whether a charge whose answer was lost may be sent again with the same key: BOG and Stripe
// honour Idempotency-Key; ioka's provider first looks the order up by its external_id. ProCredit
// and iPay have nothing of the kind, so a lost answer waits for an admin.
const RESENDS_SAFELY: Readonly<Record<ProviderName, boolean>> = {
  bog: true,
  ipay: false,
  procredit: false,
  ioka: true,
  stripe: true,
};

/** Whether the environment holds credentials for the gateway's own test environment. */
export function hasGatewayCredentials(
  name: ProviderName,
  environment: Readonly<Record<string, string | undefined>>,
): boolean {
  switch (name) {
    case 'bog':
      return Boolean(environment.BOG_CLIENT_ID && environment.BOG_CLIENT_SECRET);
    case 'ipay':
      return Boolean(environment.IPAY_CLIENT_ID && environment.IPAY_SECRET_KEY);
    case 'procredit':
      return Boolean(
        (environment.PROCREDIT_CERTIFICATE_FILE ||
          environment.PROCREDIT_CERTIFICATE ||
          environment.PROCREDIT_PFX_FILE) &&
          environment.PROCREDIT_BASE_URL,
      );
    case 'ioka':
      return Boolean(environment.IOKA_API_KEY);
    case 'stripe':
      return Boolean(environment.STRIPE_SECRET_KEY);
  }
}

/**
 * Picks the gateway (`COLCHIS_PROVIDER=bog|ipay|procredit|ioka|stripe`). Without that gateway's
 * credentials in the environment it starts the Colchis sandbox in-process and points the
 * provider at it; with them, the provider talks to the gateway's own test environment, the app
 * code unchanged.
 */
export async function createProviderSetup(options: ProviderSetupOptions = {}): Promise<ProviderSetup> {
  const environment = options.environment ?? process.env;
  const name = options.name ?? readProviderName(environment);
  const useGateway = !options.sandbox && hasGatewayCredentials(name, environment);
  let sandbox = options.sandbox;
  const ownsSandbox = !useGateway && !sandbox;
  if (!useGateway && !sandbox) sandbox = await startSandbox();
  const clock: AppClock = sandbox ? sandboxClock(sandbox) : systemClock;
  const factory = useGateway ? gatewayFactory(name, environment) : sandboxFactory(name, sandbox as Sandbox);
  return {
    name,
    mode: useGateway ? 'gateway-test' : 'sandbox',
    sandbox,
    appOptions: {
      provider: factory,
      currency: CURRENCIES[name],
      clock,
      displayPaymentId: displayPaymentIdFor(name),
      resendUnansweredCharges: RESENDS_SAFELY[name],
    },
    describe: () =>
      useGateway
        ? [`${name}: the gateway's own test environment (credentials from the environment)`]
        : [`${name}: the Colchis sandbox at ${sandbox?.url} (no real money)`],
    async close() {
      if (ownsSandbox) await sandbox?.close();
    },
  };
}

/** The sandbox's clock as the apps' clock: advancing it runs their scheduled jobs. */
export function sandboxClock(sandbox: Sandbox): AppClock {
  return {
    now: () => sandbox.clock.now(),
    onAdvance: (listener) => sandbox.clock.onAdvance(async () => listener()),
  };
}

function displayPaymentIdFor(name: ProviderName): (id: string) => string {
  if (name !== 'procredit') return (id) => id;
  // A ProCredit payment id carries the order password: show only the bank's order id.
  return (id) => {
    try {
      return `order ${decodeProCreditPaymentId(id).orderId}`;
    } catch {
      return '(hidden)';
    }
  };
}

function sandboxFactory(name: ProviderName, sandbox: Sandbox): ProviderFactory {
  switch (name) {
    case 'bog':
      // BOG takes the callback URL per order: the apps pass it with every payment.
      return async () => createBog({ ...sandbox.bog.settings });
    case 'ipay':
      return async (context) => {
        // iPay registers callback URLs per merchant, not per order.
        sandbox.ipay.registerCallbackUrls({
          paymentStatus: context.webhookUrl,
          amountReturn: context.webhookUrl,
        });
        return ipayProvider(context, { ...sandbox.ipay.settings });
      };
    case 'procredit':
      return async () => createProCredit({ ...sandbox.procredit.settings });
    case 'ioka':
      return async (context) => iokaProvider(context, { ...sandbox.ioka.settings }, undefined);
    case 'stripe':
      return async (context) => {
        const stripe = new Stripe(sandbox.stripe.apiKey, {
          host: sandbox.stripe.host,
          port: sandbox.stripe.port,
          protocol: sandbox.stripe.protocol,
          maxNetworkRetries: 0,
        });
        const webhookSecret = await stripeWebhookSecret(stripe, context);
        return createStripeAdapter({ stripe, webhookSecret });
      };
  }
}

function gatewayFactory(
  name: ProviderName,
  environment: Readonly<Record<string, string | undefined>>,
): ProviderFactory {
  switch (name) {
    case 'bog':
      // Credentials, URLs and the callback key come from BOG_* variables; the examples default to
      // Bank of Georgia's sandbox unless BOG_ENVIRONMENT says otherwise.
      return async () =>
        createBog({ environment: environment.BOG_ENVIRONMENT === 'production' ? 'production' : 'sandbox' });
    case 'ipay':
      // The merchant registers callback URLs with the bank (point them at `${PUBLIC_URL}/webhooks/payments`).
      return async (context) =>
        ipayProvider(context, {
          environment: environment.IPAY_ENVIRONMENT === 'production' ? 'production' : 'sandbox',
        });
    case 'procredit':
      // PROCREDIT_BASE_URL, PROCREDIT_CERTIFICATE_FILE, PROCREDIT_PRIVATE_KEY_FILE, PROCREDIT_CA_FILE, ...
      return async () => createProCredit({ environment: 'test' });
    case 'ioka':
      return async (context) => iokaProvider(context, { environment: 'stage' }, environment.IOKA_WEBHOOK_KEY);
    case 'stripe':
      return async () => {
        const apiKey = environment.STRIPE_SECRET_KEY ?? '';
        if (!apiKey.startsWith('sk_test_') && !apiKey.startsWith('rk_test_')) {
          throw new ConfigurationError('The examples run on Stripe test mode only: use an sk_test_ key.');
        }
        // Webhooks: `stripe listen --forward-to ${PUBLIC_URL}/webhooks/payments` prints the secret.
        return createStripeAdapter({ apiKey, webhookSecret: environment.STRIPE_WEBHOOK_SECRET });
      };
  }
}

/**
 * iPay callbacks are unsigned: the provider authenticates one by the `payment_hash` of the order
 * you stored, then fetches the payment. So this keeps each order's hash (and amount, which iPay's
 * payment details lack) in the app's database.
 */
function ipayProvider(context: ProviderContext, settings: Parameters<typeof createIpay>[0]): PaymentProvider {
  const { storage } = context;
  const key = (orderId: string) => `ipay:order:${orderId}`;
  const provider = createIpay({
    ...settings,
    lookupOrder: (orderId) => {
      const stored = storage.get(key(orderId));
      return stored
        ? (JSON.parse(stored) as { paymentHash: string; amount?: Money; reference?: string })
        : undefined;
    },
  });
  const remember = <T extends Payment>(payment: T): T => {
    const hash = (payment as unknown as IpayPayment).paymentHash;
    if (hash) {
      storage.set(
        key(payment.id),
        JSON.stringify({ paymentHash: hash, amount: payment.amount, reference: payment.reference }),
      );
    }
    return payment;
  };
  return withOverrides(provider, {
    createPayment: async (input, options) => remember(await provider.createPayment(input, options)),
    chargeSavedMethod: async (input, options) => remember(await provider.chargeSavedMethod(input, options)),
  });
}

/**
 * ioka registers webhooks through its API, and each registration has its own signing key. The
 * app reuses the registration of its URL when there is one (ioka lists keys), so a restart does
 * not register the URL twice.
 */
async function iokaProvider(
  context: ProviderContext,
  settings: Parameters<typeof createIoka>[0],
  configuredKey: string | undefined,
): Promise<PaymentProvider> {
  let webhookKey = configuredKey;
  if (!webhookKey) {
    const { client } = createIoka(settings);
    const existing = (await client.webhooks.list()).find(
      (webhook) => webhook.url === context.webhookUrl && webhook.key,
    );
    webhookKey =
      existing?.key ??
      (
        await client.webhooks.create({
          url: context.webhookUrl,
          events: IOKA_WEBHOOK_EVENTS.filter((event) => !event.startsWith('CARD_')),
        })
      ).key ??
      undefined;
    if (!webhookKey) throw new ConfigurationError('ioka registered the webhook but returned no signing key.');
  }
  const provider = createIoka({ ...settings, webhookKey });
  return withOverrides(provider, {
    // Renewals happen without the customer: pay the order from the server with the saved card
    // (ioka must enable this for the shop) instead of returning a checkout page for the CVC.
    chargeSavedMethod: (input, options) =>
      provider.chargeSavedMethod(
        input.providerOptions?.ioka
          ? input
          : { ...input, providerOptions: { ...input.providerOptions, ioka: { payByCardId: true } } },
        options,
      ),
  });
}

/**
 * The sandbox's Stripe: one webhook endpoint per app, created through the API as on Stripe.
 * Stripe shows an endpoint's secret only when it is created, so it is kept in the app's
 * database and reused while the endpoint still exists with the same URL.
 */
async function stripeWebhookSecret(stripe: Stripe, context: ProviderContext): Promise<string> {
  const storage: ProviderStorage = context.storage;
  const stored = storage.get('stripe:webhook-endpoint');
  if (stored) {
    const endpoint = JSON.parse(stored) as { id: string; url: string; secret: string };
    const live = await stripe.webhookEndpoints.retrieve(endpoint.id).catch(() => undefined);
    if (live && live.url === context.webhookUrl && live.status !== 'disabled') return endpoint.secret;
  }
  const created = await stripe.webhookEndpoints.create({ url: context.webhookUrl, enabled_events: ['*'] });
  if (!created.secret)
    throw new ConfigurationError('Stripe created the webhook endpoint but returned no secret.');
  storage.set(
    'stripe:webhook-endpoint',
    JSON.stringify({ id: created.id, url: context.webhookUrl, secret: created.secret }),
  );
  return created.secret;
}

// A provider with some methods replaced, keeping `this`-free delegation for the rest.
function withOverrides(provider: PaymentProvider, overrides: Partial<PaymentProvider>): PaymentProvider {
  return {
    id: provider.id,
    capabilities: provider.capabilities,
    createPayment: (input, options) => provider.createPayment(input, options),
    getPayment: (id, options) => provider.getPayment(id, options),
    refund: (id, input, options) => provider.refund(id, input, options),
    capture: (id, input, options) => provider.capture(id, input, options),
    cancel: (id, options) => provider.cancel(id, options),
    chargeSavedMethod: (input, options) => provider.chargeSavedMethod(input, options),
    verifyWebhook: (request) => provider.verifyWebhook(request),
    ...overrides,
  };
}
