import {
  type ColchisError,
  type ErrorContext,
  type ErrorDetails,
  GatewayError,
  type HttpResponse,
  redactString,
  responseHeader,
} from '@colchis/core';

/**
 * Reads ioka's error body: `{ code, message }` (v2.8), with `payment_id` on `PaymentStarted` and
 * `ProcessingDeadlineReachedError`. A FastAPI-style `{ detail: [...] }` validation body is read
 * too. The code leads the message (`OrderExists: ...`) because it is what the docs index.
 */
export function iokaErrorDetails(data: unknown): ErrorDetails | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const body = data as { code?: unknown; message?: unknown; detail?: unknown };
  const code = typeof body.code === 'string' && body.code !== '' ? body.code : undefined;
  let message = typeof body.message === 'string' && body.message !== '' ? body.message : undefined;
  if (message === undefined && typeof body.detail === 'string') message = body.detail;
  if (message === undefined && Array.isArray(body.detail)) {
    message = body.detail
      .map((item: { loc?: unknown; msg?: unknown }) => {
        const where = Array.isArray(item?.loc) ? item.loc.join('.') : '';
        return `${where}${where ? ': ' : ''}${typeof item?.msg === 'string' ? item.msg : 'invalid'}`;
      })
      .join('; ');
  }
  if (code === undefined && message === undefined) return undefined;
  return {
    code: code ?? (Array.isArray(body.detail) ? 'ValidationError' : undefined),
    message: code && message ? `${code}: ${message}` : (message ?? code),
  };
}

/**
 * ioka's own rules for 5xx answers (OpenAPI 2.8, "Ошибки обработки запросов"):
 * - **503**: "the request was guaranteed not executed": retryable for every method, including
 *   money-moving POSTs that carry no idempotency key.
 * - **504**: "the result is undetermined": retryable only when the call is idempotent. A create
 *   is reconciled by `external_id` instead (see the provider's `createPayment`).
 * Everything else falls through to core's status-based classification.
 */
export function createIokaErrorClassifier(
  secrets: () => readonly string[],
): (context: ErrorContext) => ColchisError | undefined {
  return ({ response, data, idempotent, requestId, operation }) => {
    const status = response.status;
    if (status !== 503 && status !== 504) return undefined;
    const details = data === undefined ? undefined : iokaErrorDetails(data);
    const said = details?.message
      ? `: ${redactString(details.message, secrets())}`
      : describeNonJson(response, data);
    const options = {
      provider: 'ioka',
      statusCode: status,
      requestId,
      code: details?.code,
      rawBody: data ?? redactString(response.body.slice(0, 2000), secrets()),
    };
    if (status === 503) {
      return new GatewayError(
        `ioka ${operation} failed with HTTP 503${said}. ioka guarantees a 503 was not executed: it is safe to try again later.`,
        { ...options, retryable: true },
      );
    }
    return new GatewayError(
      `ioka ${operation} failed with HTTP 504${said}. The outcome is unknown: check the result (for an order, look it up by external_id) before repeating a money-moving call.`,
      { ...options, retryable: idempotent },
    );
  };
}

function describeNonJson(response: HttpResponse, data: unknown): string {
  if (data !== undefined || response.body.trim() === '') return '';
  const contentType = responseHeader(response, 'content-type') ?? '';
  return /html/i.test(contentType) || /^\s*</.test(response.body)
    ? ' (an HTML page)'
    : ' (a body that is not JSON)';
}
