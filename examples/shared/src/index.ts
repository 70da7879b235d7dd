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
export * from './describe-error.js';
export * from './html.js';
export * from './http-server.js';
export * from './page-fragments.js';
export * from './payment-ledger.js';
export * from './payment-routes.js';
export * from './payment-sync.js';
export * from './provider-storage.js';
export * from './run-example-app.js';
export * from './session-cookie.js';
export * from './sign-in-routes.js';
export * from './start-example-app.js';
export * from './user-facing-error.js';
