/**
 * `@colchis/ioka`: the ioka (Kazakhstan) v2 API for Colchis: a typed client, a
 * `PaymentProvider`, and webhook signature verification that matches what ioka signs.
 * @packageDocumentation
 */

export * from './ioka-api.js';
export * from './ioka-canonical-json.js';
export * from './ioka-client.js';
export { formatIokaDateTime, parseIokaDateTime } from './ioka-date.js';
export { createIokaErrorClassifier, iokaErrorDetails } from './ioka-errors.js';
export * from './ioka-provider.js';
export * from './ioka-settings.js';
export { tenge } from './ioka-tenge.js';
export * from './ioka-webhook.js';
export * from './ioka-webhook-signing.js';
export * from './map-ioka-failure.js';
export * from './map-ioka-payment.js';
export * from './map-ioka-status.js';
export * from './map-ioka-webhook-event.js';
export { VERSION } from './version.js';
