/**
 * A JSON value parsed with every number kept exactly as written (`0.0` stays `0.0`, `1.50`
 * stays `1.50`). ioka signs a re-serialization of the webhook body, not the bytes it sends, so
 * the re-serialization must reproduce the sender's number lexemes; `JSON.parse` would turn
 * `0.0` into `0` and break the signature.
 */
export type IokaJsonNode =
  | { readonly type: 'object'; readonly members: ReadonlyMap<string, IokaJsonNode> }
  | { readonly type: 'array'; readonly items: readonly IokaJsonNode[] }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly lexeme: string }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null' };

/** The body is not JSON. `position` is the offset (in UTF-16 code units) where reading stopped. */
export class IokaJsonSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} at position ${position}`);
    this.name = 'IokaJsonSyntaxError';
    this.position = position;
  }
}

/** How {@link serializeIokaJson} writes a value. */
export interface IokaJsonFormat {
  /** `python`: `", "` and `": "` (Python's `json.dumps` defaults); `compact`: `","` and `":"`. */
  separators: 'python' | 'compact';
  /** `true`: every character outside printable ASCII as `\uXXXX` (Python's `ensure_ascii=True`). */
  ascii: boolean;
  /** Sort object keys by code point, recursively. Default `true`. */
  sortKeys?: boolean | undefined;
}

// Nesting deeper than this is refused: real webhooks are 3 levels deep, and unbounded recursion
// on a hostile body would overflow the stack.
const MAX_DEPTH = 128;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_PLAIN = /[^"\\\u0000-\u001f]*/y;

/**
 * Parses JSON text into an {@link IokaJsonNode} tree that keeps number lexemes. Duplicate keys
 * keep the last value (as Python's `json.loads` does). Python's `NaN`, `Infinity` and
 * `-Infinity` are accepted as numbers because ioka's sender is Python; a leading byte-order
 * mark is ignored.
 * @throws IokaJsonSyntaxError when the text is not JSON.
 */
export function parseIokaJson(text: string): IokaJsonNode {
  return new IokaJsonReader(text).readDocument();
}

/**
 * The parser behind {@link parseIokaJson}: one object per document with the cursor as a field,
 * rather than closures created on every call (a webhook is verified per request, so the parser's
 * setup counts).
 */
class IokaJsonReader {
  position: number;
  readonly text: string;

  constructor(text: string) {
    this.text = text;
    this.position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  readDocument(): IokaJsonNode {
    const root = this.readValue(0);
    this.skipWhitespace();
    if (this.position !== this.text.length) this.fail('Unexpected data after the JSON value');
    return root;
  }

  fail(message: string): never {
    throw new IokaJsonSyntaxError(message, this.position);
  }

  skipWhitespace(): void {
    const text = this.text;
    let position = this.position;
    for (;;) {
      const code = text.charCodeAt(position);
      if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) position++;
      else break;
    }
    this.position = position;
  }

  readString(): string {
    const text = this.text;
    this.position++; // opening quote
    let result = '';
    for (;;) {
      STRING_PLAIN.lastIndex = this.position;
      STRING_PLAIN.test(text);
      const end = STRING_PLAIN.lastIndex;
      if (end > this.position) result += text.slice(this.position, end);
      this.position = end;
      const code = text.charCodeAt(this.position);
      if (code === 0x22) {
        this.position++;
        return result;
      }
      if (code !== 0x5c) {
        return this.fail(Number.isNaN(code) ? 'Unterminated string' : 'Control character in string');
      }
      const escaped = text[this.position + 1];
      this.position += 2;
      switch (escaped) {
        case '"':
          result += '"';
          break;
        case '\\':
          result += '\\';
          break;
        case '/':
          result += '/';
          break;
        case 'b':
          result += '\b';
          break;
        case 'f':
          result += '\f';
          break;
        case 'n':
          result += '\n';
          break;
        case 'r':
          result += '\r';
          break;
        case 't':
          result += '\t';
          break;
        case 'u': {
          const hex = text.slice(this.position, this.position + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\u escape');
          result += String.fromCharCode(Number.parseInt(hex, 16));
          this.position += 4;
          break;
        }
        default:
          this.position -= 2;
          this.fail('Invalid escape');
      }
    }
  }

  readValue(depth: number): IokaJsonNode {
    if (depth > MAX_DEPTH) this.fail(`Nesting deeper than ${MAX_DEPTH}`);
    this.skipWhitespace();
    const text = this.text;
    const code = text.charCodeAt(this.position);
    switch (code) {
      case 0x7b: {
        // {
        this.position++;
        const members = new Map<string, IokaJsonNode>();
        this.skipWhitespace();
        if (text.charCodeAt(this.position) === 0x7d) {
          this.position++;
          return { type: 'object', members };
        }
        for (;;) {
          this.skipWhitespace();
          if (text.charCodeAt(this.position) !== 0x22) this.fail('Expected a string key');
          const key = this.readString();
          this.skipWhitespace();
          if (text.charCodeAt(this.position) !== 0x3a) this.fail('Expected ":"');
          this.position++;
          const value = this.readValue(depth + 1);
          // A duplicate key keeps its first position and its last value, as in a Python dict.
          members.set(key, value);
          this.skipWhitespace();
          const next = text.charCodeAt(this.position);
          this.position++;
          if (next === 0x2c) continue;
          if (next === 0x7d) return { type: 'object', members };
          this.position--;
          this.fail('Expected "," or "}"');
        }
      }
      case 0x5b: {
        // [
        this.position++;
        const items: IokaJsonNode[] = [];
        this.skipWhitespace();
        if (text.charCodeAt(this.position) === 0x5d) {
          this.position++;
          return { type: 'array', items };
        }
        for (;;) {
          items.push(this.readValue(depth + 1));
          this.skipWhitespace();
          const next = text.charCodeAt(this.position);
          this.position++;
          if (next === 0x2c) continue;
          if (next === 0x5d) return { type: 'array', items };
          this.position--;
          this.fail('Expected "," or "]"');
        }
      }
      case 0x22:
        return { type: 'string', value: this.readString() };
      case 0x74:
        return this.readLiteral('true', { type: 'boolean', value: true });
      case 0x66:
        return this.readLiteral('false', { type: 'boolean', value: false });
      case 0x6e:
        return this.readLiteral('null', { type: 'null' });
      case 0x4e:
        return this.readLiteral('NaN', { type: 'number', lexeme: 'NaN' });
      case 0x49:
        return this.readLiteral('Infinity', { type: 'number', lexeme: 'Infinity' });
      default: {
        if (text.startsWith('-Infinity', this.position)) {
          return this.readLiteral('-Infinity', { type: 'number', lexeme: '-Infinity' });
        }
        NUMBER.lastIndex = this.position;
        const match = NUMBER.exec(text);
        if (!match) return this.fail(Number.isNaN(code) ? 'Unexpected end of input' : 'Unexpected character');
        this.position = NUMBER.lastIndex;
        return { type: 'number', lexeme: match[0] };
      }
    }
  }

  readLiteral(word: string, node: IokaJsonNode): IokaJsonNode {
    if (!this.text.startsWith(word, this.position)) this.fail('Unexpected character');
    this.position += word.length;
    return node;
  }
}

/**
 * Writes a parsed tree back as JSON text in the given format. Numbers are written exactly as
 * they were read; strings are escaped the way Python's `json.dumps` escapes them (short escapes
 * for `\n`, `\t`, ..., lower-case `\u00XX` for other control characters, and with `ascii` every
 * non-ASCII UTF-16 code unit as `\uXXXX`).
 */
export function serializeIokaJson(node: IokaJsonNode, format: IokaJsonFormat): string {
  const itemSeparator = format.separators === 'python' ? ', ' : ',';
  const keySeparator = format.separators === 'python' ? ': ' : ':';
  const sortKeys = format.sortKeys ?? true;
  const writeString = format.ascii ? escapeAscii : escapeUnicode;

  const write = (current: IokaJsonNode): string => {
    switch (current.type) {
      case 'string':
        return writeString(current.value);
      case 'number':
        return current.lexeme;
      case 'boolean':
        return current.value ? 'true' : 'false';
      case 'null':
        return 'null';
      case 'array': {
        let out = '[';
        for (let index = 0; index < current.items.length; index++) {
          if (index > 0) out += itemSeparator;
          out += write(current.items[index] as IokaJsonNode);
        }
        return `${out}]`;
      }
      case 'object': {
        const keys = [...current.members.keys()];
        if (sortKeys) keys.sort(compareCodePoints);
        let out = '{';
        for (let index = 0; index < keys.length; index++) {
          const key = keys[index] as string;
          if (index > 0) out += itemSeparator;
          out += writeString(key) + keySeparator + write(current.members.get(key) as IokaJsonNode);
        }
        return `${out}}`;
      }
    }
  };
  return write(node);
}

/**
 * Converts a parsed tree to plain JavaScript values (numbers through `Number(lexeme)`). Objects
 * get a `__proto__` key as an own property, never as their prototype.
 */
export function toPlainJson(node: IokaJsonNode): unknown {
  switch (node.type) {
    case 'string':
    case 'boolean':
      return node.value;
    case 'null':
      return null;
    case 'number':
      return Number(node.lexeme);
    case 'array':
      return node.items.map(toPlainJson);
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of node.members) {
        if (key === '__proto__') {
          Object.defineProperty(out, key, {
            value: toPlainJson(value),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          out[key] = toPlainJson(value);
        }
      }
      return out;
    }
  }
}

/**
 * Orders strings by Unicode code point, as Python sorts `str` keys. Plain `<` compares UTF-16
 * code units, which puts characters above U+FFFF (surrogate pairs, 0xD800-0xDFFF) before
 * U+E000-U+FFFF; this corrects that one case.
 */
export function compareCodePoints(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const a = left.charCodeAt(index);
    const b = right.charCodeAt(index);
    if (a === b) continue;
    if (a >= 0xd800 && b >= 0xd800) return codePointRank(a) - codePointRank(b);
    return a - b;
  }
  return left.length - right.length;
}

function codePointRank(codeUnit: number): number {
  // Surrogates move above U+FFFF's neighbours; U+E000-U+FFFF move down to make room.
  return codeUnit >= 0xe000 ? codeUnit - 0x800 : codeUnit + 0x2000;
}

const NEEDS_ESCAPE_UNICODE = /["\\\u0000-\u001f]/;
const NEEDS_ESCAPE_ASCII = /["\\\u0000-\u001f\u007f-\uffff]/;
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function escapeUnicode(value: string): string {
  if (!NEEDS_ESCAPE_UNICODE.test(value)) return `"${value}"`;
  return `"${value.replace(/["\\\u0000-\u001f]/g, escapeCharacter)}"`;
}

function escapeAscii(value: string): string {
  if (!NEEDS_ESCAPE_ASCII.test(value)) return `"${value}"`;
  return `"${value.replace(/["\\\u0000-\u001f\u007f-\uffff]/g, escapeCharacter)}"`;
}

function escapeCharacter(character: string): string {
  return SHORT_ESCAPES[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
