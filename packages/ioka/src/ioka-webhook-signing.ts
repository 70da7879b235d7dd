import { hmacSha256, InvalidRequestError } from '@colchis/core';
import { type IokaJsonNode, parseIokaJson, serializeIokaJson } from './ioka-canonical-json.js';

/** A webhook signed like ioka signs it: the body to send and its headers. */
export interface SignedIokaTestWebhook {
  /** The body to send, exactly. */
  body: string;
  /** Lower-case hex HMAC-SHA256. */
  signature: string;
  /** `x-signature` and `content-type`, ready for `fetch` or a framework's test client. */
  headers: { 'x-signature': string; 'content-type': string };
}

/**
 * Signs a webhook body with a webhook key the way ioka does, for testing your own handler
 * without ioka: the signature is hex HMAC-SHA256 over the canonical form (keys sorted
 * recursively, `", "` / `": "` separators, raw UTF-8, numbers as written).
 *
 * A string body is signed and sent as is. An object is first written the way ioka's Python
 * sender writes it (keys in your order, `", "` separators, non-ASCII as `\uXXXX`), so your
 * handler sees realistic bytes. Numbers in an object go through `JSON.stringify` (so `0.0`
 * becomes `0`); pass a string to control number formatting.
 *
 * @example
 * ```ts
 * const { body, headers } = signIokaTestWebhook({ event: 'PAYMENT_CAPTURED', order, payment }, 'test-key');
 * await fetch('http://localhost:3000/webhooks/ioka', { method: 'POST', body, headers });
 * ```
 */
export function signIokaTestWebhook(body: string | object, key: string): SignedIokaTestWebhook {
  if (typeof key !== 'string' || key === '') {
    throw new InvalidRequestError('signIokaTestWebhook needs the webhook key (a non-empty string).');
  }
  let text: string;
  let tree: IokaJsonNode;
  if (typeof body === 'string') {
    text = body;
    tree = parseIokaJson(body);
  } else {
    tree = parseIokaJson(JSON.stringify(body));
    text = serializeIokaJson(tree, { separators: 'python', ascii: true, sortKeys: false });
  }
  const signature = hmacSha256(key, serializeIokaJson(tree, { separators: 'python', ascii: false }), 'hex');
  return {
    body: text,
    signature,
    headers: { 'x-signature': signature, 'content-type': 'application/json' },
  };
}
