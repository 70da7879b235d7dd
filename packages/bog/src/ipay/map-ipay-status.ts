import type { PaymentStatus } from '@colchis/core';

/**
 * Every documented iPay payment `status` and its normalized status. Payment Details and
 * callbacks use lower case (`success`, `error`, `in_progress`); the create-order answer says
 * `CREATED`. Matching ignores case.
 *
 * - `CREATED`: the order exists and the customer must open the `approve` link.
 * - `in_progress`: the customer is on the payment page, or a recurring charge is being
 *   processed; the outcome is unknown. An unpaid order turns to `error` after one hour.
 * - `success`: paid (for a manual-capture order, see {@link IPAY_PRE_AUTH_STATUSES}).
 * - `error`: declined, abandoned or timed out. iPay does not tell these apart.
 */
export const IPAY_STATUSES: Readonly<Record<string, PaymentStatus>> = Object.freeze({
  CREATED: 'requires_action',
  in_progress: 'processing',
  success: 'captured',
  error: 'failed',
});

/**
 * Every documented `pre_auth_status` (present when the order used `capture_method: MANUAL` and
 * its `status` is `success`) and what it makes of the payment.
 *
 * - `in_progress`: the amount is held: complete or cancel it (within 30 days).
 * - `success`: the hold was completed (fully or in part): the money was taken.
 * - `success_unblocked`: the hold was released back to the customer.
 */
export const IPAY_PRE_AUTH_STATUSES: Readonly<Record<string, PaymentStatus>> = Object.freeze({
  in_progress: 'authorized',
  success: 'captured',
  success_unblocked: 'canceled',
});

const STATUS_BY_LOWER_CASE = lowerCaseKeys(IPAY_STATUSES);
const PRE_AUTH_BY_LOWER_CASE = lowerCaseKeys(IPAY_PRE_AUTH_STATUSES);

/**
 * Maps an iPay `status` (and, for manual-capture orders, `pre_auth_status`) to a
 * {@link PaymentStatus}. Total over the documented values; anything else (a new value, an empty
 * or missing one) is `processing`, never a terminal status.
 */
export function mapIpayStatus(
  status: string | null | undefined,
  preAuthStatus?: string | null,
): PaymentStatus {
  const mapped = STATUS_BY_LOWER_CASE.get(normalize(status)) ?? 'processing';
  if (
    mapped !== 'captured' ||
    preAuthStatus === undefined ||
    preAuthStatus === null ||
    preAuthStatus === ''
  ) {
    return mapped;
  }
  return PRE_AUTH_BY_LOWER_CASE.get(normalize(preAuthStatus)) ?? 'processing';
}

function normalize(value: string | null | undefined): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

function lowerCaseKeys(table: Readonly<Record<string, PaymentStatus>>): Map<string, PaymentStatus> {
  return new Map(Object.entries(table).map(([key, value]) => [key.toLowerCase(), value]));
}
