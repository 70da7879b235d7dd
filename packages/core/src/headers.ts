import type { HeadersLike } from './payment-types.js';

/**
 * Reads a header case-insensitively from WHATWG `Headers`, Node's `IncomingHttpHeaders`, a plain
 * record or an iterable of pairs. Repeated headers yield their first value.
 */
export function getHeader(headers: HeadersLike | undefined | null, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const value = (headers as { get(name: string): string | null }).get(name);
    return value ?? undefined;
  }
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function' && !isPlainRecord(headers)) {
    for (const [key, value] of headers as Iterable<readonly [string, string]>) {
      if (key.toLowerCase() === wanted) return value;
    }
    return undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const direct = record[wanted] ?? record[name];
  const value = direct !== undefined ? direct : findCaseInsensitive(record, wanted);
  return Array.isArray(value) ? value[0] : value;
}

function findCaseInsensitive(
  record: Record<string, string | string[] | undefined>,
  wanted: string,
): string | string[] | undefined {
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === wanted) return record[key];
  }
  return undefined;
}

function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
