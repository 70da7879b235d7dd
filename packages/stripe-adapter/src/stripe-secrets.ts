import { redact, redactString } from '@colchis/core';

// Stripe's key formats: secret `sk_live_...`/`sk_test_...`, restricted `rk_...`, webhook signing
// secrets `whsec_...`. Stripe itself masks keys in its messages (`sk_test_****1234`); these
// patterns catch the unmasked ones that could come from a misconfiguration or a proxy.
const API_KEY = /\b([sr]k)_(live|test)_[A-Za-z0-9]{4,}/g;
const WEBHOOK_SECRET = /\bwhsec_[A-Za-z0-9+/=]{4,}/g;

/** Removes Stripe keys, webhook secrets and the given literal secrets from text. */
export function redactStripeText(text: string, secrets: readonly string[]): string {
  return redactString(text, secrets)
    .replace(API_KEY, (_match, kind: string, mode: string) => `${kind}_${mode}_[REDACTED]`)
    .replace(WEBHOOK_SECRET, 'whsec_[REDACTED]');
}

/** Deep-copies a value with secrets removed: core's redaction plus Stripe's key formats. */
export function redactStripeValue<T>(value: T, secrets: readonly string[]): T {
  return scrub(redact(value, secrets), secrets) as T;
}

function scrub(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactStripeText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => scrub(item, secrets));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = scrub(item, secrets);
    return out;
  }
  return value;
}
