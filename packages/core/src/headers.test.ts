import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { getHeader } from './headers.js';
import type { HeadersLike } from './payment-types.js';

describe('getHeader', () => {
  it('reads WHATWG Headers in any case', () => {
    const headers = new Headers({ 'X-Signature': 'abc', 'Content-Type': 'application/json' });
    expect(getHeader(headers, 'x-signature')).toBe('abc');
    expect(getHeader(headers, 'X-SIGNATURE')).toBe('abc');
    expect(getHeader(headers, 'Callback-Signature')).toBeUndefined();
  });

  it("reads Node's IncomingHttpHeaders from a real request, arrays included", async () => {
    let received: IncomingMessage | undefined;
    const server = createServer((request, response) => {
      received = request;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      // node:http, not fetch: it sends a repeated header as separate lines.
      await new Promise<void>((resolve, reject) => {
        const outgoing = httpRequest(`http://127.0.0.1:${port}/hook`, {
          method: 'POST',
          headers: { 'Callback-Signature': 'c2lnbmF0dXJl', 'X-Custom': 'one', 'Set-Cookie': ['a=1', 'b=2'] },
        });
        outgoing.on('response', (response) => response.resume().on('end', resolve));
        outgoing.on('error', reject);
        outgoing.end('{}');
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const request = received as IncomingMessage;
    expect(getHeader(request.headers, 'Callback-Signature')).toBe('c2lnbmF0dXJl');
    expect(getHeader(request.headers, 'callback-signature')).toBe('c2lnbmF0dXJl');
    expect(getHeader(request.headers, 'set-cookie')).toBe('a=1'); // repeated: the first value
    expect(getHeader(request.rawHeaders as unknown as HeadersLike, 'x-custom')).toBe('one');
    expect(getHeader(request.rawHeaders as unknown as HeadersLike, 'x-missing')).toBeUndefined();
  });

  it('reads plain records with odd case and array values', () => {
    const headers = { 'X-Signature': 'abc', 'x-Api-Version': ['2', '3'], Empty: '' };
    expect(getHeader(headers, 'x-signature')).toBe('abc');
    expect(getHeader(headers, 'X-Signature')).toBe('abc');
    expect(getHeader(headers, 'X-API-VERSION')).toBe('2');
    expect(getHeader(headers, 'empty')).toBe('');
    expect(getHeader(headers, 'missing')).toBeUndefined();
    expect(getHeader(Object.assign(Object.create(null), { 'X-A': '1' }), 'x-a')).toBe('1');
    expect(getHeader({ 'content-length': 12 } as unknown as HeadersLike, 'Content-Length')).toBe('12');
  });

  it('reads iterables of pairs and Maps case-insensitively', () => {
    const pairs: Array<[string, string]> = [
      ['Content-Type', 'application/json'],
      ['X-Signature', 'sig'],
    ];
    expect(getHeader(pairs, 'x-signature')).toBe('sig');
    expect(getHeader(new Map(pairs), 'x-signature')).toBe('sig');
    expect(getHeader(new Map(pairs), 'X-Signature')).toBe('sig');
    function* generate(): Generator<readonly [string, string]> {
      yield ['X-Signature', 'from-generator'];
    }
    expect(getHeader(generate(), 'x-signature')).toBe('from-generator');
    expect(getHeader(new Map(pairs), 'missing')).toBeUndefined();
    expect(getHeader(pairs, 'missing')).toBeUndefined();
  });

  it('tolerates missing headers', () => {
    expect(getHeader(undefined, 'x')).toBeUndefined();
    expect(getHeader(null, 'x')).toBeUndefined();
    expect(getHeader({}, 'x')).toBeUndefined();
  });
});
