import type { HeadersLike } from './payment-types.js';

/**
 * Reads a header case-insensitively from WHATWG `Headers`, Node's `IncomingHttpHeaders`, a plain
 * record, a `Map`, an iterable of pairs or Node's flat `rawHeaders` array. Repeated headers yield
 * their first value.
 */
export function getHeader(headers: HeadersLike | undefined | null, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  if (typeof (headers as { get?: unknown }).get === 'function') {
    // WHATWG Headers ignore case; a Map does not, so fall back to scanning its keys.
    const value = (headers as { get(name: string): unknown }).get(name);
    if (value !== null && value !== undefined) return firstValue(value);
  }
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function' && !isPlainRecord(headers)) {
    if (Array.isArray(headers) && headers.every((item) => typeof item === 'string')) {
      // Node's `request.rawHeaders`: ['Name', 'value', 'Name', 'value', ...].
      for (let index = 0; index + 1 < headers.length; index += 2) {
        if ((headers[index] as string).toLowerCase() === wanted) return headers[index + 1] as string;
      }
      return undefined;
    }
    for (const entry of headers as Iterable<readonly [unknown, unknown]>) {
      if (Array.isArray(entry) && typeof entry[0] === 'string' && entry[0].toLowerCase() === wanted) {
        return firstValue(entry[1]);
      }
    }
    return undefined;
  }
  const record = headers as Record<string, unknown>;
  const direct = record[wanted] ?? record[name];
  return firstValue(direct !== undefined ? direct : findCaseInsensitive(record, wanted));
}

function firstValue(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === null) return undefined;
  // Some frameworks hand over numbers (`content-length`); a header is text.
  return typeof first === 'string' ? first : String(first);
}

function findCaseInsensitive(record: Record<string, unknown>, wanted: string): unknown {
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === wanted) return record[key];
  }
  return undefined;
}

function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
