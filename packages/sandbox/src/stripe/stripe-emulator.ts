import type { GatewayEmulator } from '../sandbox-context.js';
import { mountStripeApiRoutes } from './stripe-api-routes.js';
import { StripeBackend } from './stripe-backend.js';
import { StripeEvents } from './stripe-events.js';
import { mountStripeHostedPages } from './stripe-hosted-pages.js';
import { StripeStore } from './stripe-store.js';
import { STRIPE_TEST_CARDS, type StripeTestCard } from './stripe-test-cards.js';

/** The id of the endpoint {@link StripeSandbox.setWebhookUrl} manages. */
const DEFAULT_ENDPOINT_ID = 'we_colchis_sandbox';

/** What tests (and the official `stripe` client) need to know about the emulated Stripe. */
export interface StripeSandbox {
  /** Base URL of the sandbox: the API is at `${url}/v1`, hosted pages under `${url}/stripe`. */
  url: string;
  /** For `new Stripe(apiKey, { host, port, protocol })`: stripe-node takes no path prefix. */
  host: string;
  port: number;
  protocol: 'http';
  /** The secret key the emulated API accepts. */
  apiKey: string;
  /** The signing secret of the endpoint set with {@link setWebhookUrl}. */
  webhookSecret: string;
  /** Stripe's test cards the hosted page knows, with their outcomes. */
  testCards: readonly StripeTestCard[];
  /**
   * Sends every event to `url`, signed with {@link webhookSecret} (`undefined` stops). Also
   * available as `POST /_control/stripe/webhook-endpoint {"url": "..."}`, and endpoints can be
   * created through the API (`POST /v1/webhook_endpoints`, each with its own secret).
   */
  setWebhookUrl(url: string | undefined, enabledEvents?: readonly string[]): void;
  /** Every event created so far, oldest first (also `GET /v1/events`). */
  events(): ReadonlyArray<{ id: string; type: string; data: { object: Record<string, unknown> } }>;
}

/** Options of {@link stripeEmulator}. */
export interface StripeEmulatorOptions {
  /** Secret key to accept. Default `sk_test_colchis_sandbox`. */
  apiKey?: string | undefined;
  /** Default endpoint signing secret. Default `whsec_colchis_sandbox`. */
  webhookSecret?: string | undefined;
}

/**
 * The Stripe emulator: the subset of Stripe's API the Colchis adapter uses (Checkout Sessions
 * with a hosted page, PaymentIntents, charges, refunds, customers, payment methods, events,
 * webhook endpoints) at the sandbox root, so the official `stripe` client works offline when
 * pointed at it with `host`, `port` and `protocol`.
 */
export function stripeEmulator(options: StripeEmulatorOptions = {}): GatewayEmulator<StripeSandbox> {
  const apiKey = options.apiKey ?? 'sk_test_colchis_sandbox';
  const webhookSecret = options.webhookSecret ?? 'whsec_colchis_sandbox';
  const store = new StripeStore();
  return {
    name: 'stripe',
    mount(context) {
      const events = new StripeEvents(store, context.clock, context.webhooks);
      const backend = new StripeBackend(store, context.clock, events, context.url);
      mountStripeApiRoutes(context.router, {
        store,
        backend,
        apiKey: () => apiKey,
        now: () => context.clock.now(),
      });
      mountStripeHostedPages(context.router, store, backend);
      context.clock.onAdvance(() => backend.sweep());

      const setWebhookUrl = (url: string | undefined, enabledEvents: readonly string[] = ['*']) => {
        if (url === undefined) {
          store.endpoints.delete(DEFAULT_ENDPOINT_ID);
          return;
        }
        new URL(url); // throws on a malformed URL, before anything is delivered there
        store.endpoints.set(DEFAULT_ENDPOINT_ID, {
          id: DEFAULT_ENDPOINT_ID,
          url,
          secret: webhookSecret,
          enabledEvents: [...enabledEvents],
          disabled: false,
          created: Math.floor(context.clock.now() / 1000),
        });
      };
      context.router.add('POST', '/_control/stripe/webhook-endpoint', (request) => {
        const body = request.json<{ url?: unknown; enabled_events?: unknown }>();
        const url = body?.url;
        if (url !== null && typeof url !== 'string') {
          return { status: 400, json: { error: 'Send {"url": "https://..."} (or {"url": null} to stop).' } };
        }
        const enabled = Array.isArray(body?.enabled_events)
          ? body.enabled_events.filter((item): item is string => typeof item === 'string')
          : undefined;
        try {
          setWebhookUrl(url ?? undefined, enabled);
        } catch {
          return { status: 400, json: { error: `Not a URL: ${url}` } };
        }
        return { status: 200, json: { url, secret: webhookSecret } };
      });
      context.router.add('GET', '/_control/stripe/webhook-endpoint', () => ({
        status: 200,
        json: { url: store.endpoints.get(DEFAULT_ENDPOINT_ID)?.url ?? null, secret: webhookSecret },
      }));

      const base = new URL(context.url);
      return {
        url: context.url,
        // stripe-node hands the host to http.request, which wants IPv6 without brackets.
        host: base.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: Number(base.port),
        protocol: 'http',
        apiKey,
        webhookSecret,
        testCards: STRIPE_TEST_CARDS,
        setWebhookUrl,
        events: () => store.events as unknown as ReturnType<StripeSandbox['events']>,
      } satisfies StripeSandbox;
    },
    reset() {
      // Data goes; webhook endpoints are configuration and stay (like an app's Dashboard setup).
      store.reset();
    },
    describe(info) {
      return [
        `Stripe: API ${info.url}/v1 (new Stripe('${info.apiKey}', { host: '${info.host}', port: ${info.port}, protocol: 'http' }))`,
        `  webhook secret ${info.webhookSecret}; set the endpoint with POST ${info.url}/_control/stripe/webhook-endpoint {"url": "..."}`,
        `  test cards: ${STRIPE_TEST_CARDS.slice(0, 4)
          .map((card) => `${card.number} (${card.outcome})`)
          .join(', ')}, ...`,
      ];
    },
  };
}
