import { describe, expect, it } from 'vitest';
import { computeBackoffMs, parseRetryAfter, sleep } from './retry.js';

describe('computeBackoffMs', () => {
  it('doubles from 500 ms up to 5 s, scaled by jitter into [50 %, 100 %], never below the initial delay', () => {
    const top = () => 0.999_999;
    const bottom = () => 0;
    expect([1, 2, 3, 4, 5, 6].map((retry) => computeBackoffMs(retry, {}, undefined, top))).toEqual([
      500, 1000, 2000, 4000, 5000, 5000,
    ]);
    expect([1, 2, 3, 4, 5].map((retry) => computeBackoffMs(retry, {}, undefined, bottom))).toEqual([
      500, 500, 1000, 2000, 2500,
    ]);
    expect(computeBackoffMs(3, {}, undefined, () => 0.5)).toBe(1500);
  });

  it('takes the tuning settings', () => {
    const settings = { initialDelayMs: 100, maxDelayMs: 700 };
    expect([1, 2, 3, 4].map((retry) => computeBackoffMs(retry, settings, undefined, () => 1))).toEqual([
      100, 200, 400, 700,
    ]);
  });

  it('spreads a fleet of clients over the jitter range', () => {
    const delays = new Set<number>();
    for (let index = 0; index < 200; index++) {
      const delay = computeBackoffMs(4);
      expect(delay).toBeGreaterThanOrEqual(2000);
      expect(delay).toBeLessThanOrEqual(4000);
      delays.add(delay);
    }
    expect(delays.size).toBeGreaterThan(50);
  });

  it("uses the server's Retry-After when given", () => {
    expect(computeBackoffMs(1, {}, 3000, () => 0)).toBe(3000);
    expect(computeBackoffMs(5, {}, 0)).toBe(0);
    expect(computeBackoffMs(1, {}, -5)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('reads seconds', () => {
    expect(parseRetryAfter('3', undefined, now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', undefined, now)).toBe(0);
    expect(parseRetryAfter('1.5', undefined, now)).toBe(1500);
    expect(parseRetryAfter('120', undefined, now)).toBe(120_000);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:07 GMT', undefined, now)).toBe(7000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', undefined, now)).toBe(0);
  });

  it('prefers retry-after-ms', () => {
    expect(parseRetryAfter('10', '250', now)).toBe(250);
    expect(parseRetryAfter(undefined, '12.2', now)).toBe(13);
    expect(parseRetryAfter('2', 'soon', now)).toBe(2000);
  });

  it('ignores what it cannot read', () => {
    for (const value of [undefined, '', 'soon', '-1', '1 2', '5s', 'NaN']) {
      expect(parseRetryAfter(value, undefined, now), String(value)).toBeUndefined();
    }
  });
});

describe('sleep', () => {
  it('waits', async () => {
    const started = performance.now();
    await sleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    await sleep(0);
    await sleep(-1);
  });

  it('rejects with the reason when aborted before or while waiting', async () => {
    const before = new AbortController();
    before.abort(new Error('stop'));
    await expect(sleep(0, before.signal)).rejects.toThrow('stop');
    await expect(sleep(1000, before.signal)).rejects.toThrow('stop');

    const during = new AbortController();
    const started = performance.now();
    setTimeout(() => during.abort(new Error('cancelled')), 20);
    await expect(sleep(10_000, during.signal)).rejects.toThrow('cancelled');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('resolves when the signal never fires and leaves no listener behind', async () => {
    const controller = new AbortController();
    await sleep(5, controller.signal);
    controller.abort(); // would reject an unsettled promise if a listener were left
  });
});
