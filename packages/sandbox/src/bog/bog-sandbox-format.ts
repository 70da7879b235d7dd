import { toDecimalString } from '@colchis/core';

/**
 * An amount the way Bank of Georgia's receipts print it: a string in major units with trailing
 * zeros dropped but one decimal kept (`1050` -> `"10.5"`, `1000` -> `"10.0"`, `1` -> `"0.01"`).
 */
export function bogDecimal(minor: number): string {
  const text = toDecimalString(minor, 'GEL');
  const trimmed = text.replace(/0+$/, '');
  return trimmed.endsWith('.') ? `${trimmed}0` : trimmed;
}

/** `2022-11-01T13:19:43.021000Z`: UTC with microseconds, as the `zoned_*` fields read. */
export function bogZonedDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '000Z');
}

/** `2022-11-01T17:19:43.021000`: Tbilisi local time (UTC+4) without an offset, as `create_date` reads. */
export function bogLocalDate(epochMs: number): string {
  return new Date(epochMs + 4 * 3_600_000).toISOString().replace('Z', '000');
}

const LABELS: Readonly<Record<string, { en: string; ka: string }>> = {
  created: { en: 'Created', ka: 'შექმნილი' },
  processing: { en: 'Processing', ka: 'მუშავდება' },
  completed: { en: 'Completed', ka: 'დასრულებული' },
  rejected: { en: 'Rejected', ka: 'უარყოფილი' },
  refund_requested: { en: 'Refund requested', ka: 'მოთხოვნილია დაბრუნება' },
  refunded: { en: 'Refunded', ka: 'დაბრუნებული' },
  refunded_partially: { en: 'Partially refunded', ka: 'ნაწილობრივ დაბრუნებული' },
  auth_requested: { en: 'Pre-authorization requested', ka: 'მოთხოვნილია წინასწარი ავტორიზაცია' },
  blocked: { en: 'Blocked', ka: 'დაბლოკილი' },
  partial_completed: { en: 'Partially completed', ka: 'ნაწილობრივ დასრულებული' },
};

/** The localized `order_status.value`. */
export function bogStatusLabel(key: string, language: string): string {
  const label = LABELS[key];
  if (!label) return key;
  return language === 'en' ? label.en : label.ka;
}

/** A 12-digit numeric id, like BOG's transaction ids. */
export function bogNumericId(): string {
  let id = String(1 + Math.floor(Math.random() * 9));
  while (id.length < 12) id += String(Math.floor(Math.random() * 10));
  return id;
}
