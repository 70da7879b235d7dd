import {
  AuthenticationError,
  type ColchisError,
  ConflictError,
  type ErrorContext,
  type ErrorDetails,
  GatewayError,
  InvalidRequestError,
  NotFoundError,
  PaymentDeclinedError,
  redact,
  redactString,
} from '@colchis/core';
import type { ProCreditErrorBody } from './procredit-api.js';
import { failureFromPmoCode, pmoCodeFromDescription } from './procredit-pmo-codes.js';

const AUTHENTICATION_CODES = new Set([
  'InvalidCert',
  'InvalidLogin',
  'NeedChangePwd',
  'PwdTryLimitExceeded',
  'InvalidUserSession',
  'UserSessionExpired',
]);
const STATE_CODES = new Set([
  'InvalidOrderState',
  'TranProhibited',
  'OperationProhibited',
  'InvalidAutStatus',
]);
const DECLINE_CODES = new Set(['PmoDecline', 'CofpDecline']);
const UNAVAILABLE_CODES = new Set([
  'PmoUnreachable',
  'CofpUnreachable',
  'PmoIfaceNotFound',
  'ServiceError',
  'ActionAppException',
]);

/** `true` for the bank's error body `{ errorCode, errorDescription? }`, which it also sends with HTTP 200. */
export function isProCreditErrorBody(data: unknown): data is ProCreditErrorBody {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { errorCode?: unknown }).errorCode === 'string' &&
    (data as { errorCode: string }).errorCode.trim() !== ''
  );
}

/** Message and code of an error body, for core's default classification. */
export function procreditErrorDetails(data: unknown): ErrorDetails | undefined {
  if (!isProCreditErrorBody(data)) return undefined;
  return {
    code: data.errorCode,
    message: data.errorDescription ? `${data.errorCode}: ${data.errorDescription}` : data.errorCode,
  };
}

/**
 * Classifies the bank's `errorCode` whatever the HTTP status (Kapital reports a wrong order state
 * with 500, RNCB reports errors with 200): a state conflict is never retried, a decline becomes
 * {@link PaymentDeclinedError}, an unreachable processing centre is a {@link GatewayError} that is
 * retried only for reads. Bodies without `errorCode` (HTML pages, proxies) fall back to core's
 * status-based classification.
 */
export function createProCreditErrorClassifier(
  secrets: () => readonly string[],
): (context: ErrorContext) => ColchisError | undefined {
  return ({ response, data, idempotent, requestId, operation }) => {
    if (!isProCreditErrorBody(data)) return undefined;
    const code = data.errorCode;
    const status = response.status;
    const description = data.errorDescription ? redactString(data.errorDescription, secrets()) : undefined;
    const options = {
      provider: 'procredit',
      statusCode: status,
      requestId,
      code,
      rawBody: redact(data, secrets()),
    };
    const said = `ProCredit ${operation} failed${status === 200 ? '' : ` with HTTP ${status}`}: ${code}${description ? ` (${description})` : ''}`;
    if (AUTHENTICATION_CODES.has(code)) {
      return new AuthenticationError(
        `${said}. Check the merchant's credentials (client certificate or Basic login) and the environment (test vs production).`,
        options,
      );
    }
    if (STATE_CODES.has(code)) {
      return new ConflictError(
        `${said}. The order's current state does not allow this operation (for example a refund before the purchase cleared, a second capture, or a reversal after settlement): fetch the order and check its status.`,
        options,
      );
    }
    if (DECLINE_CODES.has(code)) {
      const failure = failureFromPmoCode(pmoCodeFromDescription(data.errorDescription));
      return new PaymentDeclinedError(`${said}. ${failure.message}.`, {
        ...options,
        declineCode: failure.code,
      });
    }
    if (UNAVAILABLE_CODES.has(code)) {
      return new GatewayError(
        `${said}. The bank's processing is unavailable${idempotent ? '' : '; the outcome is unknown: fetch the order before repeating the operation'}.`,
        { ...options, retryable: idempotent },
      );
    }
    if (code === 'ConsumerNotFound') return new NotFoundError(`${said}.`, options);
    if (status === 404) return new NotFoundError(`${said}.`, options);
    if (status === 401 || status === 403) {
      return new AuthenticationError(
        `${said}. Check the merchant's credentials and the environment.`,
        options,
      );
    }
    if (status >= 500) {
      return new GatewayError(`${said}.`, { ...options, retryable: idempotent && status !== 501 });
    }
    const hint =
      operation === 'createOrder'
        ? ' Check typeRid (order types differ per bank and environment), the amount format and the description (Latin letters only).'
        : '';
    return new InvalidRequestError(`${said}.${hint}`, options);
  };
}
