/**
 * `@colchis/sandbox`: an offline, stateful emulator of the gateways Colchis supports, for
 * examples, demos and your own integration tests.
 * @packageDocumentation
 */

export type { BogSandbox, BogSandboxSettings } from './bog/bog-emulator.js';
export type { SandboxClock } from './clock.js';
export type { FaultRegistry, SandboxFault } from './faults.js';
export type { IokaSandbox, IokaTestCard } from './ioka/ioka-emulator.js';
export type {
  IpayCallbackUrls,
  IpayCardOutcome,
  IpaySandbox,
  IpaySandboxOrder,
  IpayTestCard,
} from './ipay/ipay-emulator.js';
export type { ProCreditSandbox, ProCreditSandboxSettings } from './procredit/procredit-emulator.js';
export type { ProCreditSandboxCard } from './procredit/procredit-sandbox-cards.js';
export type {
  CertificateAndKey,
  ProCreditCertificateFiles,
  ProCreditCertificates,
} from './procredit/procredit-sandbox-certificates.js';
export { type Sandbox, type SandboxOptions, startSandbox } from './server.js';
export type { StripeSandbox } from './stripe/stripe-emulator.js';
export type { StripeCardBehaviour, StripeTestCard } from './stripe/stripe-test-cards.js';
export type { CardOutcome } from './test-cards.js';
export type { WebhookDelivery, WebhookPolicy, WebhookQueue } from './webhook-queue.js';
