import { InvalidRequestError } from '@colchis/core';

const ZONELESS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Formats a moment the way ioka wants date-times: UTC, RFC 3339 without a zone suffix
 * (`2019-08-24T14:15:22`). A `Date` is converted to UTC; a string with a zone (`Z`, `+05:00`) is
 * converted to UTC too; a string without one is taken as UTC already and passed through.
 * @param field names the field in the error message.
 * @throws InvalidRequestError for anything else (before any request is sent).
 */
export function formatIokaDateTime(value: Date | string, field = 'date'): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidRequestError(`${field} is an invalid Date.`);
    return value.toISOString().slice(0, 19);
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (ZONELESS.test(text)) return text;
    if (WITH_ZONE.test(text)) {
      const parsed = new Date(text);
      if (!Number.isNaN(parsed.getTime())) return parsed.toISOString().slice(0, 19);
    }
  }
  throw new InvalidRequestError(
    `${field} must be a Date or a UTC date-time such as "2019-08-24T14:15:22", got ${JSON.stringify(value)}.`,
  );
}

/**
 * Reads an ioka date-time (UTC without a zone suffix, e.g. `2021-11-09T10:05:55.358023`) into a
 * `Date`. `undefined` for a missing or unreadable value: a timestamp is never worth failing a
 * payment lookup for.
 */
export function parseIokaDateTime(value: string | null | undefined): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const text = ZONELESS.test(value) ? `${value}Z` : value;
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}
