import { bodyText, requireRawBody, SignatureVerificationError } from '@colchis/core';
import * as z from 'zod/mini';
import { type IpayCallbackFields, ipayCallbackSchema } from './ipay-api.js';

/**
 * Which of iPay's two merchant callback URLs a callback belongs to: `payment_status` (after a
 * payment's status changed; carries `status`) or `amount_return` (after a refund; no `status`).
 */
export type IpayCallbackKind = 'payment_status' | 'amount_return';

/** A parsed, NOT yet authenticated, iPay callback. */
export interface IpayCallback {
  kind: IpayCallbackKind;
  fields: IpayCallbackFields;
}

/**
 * Parses the raw body of an iPay callback: `application/x-www-form-urlencoded` as documented
 * (a JSON body is tolerated too). This only reads it: iPay callbacks are unsigned, so anyone can
 * post one. Authenticate with the provider's `verifyWebhook`, which matches `order_id` and
 * `payment_hash` against what you stored and re-fetches the payment.
 *
 * @throws SignatureVerificationError when the body is not raw, or lacks `order_id` or `payment_hash`.
 */
export function parseIpayCallback(rawBody: string | Uint8Array): IpayCallback {
  const text = bodyText(requireRawBody(rawBody, 'ipay')).trim();
  let record: Record<string, unknown> = {};
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        record = parsed as Record<string, unknown>;
    } catch {
      record = {};
    }
  } else {
    for (const [name, value] of new URLSearchParams(text)) {
      // A repeated field keeps its first value, as PHP's $_POST would not.
      if (!(name in record)) record[name] = value;
    }
  }
  for (const field of ['order_id', 'payment_hash'] as const) {
    const value = record[field];
    if ((typeof value !== 'string' && typeof value !== 'number') || String(value).trim() === '') {
      throw new SignatureVerificationError(
        `ipay callback has no ${field}: it is not an iPay callback (iPay posts order_id and payment_hash form-encoded). Answer 404 and do not act on it.`,
        { provider: 'ipay' },
      );
    }
  }
  const result = z.safeParse(ipayCallbackSchema, record);
  if (!result.success) {
    throw new SignatureVerificationError(
      `ipay callback fields have unexpected types (${result.error.issues.map((issue) => issue.path.join('.')).join(', ')}).`,
      { provider: 'ipay' },
    );
  }
  const fields = result.data;
  const status = fields.status;
  return {
    kind: status === undefined || status === null || status === '' ? 'amount_return' : 'payment_status',
    fields,
  };
}
