/** Retry settings of an HTTP client. */
export interface RetrySettings {
  /** Retries after the first attempt. Default 2 (three attempts in all). */
  maxRetries?: number | undefined;
  /** First backoff in ms, doubled each retry. Default 500. */
  initialDelayMs?: number | undefined;
  /** Backoff ceiling in ms. Default 5000. */
  maxDelayMs?: number | undefined;
  /** A `Retry-After` longer than this (ms) is not waited for: the error is thrown. Default 60000. */
  maxRetryAfterMs?: number | undefined;
}

/**
 * Exponential backoff with jitter, as stripe-node does it: `min(initial * 2^(n-1), max)` scaled to
 * a random point in [50 %, 100 %] (so a fleet of clients does not retry in lockstep), never below
 * `initial`. A server's `Retry-After` wins when it is given.
 */
export function computeBackoffMs(
  retryNumber: number,
  settings: RetrySettings = {},
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.max(0, retryAfterMs);
  const initial = settings.initialDelayMs ?? 500;
  const max = settings.maxDelayMs ?? 5000;
  const base = Math.min(initial * 2 ** Math.max(0, retryNumber - 1), max);
  return Math.max(initial, Math.round(base * (0.5 + random() * 0.5)));
}

/**
 * Reads `Retry-After` (seconds or an HTTP date) and `retry-after-ms`, in ms. `undefined` when
 * absent or unreadable.
 */
export function parseRetryAfter(
  retryAfter: string | undefined,
  retryAfterMs?: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (retryAfterMs !== undefined && /^\d+(\.\d+)?$/.test(retryAfterMs.trim())) {
    return Math.ceil(Number(retryAfterMs));
  }
  if (retryAfter === undefined) return undefined;
  const text = retryAfter.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // Only an HTTP date (it has a month name): Date.parse also reads "-1" or "1 2" as dates.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
