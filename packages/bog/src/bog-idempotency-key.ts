const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const encoder = new TextEncoder();

/**
 * The `Idempotency-Key` Bank of Georgia receives for a caller's key. BOG documents the header as a
 * UUID v4, so a UUID passes through unchanged and anything else (your order id, `renewal-2026-03`)
 * is turned into a UUID v4-shaped value derived from SHA-256 of the key and its purpose: the same
 * key always yields the same UUID, so a retry after a crash or restart is still the same request.
 * Without a key a random UUID is generated, once per logical call.
 *
 * @param purpose separates the requests one logical call makes (`create`, `save-card`), because
 * BOG scopes keys per endpoint and a reused key must never answer for another request.
 */
export async function toBogIdempotencyKey(key: string | undefined, purpose?: string): Promise<string> {
  if (key === undefined || key === '') return globalThis.crypto.randomUUID();
  if (purpose === undefined && UUID.test(key)) return key;
  const digest = new Uint8Array(
    await globalThis.crypto.subtle.digest(
      'SHA-256',
      encoder.encode(`colchis-bog-idempotency:${purpose ?? ''}:${key}`),
    ),
  );
  digest[6] = ((digest[6] as number) & 0x0f) | 0x40; // version 4
  digest[8] = ((digest[8] as number) & 0x3f) | 0x80; // RFC 4122 variant
  let hex = '';
  for (let index = 0; index < 16; index++) hex += (digest[index] as number).toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
