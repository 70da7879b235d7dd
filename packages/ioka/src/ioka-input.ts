import { assertMinorUnits, InvalidRequestError } from '@colchis/core';

// Local checks of what the caller passes, so a mistake is reported with a message that says what
// to fix, before anything is sent to ioka.

/** Asserts an integer amount in tiyn of at least `minimum`. */
export function assertTiyn(value: unknown, field: string, minimum: number): asserts value is number {
  assertMinorUnits(value, field);
  if (value < minimum) {
    throw new InvalidRequestError(
      `${field} must be at least ${minimum} tiyn (${minimum === 100 ? '1 tenge' : `${minimum} tiyn`}), got ${value}. ioka amounts are integer tiyn: 500 tenge is 50000; convert with tenge("500").`,
    );
  }
}

/** Asserts a non-empty id and returns it encoded for a URL path. */
export function pathSegment(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidRequestError(`${what} must be a non-empty string, got ${describe(value)}.`);
  }
  return encodeURIComponent(value);
}

/** Asserts an optional string of at most `maxLength` characters (and at least `minLength`). */
export function assertOptionalText(
  value: unknown,
  field: string,
  options: { minLength?: number; maxLength?: number } = {},
): void {
  if (value === undefined) return;
  if (typeof value !== 'string') {
    throw new InvalidRequestError(`${field} must be a string, got ${describe(value)}.`);
  }
  if (options.minLength !== undefined && value.length < options.minLength) {
    throw new InvalidRequestError(`${field} must not be empty.`);
  }
  if (options.maxLength !== undefined && value.length > options.maxLength) {
    throw new InvalidRequestError(
      `${field} is ${value.length} characters long; ioka accepts at most ${options.maxLength}.`,
    );
  }
}

/** Asserts an optional absolute http(s) URL of at most 2083 characters (ioka's limit). */
export function assertOptionalUrl(value: unknown, field: string): void {
  if (value === undefined) return;
  assertOptionalText(value, field, { minLength: 1, maxLength: 2083 });
  let parsed: URL | undefined;
  try {
    parsed = new URL(value as string);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new InvalidRequestError(
      `${field} must be an absolute http(s) URL such as "https://shop.example/return", got ${describe(value)}.`,
    );
  }
}

/** Asserts an optional integer within `[minimum, maximum]`. */
export function assertOptionalInteger(value: unknown, field: string, minimum: number, maximum: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
    throw new InvalidRequestError(
      `${field} must be an integer from ${minimum} to ${maximum}, got ${describe(value)}.`,
    );
  }
}

/** Asserts an optional value is one of `allowed`. */
export function assertOptionalEnum(value: unknown, field: string, allowed: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new InvalidRequestError(
      `${field} must be one of ${allowed.map((item) => `"${item}"`).join(', ')}, got ${describe(value)}.`,
    );
  }
}

/** Describes a value for an error message without dumping objects. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
