import { InvalidRequestError } from '@colchis/core';
import { describe, expect, it } from 'vitest';
import { formatIokaDateTime, parseIokaDateTime } from './ioka-date.js';
import { tenge } from './ioka-tenge.js';

describe('tenge', () => {
  it.each([
    ['500', 50000],
    ['10.50', 1050],
    ['0.01', 1],
    [12.3, 1230],
    [0.29, 29],
    ['1234567.89', 123456789],
  ])('%j tenge is %d tiyn, exactly', (input, tiyn) => {
    expect(tenge(input)).toBe(tiyn);
  });

  it.each(['10.505', '-1', 'abc', '1,000.00', ''])('rejects %j', (input) => {
    expect(() => tenge(input)).toThrow(InvalidRequestError);
  });
});

describe('ioka date-times', () => {
  it('writes UTC without a zone, as ioka wants', () => {
    expect(formatIokaDateTime(new Date(Date.UTC(2019, 7, 24, 14, 15, 22, 999)))).toBe('2019-08-24T14:15:22');
    expect(formatIokaDateTime('2019-08-24T14:15:22')).toBe('2019-08-24T14:15:22');
    expect(formatIokaDateTime('2019-08-24T19:15:22+05:00')).toBe('2019-08-24T14:15:22');
    expect(() => formatIokaDateTime('24.08.2019')).toThrow(InvalidRequestError);
    expect(() => formatIokaDateTime(new Date('nope'))).toThrow(InvalidRequestError);
  });

  it('reads zoneless values as UTC and ignores unreadable ones', () => {
    expect(parseIokaDateTime('2021-11-09T10:05:55.358023')?.toISOString()).toBe('2021-11-09T10:05:55.358Z');
    expect(parseIokaDateTime(null)).toBeUndefined();
    expect(parseIokaDateTime('garbage')).toBeUndefined();
  });
});
