import { ResponseValidationError } from '@colchis/core';
import { describe, expect, it } from 'vitest';
import { buildHostedPageUrl } from './procredit-hosted-page.js';

describe('buildHostedPageUrl', () => {
  it('sets id and password on the hppUrl the bank answered', () => {
    expect(
      buildHostedPageUrl({ hppUrl: 'https://3dss2test.quipu.de/flex', id: 1944, password: '2gszuibs780x' }),
    ).toBe('https://3dss2test.quipu.de/flex?id=1944&password=2gszuibs780x');
  });

  it('keeps an existing query and encodes the password', () => {
    expect(
      buildHostedPageUrl({ hppUrl: 'https://pay.example/flex?lang=ka', id: 7, password: 'a b&c=d' }),
    ).toBe('https://pay.example/flex?lang=ka&id=7&password=a+b%26c%3Dd');
  });

  it('appends a preset path only to a bare host (Kapital), and uses the access token where there is no password', () => {
    expect(
      buildHostedPageUrl(
        { hppUrl: 'https://txpgtst.kapitalbank.az', id: 1231, password: '1231231' },
        { pathWhenBare: '/flex' },
      ),
    ).toBe('https://txpgtst.kapitalbank.az/flex?id=1231&password=1231231');
    expect(
      buildHostedPageUrl(
        { hppUrl: 'https://test.millikart.az:8004/pay', id: 1, password: 'p' },
        { pathWhenBare: '/flex' },
      ),
    ).toBe('https://test.millikart.az:8004/pay?id=1&password=p');
    expect(buildHostedPageUrl({ hppUrl: 'https://pg.example/hpp', id: 1, accessToken: 'tok123' })).toBe(
      'https://pg.example/hpp?at=tok123',
    );
  });

  it('refuses an hppUrl that is not a URL', () => {
    let error: unknown;
    try {
      buildHostedPageUrl({ hppUrl: '/flex', id: 1, password: 'p' });
    } catch (caught) {
      error = caught;
    }
    expect(ResponseValidationError.isInstance(error)).toBe(true);
  });
});
