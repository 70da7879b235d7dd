import { ResponseValidationError } from '@colchis/core';

/** What the hosted-page URL is built from: the create-order answer. */
export interface HostedPageOrder {
  /** `order.hppUrl`: the card page without id and password. */
  hppUrl: string;
  id: string | number;
  password?: string | null | undefined;
  /** RNCB-style deployments answer an access token instead (`?at=`). */
  accessToken?: string | null | undefined;
}

/**
 * The URL to send the customer to: `hppUrl` with `id` and `password` set as query parameters
 * through the URL API (so an existing query is kept and the password is encoded), or `at` for
 * deployments that answer an access token. `pathWhenBare` is appended when the bank's `hppUrl`
 * is a bare host (Kapital answers `https://txpgtst.kapitalbank.az` and serves the page at `/flex`).
 *
 * The URL contains the order password: send it to the customer's browser, never to a log.
 */
export function buildHostedPageUrl(
  order: HostedPageOrder,
  options: { pathWhenBare?: string | undefined } = {},
): string {
  let url: URL;
  try {
    url = new URL(order.hppUrl);
  } catch {
    throw new ResponseValidationError(
      `ProCredit answered createOrder with an hppUrl that is not an absolute URL (${JSON.stringify(order.hppUrl.slice(0, 80))}).`,
      { provider: 'procredit' },
    );
  }
  if (options.pathWhenBare && (url.pathname === '' || url.pathname === '/'))
    url.pathname = options.pathWhenBare;
  if (order.password) {
    url.searchParams.set('id', String(order.id));
    url.searchParams.set('password', order.password);
  } else if (order.accessToken) {
    url.searchParams.set('at', order.accessToken);
  } else {
    throw new ResponseValidationError(
      'ProCredit answered createOrder without a password or access token: the hosted page cannot be opened.',
      { provider: 'procredit' },
    );
  }
  return url.toString();
}
