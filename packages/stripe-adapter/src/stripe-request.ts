import {
  type ColchisError,
  computeBackoffMs,
  type Hooks,
  RateLimitError,
  type RequestOptions,
  type RetrySettings,
  sleep,
} from '@colchis/core';
import type Stripe from 'stripe';
import { mapStripeError, type StripeErrorContext } from './stripe-errors.js';
import { redactStripeValue } from './stripe-secrets.js';

/** One logical call to Stripe through the official client. */
export interface StripeCall<T> {
  /** The adapter method, for hooks and error messages (`createPayment`, `refund`, ...). */
  operation: string;
  method: 'GET' | 'POST';
  /** API path, for hooks (`/v1/refunds`). */
  path: string;
  /** The parameters sent, for hooks (redacted before any hook sees them). */
  params?: unknown;
  /** Idempotency key of a POST, generated once for the logical call and sent on every attempt. */
  idempotencyKey?: string | undefined;
  /** Performs one attempt through stripe-node with the given request options. */
  send(options: Stripe.RequestOptions): Promise<T>;
  /**
   * Turns an error that still carries the result into that result (a declined confirmation is a
   * 402 whose body holds the PaymentIntent). Sees stripe-node's error before any mapping.
   */
  recover?: ((error: unknown) => T | undefined) | undefined;
}

/** Settings of {@link createStripeRequester}. */
export interface StripeRequesterSettings {
  /** Retries after the first attempt. */
  maxRetries: number;
  retry?: RetrySettings | undefined;
  /** Per-attempt timeout (ms) handed to stripe-node; `undefined` keeps the client's own. */
  timeoutMs?: number | undefined;
  hooks?: Hooks | undefined;
  /** Headers added to every request. */
  headers?: Record<string, string> | undefined;
  /** Base URL for hook events (`https://api.stripe.com`). */
  baseUrl: () => string;
  /** Literal secrets to keep out of hooks and errors. */
  secrets: () => readonly string[];
}

/** Runs {@link StripeCall}s with Colchis' retry, timeout, abort and hook rules. */
export type StripeRequester = <T>(call: StripeCall<T>, options?: RequestOptions) => Promise<T>;

interface LastResponse {
  statusCode?: number;
  requestId?: string;
}

/**
 * Creates the function every adapter method sends its Stripe calls through. stripe-node does the
 * HTTP; this layer owns the retry policy, because stripe-node leaves gaps a payments SDK cannot:
 * it never retries a 429, nor a response whose body stalled or broke after the headers arrived
 * (`HttpClientResponseBodyError`, stripe-node's fix for #2814). So each attempt asks stripe-node
 * for `maxNetworkRetries: 0` and this loop retries connection failures, timeouts, 409, 429
 * (honouring `Retry-After`) and 5xx, as stripe-node's `_shouldRetry` would, with
 * `Stripe-Should-Retry` deciding when Stripe sends it. Every POST carries one idempotency key for
 * the whole logical call, so a retry is a replay, never a second charge.
 *
 * stripe-node still retries a connection closed on the first attempt (`ECONNRESET`/`EPIPE`) once
 * on its own, even with `maxNetworkRetries: 0` (its fix for stale keep-alive sockets, #1040);
 * with the key that replay is safe too.
 */
