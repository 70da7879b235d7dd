/**
 * `@colchis/stripe-adapter`: the Colchis PaymentProvider interface over the official `stripe`
 * package (a peer dependency).
 * @packageDocumentation
 */

export { mapStripeFailure, mapStripeFailureCode, type StripeErrorFields } from './map-stripe-failure.js';
export { mapStripeRefundStatus, mapStripeStatus, STRIPE_STATUS_MAP } from './map-stripe-status.js';
export { createStripeAdapter, STRIPE_CAPABILITIES, type StripeAdapter } from './stripe-adapter.js';
export type { StripeAdapterSettings } from './stripe-adapter-settings.js';
export { getStripeClientSecret } from './stripe-client-secret.js';
export type { StripeProviderOptions } from './stripe-create-params.js';
export { isStripeError, mapStripeError, type StripeErrorContext } from './stripe-errors.js';
export {
  type IntentPaymentOptions,
  paymentFromIntent,
  paymentFromSession,
  SAVED_METHOD_CHARGE_KEY,
} from './stripe-payment.js';
export { createStripeTestWebhook, type StripeTestWebhook } from './stripe-test-webhook.js';
export { mapStripeEvent } from './stripe-webhook.js';
export { VERSION } from './version.js';
