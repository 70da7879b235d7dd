/**
 * A number to write exactly as given (`0.0`, `1.50`): ioka's sender is Python, which writes
 * floats such as `processing_fee` as `0.0`, and the signature covers that spelling.
 */
export class PythonNumber {
  constructor(readonly lexeme: string) {}
}

/** How {@link pythonJsonDumps} writes: Python `json.dumps` options. */
export interface PythonJsonOptions {
  /** `sort_keys` (by code point). */
  sortKeys: boolean;
  /** `ensure_ascii`: non-ASCII as `\uXXXX` (Python's default) or raw. */
  ensureAscii: boolean;
  /** `separators`: Python's default `(', ', ': ')` or compact `(',', ':')`. */
  compact?: boolean | undefined;
}

/**
 * Writes a value the way Python's `json.dumps` does, which is how ioka writes (and, sorted and
 * with raw UTF-8, signs) its webhooks. `undefined` properties are skipped.
 */
export function pythonJsonDumps(value: unknown, options: PythonJsonOptions): string {
  const itemSeparator = options.compact ? ',' : ', ';
  const keySeparator = options.compact ? ':' : ': ';
  const writeString = options.ensureAscii ? escapeAscii : escapeUnicode;
  const write = (current: unknown): string => {
    if (current === null) return 'null';
    if (current instanceof PythonNumber) return current.lexeme;
    switch (typeof current) {
      case 'string':
        return writeString(current);
      case 'number':
        return Number.isFinite(current)
          ? String(current)
          : current > 0
            ? 'Infinity'
            : current < 0
              ? '-Infinity'
              : 'NaN';
      case 'boolean':
        return current ? 'true' : 'false';
      case 'object': {
        if (Array.isArray(current)) return `[${current.map(write).join(itemSeparator)}]`;
        const entries = Object.entries(current as Record<string, unknown>).filter(
          ([, item]) => item !== undefined,
        );
        if (options.sortKeys) entries.sort(([left], [right]) => compareCodePoints(left, right));
        return `{${entries.map(([key, item]) => writeString(key) + keySeparator + write(item)).join(itemSeparator)}}`;
      }
      default:
        return 'null';
    }
  };
  return write(value);
}

function compareCodePoints(left: string, right: string): number {
  const a = Array.from(left, (character) => character.codePointAt(0) as number);
  const b = Array.from(right, (character) => character.codePointAt(0) as number);
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    if (a[index] !== b[index]) return (a[index] as number) - (b[index] as number);
  }
  return a.length - b.length;
}

const SHORT: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function hexEscape(character: string): string {
  return SHORT[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function escapeUnicode(text: string): string {
  return `"${text.replace(/["\\\u0000-\u001f]/g, hexEscape)}"`;
}

function escapeAscii(text: string): string {
  return `"${text.replace(/["\\\u0000-\u001f\u007f-\uffff]/g, hexEscape)}"`;
}
