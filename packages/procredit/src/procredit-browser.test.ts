import { describe, expect, it } from 'vitest';
import { browserContextFromRequest, toConsumerBrowser } from './procredit-browser.js';

describe('consumerDevice.browser', () => {
  it('sends numbers as strings, in the field names every Quipu integration uses', () => {
    expect(
      toConsumerBrowser({
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
        acceptHeader: 'text/html',
        language: 'ka-GE',
        colorDepth: 24,
        screenWidth: 1920,
        screenHeight: 1080,
        timezoneOffset: -240,
      }),
    ).toEqual({
      javaEnabled: false,
      jsEnabled: true,
      acceptHeader: 'text/html',
      ip: '203.0.113.7',
      colorDepth: '24',
      screenW: '1920',
      screenH: '1080',
      tzOffset: '-240',
      language: 'ka-GE',
      userAgent: 'Mozilla/5.0',
    });
  });

  it('reads the request headers, in any framework shape', () => {
    const headers = new Headers({
      'User-Agent': 'UA/1',
      Accept: 'text/html',
      'Accept-Language': 'ka-GE,ka;q=0.9,en;q=0.8',
    });
    expect(browserContextFromRequest({ headers, ip: '198.51.100.1' })).toEqual({
      ip: '198.51.100.1',
      userAgent: 'UA/1',
      acceptHeader: 'text/html',
      language: 'ka-GE',
    });
    expect(browserContextFromRequest({ headers: { 'user-agent': 'UA/2' } }).userAgent).toBe('UA/2');
  });
});
