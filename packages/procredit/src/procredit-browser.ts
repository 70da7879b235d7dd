import { getHeader, type HeadersLike } from '@colchis/core';

/**
 * The customer's browser, as your server saw it, for 3-D Secure 2 risk checks. Every Quipu
 * integration sends it as `order.consumerDevice.browser`; take the values from the customer's
 * request (IP, headers) and, for screen and time zone, from your checkout page's JavaScript.
 */
export interface ProCreditBrowserContext {
  /** The customer's IP address (behind a proxy: the client address your framework resolved). */
  ip?: string | undefined;
  /** The `User-Agent` header. */
  userAgent?: string | undefined;
  /** The `Accept` header. */
  acceptHeader?: string | undefined;
  /** The browser language, e.g. `ka-GE` (`navigator.language` or `Accept-Language`). */
  language?: string | undefined;
  /** `navigator.javaEnabled()`. Default `false`. */
  javaEnabled?: boolean | undefined;
  /** Whether JavaScript runs. Default `true`. */
  jsEnabled?: boolean | undefined;
  /** `screen.colorDepth`. */
  colorDepth?: number | string | undefined;
  /** `screen.width`. */
  screenWidth?: number | string | undefined;
  /** `screen.height`. */
  screenHeight?: number | string | undefined;
  /** `new Date().getTimezoneOffset()`, minutes (Tbilisi: `-240`). */
  timezoneOffset?: number | string | undefined;
}

/** `order.consumerDevice.browser` on the wire: numbers travel as strings. */
export type ProCreditConsumerBrowser = Record<string, string | boolean>;

/** Converts a {@link ProCreditBrowserContext} into the bank's `consumerDevice.browser` object. */
export function toConsumerBrowser(context: ProCreditBrowserContext): ProCreditConsumerBrowser {
  const browser: ProCreditConsumerBrowser = {
    javaEnabled: context.javaEnabled ?? false,
    jsEnabled: context.jsEnabled ?? true,
  };
  const put = (name: string, value: string | number | undefined) => {
    if (value === undefined) return;
    const text = String(value).trim();
    if (text !== '') browser[name] = text;
  };
  put('acceptHeader', context.acceptHeader);
  put('ip', context.ip);
  put('colorDepth', context.colorDepth);
  put('screenW', context.screenWidth);
  put('screenH', context.screenHeight);
  put('tzOffset', context.timezoneOffset);
  put('language', context.language);
  put('userAgent', context.userAgent);
  return browser;
}

/**
 * Builds a {@link ProCreditBrowserContext} from the customer's HTTP request: `User-Agent`,
 * `Accept`, the first `Accept-Language` tag, and the IP you pass (Colchis does not trust
 * `X-Forwarded-For` on its own: resolve it with your framework's proxy settings).
 */
export function browserContextFromRequest(request: {
  headers: HeadersLike;
  ip?: string | undefined;
}): ProCreditBrowserContext {
  const language = getHeader(request.headers, 'accept-language')?.split(',')[0]?.split(';')[0]?.trim();
  return {
    ip: request.ip,
    userAgent: getHeader(request.headers, 'user-agent'),
    acceptHeader: getHeader(request.headers, 'accept'),
    language: language || undefined,
  };
}
