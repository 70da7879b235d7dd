import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { SignatureVerificationError } from './errors.js';
import { bodyText, requireRawBody } from './raw-body.js';

function rejection(value: unknown): SignatureVerificationError {
  try {
    requireRawBody(value, 'ioka');
  } catch (error) {
    expect(SignatureVerificationError.isInstance(error)).toBe(true);
    return error as SignatureVerificationError;
  }
  throw new Error('expected requireRawBody to throw');
}

describe('requireRawBody', () => {
  const json = '{"id":"ord_1","amount":1050}';
  const bytes = new TextEncoder().encode(json);

  it('returns the exact bytes of a string, Uint8Array, Buffer or ArrayBuffer', () => {
    expect(requireRawBody(json, 'ioka')).toEqual(bytes);
    expect(requireRawBody(bytes, 'ioka')).toBe(bytes);
    const buffer = Buffer.from(json);
    expect(requireRawBody(buffer, 'ioka')).toBe(buffer);
    expect(bodyText(requireRawBody(bytes.buffer, 'ioka'))).toBe(json);
    expect(requireRawBody('', 'ioka')).toEqual(new Uint8Array());
    expect(bodyText(requireRawBody('გამარჯობა', 'ioka'))).toBe('გამარჯობა');
  });

  it('accepts other byte views and ArrayBuffers from another realm', () => {
    const view = new DataView(bytes.buffer, 1, 4);
    expect(bodyText(requireRawBody(view, 'ioka'))).toBe(json.slice(1, 5));
    const foreign = runInNewContext('new Uint8Array([123, 125]).buffer') as ArrayBuffer;
    expect(foreign instanceof ArrayBuffer).toBe(false);
    expect(bodyText(requireRawBody(foreign, 'ioka'))).toBe('{}');
  });

  it('refuses a parsed object and says to pass the raw body', () => {
    const error = rejection(JSON.parse(json));
    expect(error.provider).toBe('ioka');
    expect(error.message).toContain('ioka webhook verification needs the raw request body');
    expect(error.message).toContain('but got an object');
    expect(error.message).toContain('Pass the raw body, not parsed JSON');
    expect(error.message).toContain('express.raw');
    expect(error.message).toContain('request.text()');
  });

  it('names what it got instead', () => {
    expect(rejection(undefined).message).toContain('but got undefined.');
    expect(rejection(null).message).toContain('but got null.');
    expect(rejection([1, 2]).message).toContain('but got an array.');
    expect(rejection(42).message).toContain('but got a number.');
    expect(rejection(true).message).toContain('but got a boolean.');
    expect(rejection(String({ a: 1 })).message).toContain('but got the string "[object Object]"');
  });
});

describe('bodyText', () => {
  it('decodes UTF-8 and passes strings through', () => {
    expect(bodyText('x')).toBe('x');
    expect(bodyText(new TextEncoder().encode('Қазақстан'))).toBe('Қазақстан');
  });
});