export function createStripeRequester(settings: StripeRequesterSettings): StripeRequester {
  const hooks = settings.hooks;
  return async function request<T>(call: StripeCall<T>, options: RequestOptions = {}): Promise<T> {
    const maxRetries = Math.max(0, options.maxRetries ?? settings.maxRetries);
    const timeout = options.timeout ?? settings.timeoutMs;
    const headers = { ...settings.headers, ...options.headers };
    const requestOptions: Stripe.RequestOptions = {
      maxNetworkRetries: 0,
      ...(timeout !== undefined ? { timeout } : {}),
      ...(call.idempotencyKey !== undefined ? { idempotencyKey: call.idempotencyKey } : {}),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
    };
    const context: StripeErrorContext = {
      operation: call.operation,
      secrets: settings.secrets(),
      idempotent: call.method === 'GET' || call.idempotencyKey !== undefined,
    };
    const url = `${settings.baseUrl()}${call.path}`;
    const hookHeaders = () =>
      redactStripeValue(
        { ...headers, ...(call.idempotencyKey ? { 'idempotency-key': call.idempotencyKey } : {}) },
        context.secrets,
      );
    const hookBody = () => redactStripeValue(call.params, context.secrets);

    for (let attempt = 1; ; attempt++) {
      options.signal?.throwIfAborted();
      if (hooks?.onRequest) {
        safeHook(() =>
          hooks.onRequest?.({
            provider: 'stripe',
            operation: call.operation,
            method: call.method,
            url,
            headers: hookHeaders(),
            body: hookBody(),
            attempt,
            idempotencyKey: call.idempotencyKey,
          }),
        );
      }
      const started = performance.now();
      let error: ColchisError;
      try {
        const result = await withDeadline(abortable(call.send(requestOptions), options.signal), timeout);
        const last = lastResponse(result);
        if (last?.statusCode !== undefined && last.statusCode >= 400) {
          // stripe-node treats a body without an `error` object as a success whatever the
          // status; a 4xx/5xx is still a failure (seen from proxies answering for Stripe).
          throw Object.assign(new Error(`HTTP ${last.statusCode} without a Stripe error object`), {
            type: 'StripeAPIError',
            statusCode: last.statusCode,
            requestId: last.requestId,
            raw: { message: `HTTP ${last.statusCode} without a Stripe error object` },
          });
        }
        if (hooks?.onResponse) {
          safeHook(() =>
            hooks.onResponse?.({
              provider: 'stripe',
              operation: call.operation,
              method: call.method,
              url,
              headers: hookHeaders(),
              body: hookBody(),
              attempt,
              idempotencyKey: call.idempotencyKey,
              statusCode: last?.statusCode ?? 200,
              durationMs: performance.now() - started,
              requestId: last?.requestId,
              responseBody: redactStripeValue(result, context.secrets),
            }),
          );
        }
        return result;
      } catch (thrown) {
        if (options.signal?.aborted) throw options.signal.reason;
        const recovered = call.recover?.(thrown);
        if (recovered !== undefined) {
          if (hooks?.onResponse) {
            const status = (thrown as { statusCode?: unknown }).statusCode;
            safeHook(() =>
              hooks.onResponse?.({
                provider: 'stripe',
                operation: call.operation,
                method: call.method,
                url,
                headers: hookHeaders(),
                body: hookBody(),
                attempt,
                idempotencyKey: call.idempotencyKey,
                statusCode: typeof status === 'number' ? status : 402,
                durationMs: performance.now() - started,
                requestId: (thrown as { requestId?: string }).requestId,
                responseBody: redactStripeValue(recovered, context.secrets),
              }),
            );
          }
          return recovered;
        }
        error = mapStripeError(thrown, context);
      }
      if (error.statusCode !== undefined && hooks?.onResponse) {
        safeHook(() =>
          hooks.onResponse?.({
            provider: 'stripe',
            operation: call.operation,
            method: call.method,
            url,
            headers: hookHeaders(),
            body: hookBody(),
            attempt,
            idempotencyKey: call.idempotencyKey,
            statusCode: error.statusCode as number,
            durationMs: performance.now() - started,
            requestId: error.requestId,
            responseBody: error.rawBody,
          }),
        );
      }
      const retryAfterMs = RateLimitError.isInstance(error)
        ? (error as RateLimitError).retryAfterMs
        : undefined;
      const maxRetryAfter = settings.retry?.maxRetryAfterMs ?? 60_000;
      const canRetry =
        error.retryable &&
        attempt <= maxRetries &&
        (retryAfterMs === undefined || retryAfterMs <= maxRetryAfter);
      if (!canRetry) {
        if (hooks?.onError) {
          safeHook(() =>
            hooks.onError?.({
              provider: 'stripe',
              operation: call.operation,
              method: call.method,
              url,
              attempts: attempt,
              error,
            }),
          );
        }
        throw error;
      }
      const delayMs = computeBackoffMs(attempt, settings.retry, retryAfterMs);
      if (hooks?.onRetry) {
        safeHook(() =>
          hooks.onRetry?.({
            provider: 'stripe',
            operation: call.operation,
            method: call.method,
            url,
            attempt,
            delayMs,
            error,
            idempotencyKey: call.idempotencyKey,
          }),
        );
      }
      await sleep(delayMs, options.signal);
    }
  };
}

function lastResponse(result: unknown): LastResponse | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const last = (result as { lastResponse?: unknown }).lastResponse;
  if (typeof last !== 'object' || last === null) return undefined;
  const { statusCode, requestId } = last as { statusCode?: unknown; requestId?: unknown };
  return {
    ...(typeof statusCode === 'number' ? { statusCode } : {}),
    ...(typeof requestId === 'string' ? { requestId } : {}),
  };
}

// stripe-node takes no AbortSignal: the caller stops waiting at once, the request itself runs to
// its end (its outcome is unknown, as after a timeout; the idempotency key makes a later retry a
// replay).
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

// stripe-node's Node client times out a socket that is idle for `timeout` ms; a body that keeps
// trickling in could take forever. So every attempt also gets a hard deadline. It cannot be the
// bare timeout: within one attempt stripe-node may re-send once by itself after a closed
// connection (its #1040 rule), after sleeping exactly 500 ms, and cutting that short would start
// a second request beside it. So the deadline is two network attempts plus that pause. The
// abandoned attempt carries the call's idempotency key: the retry is a replay (or a 409 while it
// still runs, which is retried too).
const STRIPE_CLOSED_CONNECTION_PAUSE_MS = 500;
const DEADLINE_GRACE_MS = 100;

function withDeadline<T>(promise: Promise<T>, timeout: number | undefined): Promise<T> {
  if (timeout === undefined) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => {
        reject(
          Object.assign(new Error(`Request aborted due to timeout being reached (${timeout}ms)`), {
            type: 'StripeConnectionError',
            detail: { code: 'ETIMEDOUT' },
          }),
        );
      },
      2 * timeout + STRIPE_CLOSED_CONNECTION_PAUSE_MS + DEADLINE_GRACE_MS,
    );
  });
  promise.catch(() => {}); // the abandoned attempt may still fail later: nobody listens any more
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function safeHook(run: () => void): void {
  try {
    run();
  } catch {
    // A hook's failure must never change a payment's outcome.
  }
}
