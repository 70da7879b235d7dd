import { describe, expect, it } from 'vitest';
import {
  compareCodePoints,
  IokaJsonSyntaxError,
  parseIokaJson,
  serializeIokaJson,
  toPlainJson,
} from './ioka-canonical-json.js';

const canonical = (text: string) =>
  serializeIokaJson(parseIokaJson(text), { separators: 'python', ascii: false });

describe('parseIokaJson + serializeIokaJson', () => {
  it('keeps every number exactly as written', () => {
    const text = '{"a": 0.0, "b": 1.50, "c": 10, "d": -0, "e": 1e5, "f": 2.50E-3, "g": 12345678901234567890}';
    expect(canonical(text)).toBe(
      '{"a": 0.0, "b": 1.50, "c": 10, "d": -0, "e": 1e5, "f": 2.50E-3, "g": 12345678901234567890}',
    );
    // What JSON.parse + JSON.stringify would produce instead, which is why it cannot be used.
    expect(JSON.stringify(JSON.parse(text))).toContain('"a":0,"b":1.5');
  });

  it('sorts keys recursively, inside arrays too', () => {
    const text = '{"z": {"y": 1, "b": [{"d": 1, "c": 2}]}, "a": null, "m": true}';
    expect(canonical(text)).toBe('{"a": null, "m": true, "z": {"b": [{"c": 2, "d": 1}], "y": 1}}');
  });

  it('can keep the original key order', () => {
    const tree = parseIokaJson('{"b":1,"a":2}');
    expect(serializeIokaJson(tree, { separators: 'compact', ascii: false, sortKeys: false })).toBe(
      '{"b":1,"a":2}',
    );
  });

  it('writes non-ASCII raw in UTF-8 mode and as lower-case \\u escapes in ASCII mode', () => {
    const text = '{"description": "\\u041e\\u043f\\u043b\\u0430\\u0442\\u0430 №5 Ä 😀"}';
    const tree = parseIokaJson(text);
    expect(serializeIokaJson(tree, { separators: 'python', ascii: false })).toBe(
      '{"description": "Оплата №5 Ä 😀"}',
    );
    expect(serializeIokaJson(tree, { separators: 'compact', ascii: true })).toBe(
      '{"description":"\\u041e\\u043f\\u043b\\u0430\\u0442\\u0430 \\u21165 \\u00c4 \\ud83d\\ude00"}',
    );
  });

  it('escapes like Python: short escapes, \\u00XX for other controls, "/" and DEL untouched in UTF-8 mode', () => {
    const tree = parseIokaJson('"q\\"b\\\\s\\/n\\nt\\tu\\u0001d\\u007f"');
    expect(serializeIokaJson(tree, { separators: 'python', ascii: false })).toBe(
      '"q\\"b\\\\s/n\\nt\\tu\\u0001d\u007f"',
    );
    expect(serializeIokaJson(tree, { separators: 'python', ascii: true })).toBe(
      '"q\\"b\\\\s/n\\nt\\tu\\u0001d\\u007f"',
    );
  });

  it('writes empty containers and literals as Python does', () => {
    expect(canonical(' { "o" : { } , "a" : [ ] , "t" : true , "f" : false , "n" : null } ')).toBe(
      '{"a": [], "f": false, "n": null, "o": {}, "t": true}',
    );
    expect(canonical('[1, [2, 3], "x"]')).toBe('[1, [2, 3], "x"]');
  });

  it('accepts Python NaN and Infinity and a byte-order mark', () => {
    expect(canonical('\ufeff{"x": NaN, "y": -Infinity, "z": Infinity}')).toBe(
      '{"x": NaN, "y": -Infinity, "z": Infinity}',
    );
  });

  it('keeps the last duplicate key, like Python', () => {
    const tree = parseIokaJson('{"a": 1, "b": 2, "a": 3}');
    expect(serializeIokaJson(tree, { separators: 'compact', ascii: false, sortKeys: false })).toBe(
      '{"a":3,"b":2}',
    );
    expect(toPlainJson(tree)).toEqual({ a: 3, b: 2 });
  });

  it('sorts by code point, not UTF-16 code unit', () => {
    // U+FF5E (fullwidth tilde) sorts before U+1F600 by code point, after it by code unit.
    const keys = ['\u{1F600}', '\uFF5E', 'a', 'B'];
    expect([...keys].sort(compareCodePoints)).toEqual(['B', 'a', '\uFF5E', '\u{1F600}']);
    expect(canonical('{"\\ud83d\\ude00": 1, "\\uff5e": 2}')).toBe('{"～": 2, "😀": 1}');
  });

  it('converts to plain values without touching prototypes', () => {
    const value = toPlainJson(parseIokaJson('{"__proto__": {"polluted": true}, "n": 1.50}')) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(value)).toEqual(['__proto__', 'n']);
    expect(value.n).toBe(1.5);
  });

  it.each([
    ['', 'Unexpected end of input'],
    ['{"a": 1,}', 'Expected a string key'],
    ['{"a" 1}', 'Expected ":"'],
    ['[1 2]', 'Expected "," or "]"'],
    ['{"a": 01}', 'Expected "," or "}"'],
    ['"unterminated', 'Unterminated string'],
    ['"tab\there"', 'Control character in string'],
    ['"bad \\x escape"', 'Invalid escape'],
    ['"\\u12G4"', 'Invalid \\u escape'],
    ['{"a": 1} x', 'Unexpected data after the JSON value'],
    ['{"a": .5}', 'Unexpected character'],
    ['tru', 'Unexpected character'],
  ])('rejects %j (%s)', (text, message) => {
    expect(() => parseIokaJson(text)).toThrow(IokaJsonSyntaxError);
    expect(() => parseIokaJson(text)).toThrow(message);
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(() => parseIokaJson(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).toThrow(/Nesting deeper/);
    expect(canonical(`${'['.repeat(100)}${']'.repeat(100)}`)).toBe(`${'['.repeat(100)}${']'.repeat(100)}`);
  });
});
