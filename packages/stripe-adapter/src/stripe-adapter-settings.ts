import type { ClientSettings } from '@colchis/core';
import type Stripe from 'stripe';

/**
 * Settings of {@link createStripeAdapter}. Give it either a configured `stripe` instance or an
 * `apiKey` (plus `stripeOptions` for the client the adapter then creates). The shared Colchis
 * settings apply as follows: `timeoutMs`, `maxRetries`, `retry`, `hooks` and `headers` are applied
 * to every call; `fetch` makes the created client send through `fetch` (edge runtimes, msw);
 * `userAgentSuffix` is appended to the created client's `appInfo`. `transport` and `dispatcher`
 * are undici concepts stripe-node does not use: pass `stripeOptions.httpAgent` or
 * `stripeOptions.httpClient` instead.
 */
export interface StripeAdapterSettings extends ClientSettings {
  /** A configured stripe-node client. The adapter uses it as is (except retries, see the README). */
  stripe?: Stripe | undefined;
  /**
   * Secret (`sk_...`) or restricted (`rk_...`) API key, used when no `stripe` instance is given.
   * Default: the `STRIPE_SECRET_KEY` environment variable, read on first use.
   */
  apiKey?: string | undefined;
  /**
   * Options for the stripe-node client the adapter creates from `apiKey`: `apiVersion`, `host`,
   * `port`, `protocol` (the sandbox), `httpAgent`, `httpClient`, `stripeAccount`, `appInfo`...
   */
  stripeOptions?: Stripe.StripeConfig | undefined;
  /**
   * The webhook endpoint's signing secret (`whsec_...`), or several during a secret rotation.
   * Default: the `STRIPE_WEBHOOK_SECRET` environment variable (comma-separated for several).
   */
  webhookSecret?: string | readonly string[] | undefined;
  /** Maximum age of a webhook signature in seconds. Default 300 (Stripe's). Must be positive. */
  webhookToleranceSeconds?: number | undefined;
  /**
   * What `createPayment` creates unless `providerOptions.stripe.mode` says otherwise: a hosted
   * `checkout` page (default) or a `payment_intent` for your own page with Stripe.js.
   */
  defaultMode?: 'checkout' | 'payment_intent' | undefined;
}
