import type { BillingInterval } from './plans.js';

const DAY_MS = 86_400_000;

/**
 * After a failed renewal, the next attempt comes 1, 3 and then 7 days after the previous failed
 * one; a fourth failure lapses the subscription (11 days after the due date).
 */
export const RETRY_DELAYS_DAYS: readonly number[] = [1, 3, 7];

/**
 * Adds calendar months or years in UTC, clamping to the month's last day: Jan 31 + 1 month is
 * Feb 28 (or 29), not Mar 3. Periods are anchored to the previous period's end, not to when a
 * charge happened to succeed, so a retried renewal does not shift the billing day.
 */
export function addInterval(epochMs: number, interval: BillingInterval): number {
  const date = new Date(epochMs);
  const months = interval.unit === 'year' ? interval.count * 12 : interval.count;
  const day = date.getUTCDate();
  const target = new Date(epochMs);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.getTime();
}

/**
 * When to try again after the `failedAttempts`-th consecutive failure (1-based), or `undefined`
 * when the retries are used up and the subscription lapses.
 */
export function nextRetryAt(failedAt: number, failedAttempts: number): number | undefined {
  const days = RETRY_DELAYS_DAYS[failedAttempts - 1];
  return days === undefined ? undefined : failedAt + days * DAY_MS;
}

/** Milliseconds in `days` days. */
export function days(count: number): number {
  return count * DAY_MS;
}
