/**
 * Helpers of the example apps' browser tests: Chromium (or a clear skip), the sandbox test cards
 * per gateway, a driver for the sandbox hosted pages, the sandbox control API, and the suite that
 * runs an app on every gateway.
 * @packageDocumentation
 */
export * from './browser.js';
export * from './example-app-suite.js';
export * from './gateway-cards.js';
export * from './hosted-page.js';
export * from './sandbox-control.js';
