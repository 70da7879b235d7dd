/**
 * `@colchis/bog/ipay`: Bank of Georgia's legacy iPay API (`ipay.ge/opay/api/v1`), as a client
 * (`createIpayClient`) and as a Colchis PaymentProvider (`createIpay`). New integrations should
 * use Payments v1 (`createBog` from `@colchis/bog`).
 * @packageDocumentation
 */

export * from './ipay-api.js';
export { type IpayCallback, type IpayCallbackKind, parseIpayCallback } from './ipay-callback.js';
export { createIpayClient, type IpayClient } from './ipay-client.js';
export { ipayErrorDetails } from './ipay-errors.js';
export { getIpayApproveUrl, getIpayLink, getIpayOrderId } from './ipay-order-links.js';
export {
  type IpayPayment,
  type IpayPaymentContext,
  ipayFailure,
  normalizeBrand,
  toIpayPayment,
} from './ipay-payment.js';
export {
  createIpay,
  type IpayCreatePaymentOptions,
  type IpayProvider,
  type IpayProviderSettings,
} from './ipay-provider.js';
export * from './ipay-requests.js';
export {
  IPAY_ENVIRONMENTS,
  type IpayClientSettings,
  type IpayEnvironment,
  type ResolvedIpaySettings,
  resolveIpaySettings,
} from './ipay-settings.js';
export { buildIpayCallback, type IpayTestCallbackFields } from './ipay-test-callback.js';
export { VERSION } from './ipay-version.js';
export type {
  IpayOrderLookup,
  IpayStoredOrder,
  IpayVerifyWebhookOptions,
  IpayWebhookEvent,
} from './ipay-webhook.js';
export { verifyIpayCallback } from './ipay-webhook.js';
export { IPAY_PRE_AUTH_STATUSES, IPAY_STATUSES, mapIpayStatus } from './map-ipay-status.js';
