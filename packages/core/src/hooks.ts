/** What `onRequest` sees. Headers and body are already redacted. */
export interface RequestHookEvent {
  provider: string;
  /** The client method, e.g. `createOrder`. */
  operation: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** 1 for the first attempt. */
  attempt: number;
  idempotencyKey: string | undefined;
}

/** What `onResponse` sees. Body redacted. */
export interface ResponseHookEvent extends RequestHookEvent {
  statusCode: number;
  durationMs: number;
  requestId: string | undefined;
  responseBody: unknown;
}

/** What `onRetry` sees before the client waits and tries again. */
export interface RetryHookEvent {
  provider: string;
  operation: string;
  method: string;
  url: string;
  attempt: number;
  delayMs: number;
  /** The redacted error that triggered the retry. */
  error: Error;
  idempotencyKey: string | undefined;
}

/** What `onError` sees when a call finally fails. */
export interface ErrorHookEvent {
  provider: string;
  operation: string;
  method: string;
  url: string;
  attempts: number;
  error: Error;
}

/**
 * Observability hooks for logging and metrics. Everything passed to them has secrets removed
 * (Authorization, API keys, client secrets, tokens, passwords, card numbers) by the same
 * redaction used for errors. A throwing hook is ignored: logging never breaks a payment.
 */
export interface Hooks {
  onRequest?: ((event: RequestHookEvent) => void) | undefined;
  onResponse?: ((event: ResponseHookEvent) => void) | undefined;
  onRetry?: ((event: RetryHookEvent) => void) | undefined;
  onError?: ((event: ErrorHookEvent) => void) | undefined;
}
