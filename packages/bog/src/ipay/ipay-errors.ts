import type { ErrorDetails } from '@colchis/core';

const MESSAGE_FIELDS = [
  'message',
  'error_description',
  'description',
  'status_description',
  'detail',
  'title',
];
const CODE_FIELDS = ['code', 'error_code', 'errorCode', 'error'];

/**
 * Reads message and code from an iPay error body. The format is not documented: iPay's OAuth
 * endpoint answers `{error, error_description}`, the API has been seen with `{message}`,
 * `{status: "error", description}` and plain strings, so every one of them is tried.
 */
export function ipayErrorDetails(data: unknown): ErrorDetails | undefined {
  if (typeof data === 'string') return data.trim() ? { message: data.trim().slice(0, 300) } : undefined;
  if (typeof data !== 'object' || data === null) return undefined;
  const record = data as Record<string, unknown>;
  const message = firstText(record, MESSAGE_FIELDS) ?? firstText(record, ['error']);
  const code = firstText(record, CODE_FIELDS);
  if (message === undefined && code === undefined) return undefined;
  return { message, code };
}

function firstText(record: Record<string, unknown>, fields: readonly string[]): string | undefined {
  for (const field of fields) {
    const value = record[field];
    if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 300);
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}
