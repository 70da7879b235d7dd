import type { IpayCallbackFields } from './ipay-api.js';

/** Fields of a test callback: `order_id` and `payment_hash` are required, the rest optional. */
export type IpayTestCallbackFields = Partial<Record<keyof IpayCallbackFields, string>> & {
  order_id: string;
  payment_hash: string;
};

/**
 * Builds a callback exactly as iPay posts it (form-encoded, no signature), to unit-test your
 * callback handler: pass `rawBody` and `headers` as your framework would. Leave `status` out
 * for a "payment amount return" (refund) callback.
 *
 * @example
 * ```ts
 * import { buildIpayCallback } from '@colchis/bog/ipay';
 *
 * const { rawBody, headers } = buildIpayCallback({ order_id: 'order-1', payment_hash: 'hash-1', status: 'success' });
 * ```
 */
export function buildIpayCallback(fields: IpayTestCallbackFields): {
  rawBody: string;
  headers: Record<string, string>;
} {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) form.append(name, value);
  }
  return { rawBody: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}
