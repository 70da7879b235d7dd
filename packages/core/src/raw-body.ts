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
  if (rawBody instanceof ArrayBuffer) return new Uint8Array(rawBody);
  if (rawBody === undefined || rawBody === null) throw rawBodyError(provider, String(rawBody));
  throw rawBodyError(provider, Array.isArray(rawBody) ? 'an array' : `a ${typeof rawBody}`);
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
