/**
 * `@colchis/procredit`: ProCredit Bank Georgia's e-commerce gateway (Quipu hosted page, the
 * "TXPG" JSON protocol) over mutual TLS, with presets for Kapital Bank and MilliKart, which
 * speak the same protocol with HTTP Basic.
 * @packageDocumentation
 */

export {
  evaluateProCreditOrder,
  mapProCreditStatus,
  PROCREDIT_STATUSES,
  type ProCreditOrderEvaluation,
} from './map-procredit-status.js';
export { formatProCreditAmount, readProCreditAmount } from './procredit-amount.js';
export * from './procredit-api.js';
export {
  browserContextFromRequest,
  type ProCreditBrowserContext,
  type ProCreditConsumerBrowser,
  toConsumerBrowser,
} from './procredit-browser.js';
export {
  type CertificateInput,
  type ClientCertificateInfo,
  type LoadedTlsMaterial,
  normalizePemText,
  type ProCreditTlsSettings,
} from './procredit-certificates.js';
export type { ChargeStoredCardInput, StoredCardCharge } from './procredit-charge-stored-card.js';
export {
  type CreatedOrder,
  type CreateOrderInput,
  createProCreditClient,
  type GetOrderInput,
  type ProCreditClient,
  type ProCreditCofPurpose,
  type TransactionRequest,
} from './procredit-client.js';
export { toBankDescription } from './procredit-description.js';
export {
  createProCreditErrorClassifier,
  isProCreditErrorBody,
  procreditErrorDetails,
} from './procredit-errors.js';
export { buildHostedPageUrl, type HostedPageOrder } from './procredit-hosted-page.js';
export {
  decodeProCreditPaymentId,
  encodeProCreditPaymentId,
  isProCreditPaymentId,
  type ProCreditPaymentReference,
} from './procredit-payment-id.js';
export { APPROVED_PMO_CODES, failureFromPmoCode } from './procredit-pmo-codes.js';
export {
  PROCREDIT_PRESETS,
  type ProCreditAmountFormat,
  type ProCreditAuthentication,
  type ProCreditEnvironment,
  type ProCreditPreset,
  type ProCreditPresetName,
  type ProCreditTypeRids,
} from './procredit-presets.js';
export {
  createProCredit,
  type HandleReturnOptions,
  type ProCreditPaymentOptions,
  type ProCreditProvider,
} from './procredit-provider.js';
export {
  type ProCreditReturnHint,
  type ProCreditReturnInput,
  parseProCreditReturn,
} from './procredit-return.js';
export { hasNodeTls, type ProcessLike } from './procredit-runtime.js';
export type {
  ProCreditBasicAuth,
  ProCreditSettings,
  ResolvedProCreditSettings,
} from './procredit-settings.js';
export type { VerifiedConnection } from './procredit-transport.js';
export { VERSION } from './version.js';
