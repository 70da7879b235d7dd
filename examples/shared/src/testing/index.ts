/**
 * Helpers of the example apps' browser tests: Chromium (or a clear skip), the sandbox test cards
 * per gateway, a driver for the sandbox hosted pages, and the sandbox control API.
 * @packageDocumentation
 */
export * from './browser.js';
export * from './gateway-cards.js';
export * from './hosted-page.js';
export * from './sandbox-control.js';
