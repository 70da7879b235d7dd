/**
 * A fresh idempotency key: a random UUID v4 (the format BOG documents, and accepted by every
 * gateway that takes keys). Generated once per logical call and reused on every retry of it, so
 * a retried refund is the same refund.
 */
export function generateIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}
