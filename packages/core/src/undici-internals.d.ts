// Types of the two undici modules core's transport imports directly (undici publishes types for
// its index only). See undici-transport.ts for why.
declare module 'undici/lib/global.js' {
  /** The dispatcher undici's own `request` and `fetch` use: a keep-alive `Agent` unless replaced. */
  export function getGlobalDispatcher(): import('undici').Dispatcher;
}

declare module 'undici/lib/core/util.js' {
  /** Turns undici's raw header list into a record with lower-case names (repeats as arrays). */
  export function parseHeaders(
    headers: Buffer[],
    target?: Record<string, string | string[]>,
  ): Record<string, string | string[]>;
}
