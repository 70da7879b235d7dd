import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProCreditReturn } from './procredit-return.js';

const cases = (
  JSON.parse(readFileSync(new URL('./__fixtures__/return-urls.json', import.meta.url), 'utf8')) as {
    cases: Array<{ url: string; orderId: string; status: string; password?: string; tokenId?: string }>;
  }
).cases;

describe('parseProCreditReturn', () => {
  it('reads the documented return URLs', () => {
    for (const item of cases) {
      expect(parseProCreditReturn(item.url), item.url).toEqual({
        orderId: item.orderId,
        status: item.status,
        password: item.password,
        tokenId: item.tokenId,
        untrusted: true,
      });
    }
  });

  it('reads any letter case, relative URLs, query strings, URLSearchParams and parsed query objects', () => {
    const expected = { orderId: '5', status: 'FullyPaid', password: 'pw12', tokenId: '9', untrusted: true };
    expect(parseProCreditReturn('/return?id=5&status=FullyPaid&password=pw12&tokenid=9')).toEqual(expected);
    expect(parseProCreditReturn('?ID=5&STATUS=FullyPaid&PASSWORD=pw12&TOKENID=9')).toEqual(expected);
    expect(parseProCreditReturn('ID=5&STATUS=FullyPaid&PASSWORD=pw12&TOKENID=9')).toEqual(expected);
    expect(
      parseProCreditReturn(new URLSearchParams('Id=5&Status=FullyPaid&Password=pw12&TokenId=9')),
    ).toEqual(expected);
    expect(
      parseProCreditReturn({ ID: '5', STATUS: ['FullyPaid', 'Declined'], PASSWORD: 'pw12', TOKENID: '9' }),
    ).toEqual(expected);
    expect(
      parseProCreditReturn(
        new URL('https://shop.example/r?ID=5&STATUS=FullyPaid&PASSWORD=pw12&TOKENID=9#top'),
      ),
    ).toEqual(expected);
  });

  it('returns nothing it cannot find', () => {
    expect(parseProCreditReturn('https://shop.example/return')).toEqual({
      orderId: undefined,
      status: undefined,
      password: undefined,
      tokenId: undefined,
      untrusted: true,
    });
  });
});
