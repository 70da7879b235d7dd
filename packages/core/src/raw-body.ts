import { SignatureVerificationError } from './errors.js';

const encoder = new TextEncoder();

/**
 * Checks that a webhook body is the raw bytes as received and returns them. A parsed object, or
 * a string that is obviously re-serialized (`[object Object]`), is refused with the message
 * that fixes the usual mistake: signatures cover the exact bytes, and `JSON.stringify(req.body)`
 * does not reproduce them (key order, spacing, number formatting).
 */
export function requireRawBody(rawBody: unknown, provider: string): Uint8Array {
  if (typeof rawBody === 'string') {
    if (rawBody === '[object Object]') throw rawBodyError(provider, 'the string "[object Object]"');
    return encoder.encode(rawBody);
  }
  if (rawBody instanceof Uint8Array) return rawBody;
  // Other views (DataView, a Buffer slice typed differently) and ArrayBuffers from another realm
  // (a worker, a vm context) fail `instanceof` but are still the raw bytes.
  if (ArrayBuffer.isView(rawBody))
    return new Uint8Array(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  if (rawBody instanceof ArrayBuffer || Object.prototype.toString.call(rawBody) === '[object ArrayBuffer]') {
    return new Uint8Array(rawBody as ArrayBuffer);
  }
  if (rawBody === undefined || rawBody === null) throw rawBodyError(provider, String(rawBody));
  throw rawBodyError(provider, describeValue(rawBody));
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type === 'object' ? 'object (already parsed JSON?)' : type}`;
}

function rawBodyError(provider: string, got: string): SignatureVerificationError {
  return new SignatureVerificationError(
    `${provider} webhook verification needs the raw request body (a string or bytes exactly as received), but got ${got}. ` +
      'Pass the raw body, not parsed JSON: in Express use express.raw({ type: "application/json" }) on the webhook route, ' +
      'in Fastify add a content-type parser with { parseAs: "buffer" }, in Hono and Next.js use await request.text().',
    { provider },
  );
}

/** Decodes UTF-8 bytes (or passes a string through). */
export function bodyText(rawBody: string | Uint8Array): string {
  return typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
}
