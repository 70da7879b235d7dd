import { ConfigurationError, hmacSha256, hmacSha256Async, InvalidRequestError } from '@colchis/core';
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
 * Synchronous, so it needs Node's crypto (Node, Bun, Deno): on Cloudflare Workers or Vercel Edge
 * use {@link signIokaTestWebhookAsync}.
 *
 * @example
 * ```ts
 * const { body, headers } = signIokaTestWebhook({ event: 'PAYMENT_CAPTURED', order, payment }, 'test-key');
 * await fetch('http://localhost:3000/webhooks/ioka', { method: 'POST', body, headers });
 * ```
 */
export function signIokaTestWebhook(body: string | object, key: string): SignedIokaTestWebhook {
  const { text, canonical } = prepareIokaTestWebhook(body, key, 'signIokaTestWebhook');
  let signature: string;
  try {
    signature = hmacSha256(key, canonical, 'hex');
  } catch (error) {
    // Edge runtimes (Workers, Vercel Edge, Deno) have no synchronous HMAC.
    throw ConfigurationError.isInstance(error)
      ? new ConfigurationError(
          "signIokaTestWebhook is synchronous and needs Node's crypto, which this runtime lacks: use `await signIokaTestWebhookAsync(...)`.",
          { cause: error, provider: 'ioka' },
        )
      : error;
  }
  return signed(text, signature);
}

/**
 * {@link signIokaTestWebhook} on WebCrypto: the same result, on every runtime (Node, Bun, Deno,
 * Cloudflare Workers, Vercel Edge).
 *
 * @example
 * ```ts
 * const { body, headers } = await signIokaTestWebhookAsync({ event: 'PAYMENT_CAPTURED', order, payment }, 'test-key');
 * const event = await ioka.verifyWebhook({ rawBody: body, headers });
 * ```
 */
export async function signIokaTestWebhookAsync(
  body: string | object,
  key: string,
): Promise<SignedIokaTestWebhook> {
  const { text, canonical } = prepareIokaTestWebhook(body, key, 'signIokaTestWebhookAsync');
  return signed(text, await hmacSha256Async(key, canonical, 'hex'));
}

function prepareIokaTestWebhook(
  body: string | object,
  key: string,
  name: string,
): { text: string; canonical: string } {
  if (typeof key !== 'string' || key === '') {
    throw new InvalidRequestError(`${name} needs the webhook key (a non-empty string).`);
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
  return { text, canonical: serializeIokaJson(tree, { separators: 'python', ascii: false }) };
}

function signed(body: string, signature: string): SignedIokaTestWebhook {
  return { body, signature, headers: { 'x-signature': signature, 'content-type': 'application/json' } };
}
