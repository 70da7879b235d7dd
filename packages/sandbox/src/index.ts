/**
 * `@colchis/sandbox`: an offline, stateful emulator of the gateways Colchis supports, for
 * examples, demos and your own integration tests.
 * @packageDocumentation
 */

export type { BogSandbox, BogSandboxSettings } from './bog/bog-emulator.js';
export type { SandboxClock } from './clock.js';
export type { FaultRegistry, SandboxFault } from './faults.js';
export type { IokaSandbox, IokaTestCard } from './ioka/ioka-emulator.js';
export type { IpaySandbox } from './ipay/ipay-emulator.js';
export type { ProCreditSandbox, ProCreditSandboxSettings } from './procredit/procredit-emulator.js';
export { type Sandbox, type SandboxOptions, startSandbox } from './server.js';
export type { StripeSandbox } from './stripe/stripe-emulator.js';
export type { WebhookDelivery, WebhookPolicy, WebhookQueue } from './webhook-queue.js';
