/**
 * A fresh idempotency key: `colchis-` and a random UUID. Generated once per logical call and
 * reused on every retry of it, so a retried refund is the same refund.
 */
export function generateIdempotencyKey(): string {
  return `colchis-${globalThis.crypto.randomUUID()}`;
}
