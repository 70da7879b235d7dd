import type { FailureCode, PaymentFailure } from '@colchis/core';

// ioka does not publish its decline codes (`payment.error.code`), so the normalized code is read
// from the code and the message together, in English and Russian. Anything unrecognized is a
// plain `card_declined`; the gateway's own code is always kept in `rawCode`.
const RULES: ReadonlyArray<readonly [RegExp, FailureCode]> = [
  [/insufficient|not ?enough|недостаточно|nsf/i, 'insufficient_funds'],
  [/limit|лимит/i, 'limit_exceeded'],
  [/expired.?card|card.?expired|срок.*(истек|действия)|истек.*срок/i, 'expired_card'],
  [/cvc|cvv|cvv2|security.?code/i, 'incorrect_cvc'],
  [/3-?d.?s|3-?d.?secure|authenticat|аутентиф|acs/i, 'authentication_failed'],
  [/fraud|мошен|suspect/i, 'fraud_suspected'],
  [/do.?not.?honou?r/i, 'do_not_honor'],
  [/invalid.?(card|pan|number)|incorrect.?(card|number)|неверн.*(номер|карт)/i, 'incorrect_number'],
  [/not.?supported|unsupported|не поддерж/i, 'card_not_supported'],
  [/timeout|deadline|processing|unavailable|system.?error|technical/i, 'processing_error'],
  [/cancel(l)?ed.?by.?(user|customer|payer)|отмен/i, 'canceled_by_customer'],
];

/**
 * Normalizes a declined payment's `error` (`{ code, message }`) into a `PaymentFailure`.
 * Without an error object the failure is a generic decline.
 */
export function mapIokaFailure(
  error: { code?: string | null | undefined; message?: string | null | undefined } | null | undefined,
): PaymentFailure {
  const rawCode = error?.code ?? undefined;
  const message = error?.message ?? undefined;
  const haystack = `${rawCode ?? ''} ${message ?? ''}`;
  const rule = RULES.find(([pattern]) => pattern.test(haystack));
  return {
    code: rule?.[1] ?? 'card_declined',
    message: message ?? rawCode ?? 'The payment was declined.',
    ...(rawCode ? { rawCode } : {}),
  };
}
