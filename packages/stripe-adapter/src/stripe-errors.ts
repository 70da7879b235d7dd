import {
  AuthenticationError,
  ColchisError,
  type ColchisErrorOptions,
  ConfigurationError,
  ConflictError,
  ConnectionError,
  GatewayError,
  InvalidRequestError,
  NotFoundError,
  PaymentDeclinedError,
  parseRetryAfter,
  RateLimitError,
  ResponseValidationError,
  TimeoutError,
} from '@colchis/core';
import { mapStripeFailureCode } from './map-stripe-failure.js';
import { redactStripeText, redactStripeValue } from './stripe-secrets.js';

/** What {@link mapStripeError} needs to know about the failed call. */
export interface StripeErrorContext {
  /** The adapter method, e.g. `refund`. */
  operation: string;
  /** Literal secrets to strip from messages and bodies (API key, webhook secrets). */
  secrets: readonly string[];
  /** The call may be repeated safely: a GET, or a POST carrying an idempotency key. */
  idempotent: boolean;
}

/** The fields of a stripe-node error the adapter reads (typed loosely: any stripe version, any copy). */
interface StripeNodeError {
  type?: unknown;
  message?: unknown;
  statusCode?: unknown;
  requestId?: unknown;
  headers?: unknown;
  code?: unknown;
  decline_code?: unknown;
  param?: unknown;
  raw?: unknown;
  rawType?: unknown;
  detail?: unknown;
}

// Errors raised before any byte reached Stripe: repeating them cannot charge twice.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * `true` for an error thrown by stripe-node (any version, any copy of the package): its `type`
 * is the class name (`StripeCardError`, ...), which stripe-node sets for exactly this purpose.
 */
export function isStripeError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const type = (error as StripeNodeError).type;
  return typeof type === 'string' && /^Stripe[A-Za-z]*Error$/.test(type);
}

/**
 * Turns whatever stripe-node threw into a typed Colchis error: the class from the HTTP status
 * (stripe-node's own class when there is no status), `retryable` from Stripe's rules (connection
 * failures, 409, 429 and 5xx; `Stripe-Should-Retry` wins when sent), secrets removed from the
 * message and body.
 */
