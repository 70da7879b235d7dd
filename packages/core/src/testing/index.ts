/**
 * `@colchis/core/testing`: the provider contract suite every gateway package runs, the
 * fault-injecting server behind it, and a mock provider for your own tests.
 * @packageDocumentation
 */
export * from './describe-provider-contract.js';
export * from './fault-server.js';
export * from './mock-provider.js';
