import { ResponseValidationError } from '@colchis/core';

/**
 * Checks that Stripe answered with the object the call asks for (`payment_intent`,
 * `checkout.session`, `refund`, ...) before the adapter reads it. stripe-node already parsed the
 * JSON; this catches a proxy or a fake answering with something else.
 */
export function expectStripeObject<T>(value: unknown, object: string, operation: string): T {
  if (
    typeof value === 'object' &&
    value !== null &&
    (value as { object?: unknown }).object === object &&
    typeof (value as { id?: unknown }).id === 'string'
  ) {
    return value as T;
  }
  const got =
    typeof value === 'object' && value !== null
      ? `an object with object=${JSON.stringify((value as { object?: unknown }).object)}`
      : typeof value;
  throw new ResponseValidationError(
    `Stripe ${operation}: expected a ${object} object in the response, got ${got}.`,
    { provider: 'stripe', rawBody: value },
  );
}

/** Reads a required integer amount (minor units) from a Stripe object. */
export function readAmount(value: unknown, field: string, operation: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new ResponseValidationError(
    `Stripe ${operation}: ${field} should be a non-negative integer of minor units, got ${JSON.stringify(value)}.`,
    { provider: 'stripe' },
  );
}

/** Reads an optional integer amount; `fallback` when absent or null. */
export function readOptionalAmount(
  value: unknown,
  fallback: number,
  field: string,
  operation: string,
): number {
  return value === undefined || value === null ? fallback : readAmount(value, field, operation);
}

/** The id of an expandable field, whether Stripe sent the id or the expanded object. */
export function expandableId(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string') {
    return (value as { id: string }).id;
  }
  return undefined;
}

/** The expanded object of an expandable field, or `undefined` when Stripe sent only the id. */
export function expanded<T extends object>(value: unknown, object: string): T | undefined {
  return typeof value === 'object' && value !== null && (value as { object?: unknown }).object === object
    ? (value as T)
    : undefined;
}
