import { describe, expect, it } from 'vitest';
import { addInterval, days, nextRetryAt, RETRY_DELAYS_DAYS } from './billing-calendar.js';

const at = (iso: string) => Date.parse(iso);

describe('addInterval', () => {
  it('adds calendar months, clamping to the last day of shorter months', () => {
    expect(addInterval(at('2025-01-31T10:00:00Z'), { unit: 'month', count: 1 })).toBe(
      at('2025-02-28T10:00:00Z'),
    );
    expect(addInterval(at('2024-01-31T10:00:00Z'), { unit: 'month', count: 1 })).toBe(
      at('2024-02-29T10:00:00Z'),
    );
    expect(addInterval(at('2025-03-15T00:00:00Z'), { unit: 'month', count: 1 })).toBe(
      at('2025-04-15T00:00:00Z'),
    );
    expect(addInterval(at('2025-12-31T23:59:00Z'), { unit: 'month', count: 2 })).toBe(
      at('2026-02-28T23:59:00Z'),
    );
  });

  it('adds years (a leap day lands on Feb 28)', () => {
    expect(addInterval(at('2024-02-29T08:00:00Z'), { unit: 'year', count: 1 })).toBe(
      at('2025-02-28T08:00:00Z'),
    );
    expect(addInterval(at('2025-06-01T08:00:00Z'), { unit: 'year', count: 1 })).toBe(
      at('2026-06-01T08:00:00Z'),
    );
  });
});

describe('nextRetryAt', () => {
  it('retries 1, 3 and 7 days after each failure, then gives up', () => {
    expect(RETRY_DELAYS_DAYS).toEqual([1, 3, 7]);
    const failedAt = at('2025-05-01T00:00:00Z');
    expect(nextRetryAt(failedAt, 1)).toBe(failedAt + days(1));
    expect(nextRetryAt(failedAt, 2)).toBe(failedAt + days(3));
    expect(nextRetryAt(failedAt, 3)).toBe(failedAt + days(7));
    expect(nextRetryAt(failedAt, 4)).toBeUndefined();
  });
});
