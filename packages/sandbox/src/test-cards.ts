/** What a test card does on a sandbox hosted page. */
export type CardOutcome =
  | 'success'
  | 'insufficient_funds'
  | 'declined'
  | 'expired_card'
  | 'incorrect_cvc'
  | 'three_d_secure'
  | 'three_d_secure_failed'
  | 'do_not_honor'
  | 'processing_error';

/** Card numbers without spaces; unknown numbers decline (like a real bank). */
export function normalizeCardNumber(value: string | null | undefined): string {
  return (value ?? '').replace(/[\s-]/g, '');
}