export function mapStripeError(error: unknown, context: StripeErrorContext): ColchisError {
  if (ColchisError.isInstance(error)) return error as ColchisError;
  if (!isStripeError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new ColchisError(
      `Stripe ${context.operation} failed unexpectedly: ${redactStripeText(message, context.secrets)}`,
      { provider: 'stripe', cause: error },
    );
  }
  const stripeError = error as StripeNodeError;
  const type = stripeError.type as string;
  const headers = readHeaders(stripeError.headers);
  const statusCode = typeof stripeError.statusCode === 'number' ? stripeError.statusCode : undefined;
  const requestId =
    (typeof stripeError.requestId === 'string' ? stripeError.requestId : undefined) ?? headers['request-id'];
  const code = typeof stripeError.code === 'string' && stripeError.code !== '' ? stripeError.code : undefined;
  const stripeMessage = redactStripeText(
    typeof stripeError.message === 'string' && stripeError.message !== ''
      ? stripeError.message
      : (code ?? type),
    context.secrets,
  );
  const shouldRetryHeader = headers['stripe-should-retry'];
  // Stripe has the final say on whether repeating helps (stripe-node's _shouldRetry does the same).
  const serverSays = shouldRetryHeader === 'true' ? true : shouldRetryHeader === 'false' ? false : undefined;
  const base: ColchisErrorOptions = {
    provider: 'stripe',
    statusCode,
    requestId,
    code,
    rawBody: rawBody(stripeError, context.secrets),
  };
  const prefix = `Stripe ${context.operation}`;

  if (type === 'StripeConnectionError') {
    const networkCode = detailCode(stripeError.detail);
    if (networkCode === 'ETIMEDOUT' || /timeout/i.test(stripeMessage)) {
      return new TimeoutError(
        `${prefix}: no complete answer from Stripe within the timeout (${stripeMessage}). The outcome is unknown: check the payment before repeating a money-moving call.`,
        { ...base, retryable: context.idempotent, cause: error },
      );
    }
    const notSent = networkCode !== undefined && NOT_SENT_CODES.has(networkCode);
    return new ConnectionError(
      `${prefix}: could not reach Stripe (${networkCode ?? 'network error'}: ${stripeMessage}).${notSent ? '' : ' The request may have been received: the outcome is unknown.'}`,
      { ...base, retryable: notSent || context.idempotent, requestSent: !notSent, cause: error },
    );
  }
  if (statusCode === 429 || type === 'StripeRateLimitError') {
    const retryAfterMs = parseRetryAfter(headers['retry-after']);
    return new RateLimitError(
      `${prefix}: Stripe is rate limiting this account (HTTP 429: ${stripeMessage}). Slow down; the call is retried with backoff while retries remain.`,
      { ...base, retryable: serverSays ?? true, retryAfterMs },
    );
  }
  if (statusCode === 401 || type === 'StripeAuthenticationError') {
    return new AuthenticationError(
      `${prefix}: Stripe refused the API key (HTTP 401: ${stripeMessage}). Check the \`apiKey\` setting or the STRIPE_SECRET_KEY environment variable: use a secret (sk_...) or restricted (rk_...) key of the right mode (test or live).`,
      { ...base, retryable: false },
    );
  }
  if (statusCode === 403 || type === 'StripePermissionError') {
    return new AuthenticationError(
      `${prefix}: the API key is not allowed to do this (HTTP 403: ${stripeMessage}). A restricted key needs write access to PaymentIntents, Checkout Sessions, Refunds and Customers.`,
      { ...base, retryable: false },
    );
  }
  if (statusCode === 402 || type === 'StripeCardError') {
    const declineCode = typeof stripeError.decline_code === 'string' ? stripeError.decline_code : undefined;
    return new PaymentDeclinedError(`${prefix}: the card was declined (${stripeMessage})`, {
      ...base,
      code: declineCode ?? code,
      declineCode: mapStripeFailureCode(code, declineCode),
      retryable: false,
    });
  }
  if (type === 'StripeIdempotencyError') {
    return new ConflictError(
      `${prefix}: this idempotency key was already used with different parameters (${stripeMessage}). Use a new key for a different request.`,
      { ...base, retryable: false },
    );
  }
  if (statusCode === 404 || code === 'resource_missing') {
    return new NotFoundError(`${prefix}: ${stripeMessage}`, { ...base, retryable: false });
  }
  if (statusCode === 409) {
    // Another request with the same idempotency key is still running (or a lock timed out):
    // stripe-node retries these, and the replay is safe because the key is the same.
    return new ConflictError(`${prefix}: ${stripeMessage}`, {
      ...base,
      retryable: serverSays ?? context.idempotent,
    });
  }
  if (statusCode !== undefined && statusCode >= 500) {
    return new GatewayError(`${prefix}: Stripe answered HTTP ${statusCode} (${stripeMessage}).`, {
      ...base,
      retryable: serverSays ?? context.idempotent,
    });
  }
  if (statusCode !== undefined && statusCode >= 400) {
    const param = typeof stripeError.param === 'string' ? ` (parameter \`${stripeError.param}\`)` : '';
    return new InvalidRequestError(`${prefix}: Stripe refused the request${param}: ${stripeMessage}`, {
      ...base,
      retryable: serverSays ?? false,
    });
  }
  if (type === 'StripeAPIError' && statusCode === undefined) {
    // stripe-node reports a body it could not parse without its HTTP status.
    const body = unparsedBody(stripeError.raw);
    if (body !== undefined && /^\s*<(!doctype|html)|<html[\s>]/i.test(body)) {
      const title = /<title>([^<]{0,120})<\/title>/i.exec(body)?.[1]?.trim();
      return new GatewayError(
        `${prefix}: Stripe's address answered with an HTML page${title ? ` titled "${title}"` : ''} instead of JSON: a proxy, load balancer or firewall in between is failing.`,
        { ...base, rawBody: body.slice(0, 2000), retryable: context.idempotent },
      );
    }
    return new ResponseValidationError(
      `${prefix}: Stripe answered with a body that is not valid JSON (${stripeMessage}).`,
      { ...base, ...(body !== undefined ? { rawBody: body.slice(0, 2000) } : {}), retryable: false },
    );
  }
  if (/authenticat/i.test(stripeMessage) && statusCode === undefined) {
    return new ConfigurationError(`${prefix}: ${stripeMessage}`, { ...base, retryable: false });
  }
  return new GatewayError(`${prefix}: ${stripeMessage}`, { ...base, retryable: serverSays ?? false });
}

/** Response headers as a lower-cased record of strings. */
function readHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const [name, value] of Object.entries(headers)) {
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text === 'string') out[name.toLowerCase()] = text;
  }
  return out;
}

function detailCode(detail: unknown): string | undefined {
  for (let current = detail, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { exception?: unknown }).exception ?? (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function unparsedBody(raw: unknown): string | undefined {
  const exception = (raw as { exception?: { rawBody?: unknown } } | undefined)?.exception;
  return typeof exception?.rawBody === 'string' ? exception.rawBody : undefined;
}

// Not attached as `cause` (except for connection failures): stripe-node's error carries the raw
// body, whose PaymentIntent includes the client secret, and loggers serialize causes.
// The error object Stripe sent (type, code, decline_code, param, message, doc_url, and the
// PaymentIntent for card errors), without stripe-node's bookkeeping fields.
function rawBody(error: StripeNodeError, secrets: readonly string[]): unknown {
  const raw = error.raw;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const {
    headers: _headers,
    statusCode: _statusCode,
    requestId: _requestId,
    exception: _exception,
    detail: _detail,
    ...rest
  } = raw as Record<string, unknown>;
  return Object.keys(rest).length > 0 ? redactStripeValue(rest, secrets) : undefined;
}
