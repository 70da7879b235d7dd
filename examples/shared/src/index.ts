/**
 * What the two example apps share. Copying one app? Copy this folder with it.
 * @packageDocumentation
 */

export { type Sandbox, type SandboxOptions, startSandbox } from '@colchis/sandbox';
export * from './admin-auth.js';
export * from './app-clock.js';
export * from './app-environment.js';
export * from './app-options.js';
export * from './create-provider.js';
export * from './database.js';
export * from './html.js';
export * from './http-server.js';
export * from './payment-ledger.js';
export * from './payment-sync.js';
export * from './provider-storage.js';
export * from './session-cookie.js';
