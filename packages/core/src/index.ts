/**
 * `@colchis/core`: the PaymentProvider spec shared by every Colchis gateway package, plus the
 * plumbing they are built on (money, errors, HTTP transport, retries, token cache, webhook crypto).
 * @packageDocumentation
 */

export * from './bearer-auth.js';
export * from './client-settings.js';
export { defaultTransport } from './default-transport.js';
export * from './errors.js';
export { type FetchFunction, fetchTransport } from './fetch-transport.js';
export * from './headers.js';
export * from './hooks.js';
export * from './http-client.js';
export * from './idempotency-key.js';
export * from './load-setting.js';
export * from './money.js';
export * from './payment-status.js';
export * from './payment-types.js';
export * from './raw-body.js';
export * from './redact.js';
export * from './retry.js';
export * from './token-cache.js';
export * from './transport.js';
export * from './unsupported-operation.js';
export { VERSION } from './version.js';
export * from './webhook-crypto.js';
