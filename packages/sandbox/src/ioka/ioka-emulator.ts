import type { GatewayEmulator } from '../sandbox-context.js';
import { mountIokaApiRoutes } from './ioka-api-routes.js';
import { mountIokaCheckoutRoutes } from './ioka-checkout-routes.js';
import { IOKA_ACS_PASSWORD, IOKA_TEST_CARDS, type IokaTestCard } from './ioka-sandbox-cards.js';
import { IokaSandboxEngine } from './ioka-sandbox-engine.js';

export { IOKA_ACS_PASSWORD, IOKA_TEST_CARDS, type IokaTestCard } from './ioka-sandbox-cards.js';

/** The API key the ioka sandbox accepts (send it as `API-KEY`). */
export const IOKA_SANDBOX_API_KEY = 'sandbox_ioka_secret_key_0123456789abcdef';

/** What tests need to know about the emulated ioka v2. */
export interface IokaSandbox {
  /** Base URL of the emulated API (ioka's paths, `/v2/...`, go under it): `http://127.0.0.1:PORT/ioka`. */
  url: string;
  /** The secret API key the sandbox accepts (`API-KEY` header); any other gets 401 `Unauthorized`. */
  apiKey: string;
  /**
   * Ready settings for `createIokaClient` / `createIoka` from `@colchis/ioka`:
   * `createIoka({ ...sandbox.ioka.settings, webhookKey })`. Webhooks are registered through the
   * API (`client.webhooks.create`), which returns each webhook's signing `key`.
   */
  settings: { baseUrl: string; apiKey: string; environment: 'stage' };
  /** Base URL of the hosted pages (checkout, 3-D Secure, card-save). */
  checkoutUrl: string;
  /** The 3-D Secure card's ACS password. */
  acsPassword: string;
  /** ioka's documented test cards and what they do here. */
  testCards: readonly IokaTestCard[];
}

/**
 * The ioka v2 emulator: orders (409 `OrderExists` on a repeated `external_id`, `due_date`
 * expiry on the sandbox clock, ~48 h auto-capture of holds), payments, capture, cancel, refunds,
 * customers, saved cards, subscriptions, webhook registration with per-webhook keys, the checkout
 * and card-save pages with ioka's test cards (3-D Secure password `12345678`), and webhooks
 * signed like ioka signs them (HMAC-SHA256 over the sorted canonical JSON, `X-Signature`).
 */
export function iokaEmulator(): GatewayEmulator<IokaSandbox> {
  let engine: IokaSandboxEngine | undefined;
  return {
    name: 'ioka',
    mount(context) {
      const base = `${context.url}/ioka`;
      engine = new IokaSandboxEngine(context, base);
      const current = engine;
      mountIokaApiRoutes(context.router, current, IOKA_SANDBOX_API_KEY);
      mountIokaCheckoutRoutes(context.router, current);
      context.clock.onAdvance((now) => current.tick(now));
      return {
        url: base,
        apiKey: IOKA_SANDBOX_API_KEY,
        settings: { baseUrl: base, apiKey: IOKA_SANDBOX_API_KEY, environment: 'stage' },
        checkoutUrl: `${base}/checkout`,
        acsPassword: IOKA_ACS_PASSWORD,
        testCards: IOKA_TEST_CARDS,
      };
    },
    reset() {
      engine?.reset();
    },
    describe(info) {
      return [
        `ioka v2: ${info.url} (API-KEY: ${info.apiKey}; register webhooks with POST /v2/webhooks)`,
        ...info.testCards.map((card) => `  ioka test card ${card.number}: ${card.description}`),
      ];
    },
  };
}
