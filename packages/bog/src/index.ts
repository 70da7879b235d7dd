/**
 * `@colchis/bog`: Bank of Georgia Payments API v1 for Colchis: `BogClient` (every documented
 * endpoint) and the `PaymentProvider` (`createBog`, `bog`). Legacy iPay is in `@colchis/bog/ipay`.
 * @packageDocumentation
 */

export { BOG_CURRENCIES, BOG_DEFAULT_CURRENCY } from './bog-amount.js';
export {
  type BogActionResponse,
  type BogApplePayPaymentResponse,
  type BogCallbackEnvelope,
  type BogCreateOrderResponse,
  type BogReceipt,
  type BogSubscriptionPaymentResponse,
  type BogTokenResponse,
  bogActionResponseSchema,
  bogApplePayPaymentResponseSchema,
  bogCallbackEnvelopeSchema,
  bogCreateOrderResponseSchema,
  bogReceiptSchema,
  bogSubscriptionPaymentResponseSchema,
  bogTokenResponseSchema,
} from './bog-api.js';
export { bogTokenExpiry } from './bog-auth.js';
export { BOG_CALLBACK_PUBLIC_KEYS } from './bog-callback-public-keys.js';
export { BogClient } from './bog-client.js';
export type * from './bog-client-types.js';
export {
  BOG_ENVIRONMENT_NAMES,
  BOG_ENVIRONMENTS,
  type BogEnvironment,
  type BogEnvironmentUrls,
} from './bog-environments.js';
export { toBogIdempotencyKey } from './bog-idempotency-key.js';
export {
  BOG_CAPABILITIES,
  type BogProvider,
  type BogProviderOptions,
  bog,
  createBog,
} from './bog-provider.js';
export type { BogLanguage, BogSettings, BogTheme } from './bog-settings.js';
export {
  type BogTestKeyPair,
  createBogTestCallback,
  createBogTestKeyPair,
  signBogTestCallback,
} from './bog-test-signing.js';
export {
  BOG_SIGNATURE_HEADER,
  normalizeBogSignature,
  type VerifyBogCallbackInput,
  verifyBogCallback,
} from './bog-webhook.js';
export { BOG_RESPONSE_CODES, mapBogFailureCode } from './map-bog-failure-code.js';
export { type BogSavedMethod, bogPaymentPageUrl, mapBogPayment } from './map-bog-payment.js';
export { BOG_ORDER_STATUS_MAP, mapBogPaymentStatus, mapBogStatus } from './map-bog-status.js';
export { VERSION } from './version.js';
