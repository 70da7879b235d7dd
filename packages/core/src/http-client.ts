import type { Dispatcher } from 'undici';
import { defaultTransport } from './default-transport.js';
import {
  AuthenticationError,
  ColchisError,
  type ColchisErrorOptions,
  ConflictError,
  ConnectionError,
  GatewayError,
  InvalidRequestError,
  NotFoundError,
  RateLimitError,
  ResponseValidationError,
  TimeoutError,
} from './errors.js';
import type { Hooks } from './hooks.js';
import { generateIdempotencyKey } from './idempotency-key.js';
import type { RequestOptions } from './payment-types.js';
import { redact, redactString, redactUrl } from './redact.js';
import { computeBackoffMs, parseRetryAfter, type RetrySettings, sleep } from './retry.js';
import { type HttpResponse, responseHeader, type Transport } from './transport.js';
import { VERSION } from './version.js';

/** How a gateway's error body reads: the message and code to put on the typed error. */
export interface ErrorDetails {
  message?: string | undefined;
  code?: string | undefined;
}

/** What a provider's error classifier receives. */
export interface ErrorContext {
  response: HttpResponse;
  /** Parsed JSON body, or `undefined` when the body was not JSON. */
  data: unknown;
  /** Whether this request may be repeated safely (GET, or keyed by an honoured idempotency key). */
  idempotent: boolean;
  requestId: string | undefined;
  operation: string;
}

/** Settings of {@link createHttpClient}. Gateway clients fill most of them. */
export interface HttpClientSettings {
  /** Provider id for errors and hooks. */
  provider: string;
  /** Base URL the request paths are appended to. */
  baseUrl: string;
  /** Default: undici (lazily loaded), or {@link fetchTransport} on edge runtimes. */
  transport?: Transport | undefined;
  /** undici dispatcher for the default transport (mutual TLS, proxy, `MockAgent`). */
  dispatcher?: Dispatcher | undefined;
  /** Per-attempt timeout in ms, covering the body. Default 30 000. */
  timeoutMs?: number | undefined;
  retry?: RetrySettings | undefined;
  hooks?: Hooks | undefined;
  /** Headers sent with every request (before per-request headers). */
  headers?: Record<string, string> | undefined;
  /** Appended to the User-Agent, e.g. `my-shop/1.2`. */
  userAgentSuffix?: string | undefined;
  /** The package and version making the call, e.g. `@colchis/bog/0.1.0`. */
  userAgent?: string | undefined;
  /** Response header carrying the gateway's request id. Default tries common names. */
  requestIdHeader?: string | undefined;
  /** Literal secrets (API keys, client secrets) to strip from anything logged or thrown. */
  secrets?: (() => readonly string[]) | undefined;
  /** Extracts message and code from a gateway error body. */
  errorDetails?: ((data: unknown, response: HttpResponse) => ErrorDetails | undefined) | undefined;
  /**
   * A provider's own classification. Return an error to throw it, `undefined` to fall back to
   * the status-based default. Called for every status >= 400, and for 2xx answers whose body
   * `isErrorBody` flags (gateways that report errors with 200).
   */
  classifyError?: ((context: ErrorContext) => ColchisError | undefined) | undefined;
  /** Flags a 2xx body that is really an error (ProCredit's `errorCode` on 200). */
  isErrorBody?: ((data: unknown) => boolean) | undefined;
  /** Test seams. */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  random?: (() => number) | undefined;
}

/** Authorization that can be refreshed: called with `true` after a 401 to force a new token. */
export type AuthProvider = (
  forceRefresh: boolean,
  signal?: AbortSignal,
  /** With `forceRefresh`: the auth headers the gateway refused (pass their token as `rejectedToken`). */
  rejectedHeaders?: Record<string, string>,
) => Promise<Record<string, string>>;

/** One logical call. Retries re-send exactly this. */
export interface HttpCall {
  /** For hooks and errors: the client method name, e.g. `createOrder`. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path appended to the base URL, or an absolute URL. */
  path: string;
  query?: Record<string, string | number | boolean | undefined | null> | undefined;
  /** JSON body. */
  json?: unknown;
  /** `application/x-www-form-urlencoded` body. */
  form?: Record<string, string | number | boolean | undefined | null> | undefined;
  headers?: Record<string, string | undefined> | undefined;
  /**
   * The gateway honours an idempotency key in this header: one is generated (or taken from the
   * options) once for the call and sent on every attempt, which makes the call safe to retry.
   */
  idempotencyHeader?: string | undefined;
  /**
   * Overrides the retry safety. Default: GET, PUT and DELETE are idempotent, POST and PATCH are
   * not unless they carry an idempotency key. A non-idempotent call is retried only when the
   * gateway guarantees nothing was done (a refused connection, 429, or a provider-classified
   * retryable error), never after the request may have been processed.
   */
  idempotent?: boolean | undefined;
  /**
   * Called before each attempt for auth headers; called with `true` once after a 401 to force a
   * new token. Only for refreshable credentials (OAuth tokens): send static API keys as plain
   * `headers`, so a 401 is reported at once instead of being repeated.
   */
  auth?: AuthProvider | undefined;
  /** How to read a 2xx body. `json` (default) requires valid JSON; `text` keeps the raw text. */
  responseType?: 'json' | 'text' | undefined;
  options?: RequestOptions | undefined;
}

/** A successful answer. */
export interface HttpResult<T = unknown> {
  status: number;
  headers: HttpResponse['headers'];
  /** Parsed JSON (`responseType: 'json'`), or `undefined` for an empty body. */
  data: T;
  /** The raw body text. */
  body: string;
  requestId: string | undefined;
  /** The idempotency key actually sent, if any. */
  idempotencyKey: string | undefined;
  attempts: number;
}

/** An HTTP client bound to one gateway: retries, timeouts, auth refresh, hooks, typed errors. */
export interface HttpClient {
  readonly settings: Readonly<HttpClientSettings>;
  request<T = unknown>(call: HttpCall): Promise<HttpResult<T>>;
  /** Redacts text with this client's configured secrets too. */
  redact<T>(value: T): T;
}

const TIMEOUT_REASON = Symbol('colchis.timeout');
const TRANSPORT_TIMEOUT_CODE = 'COLCHIS_TRANSPORT_TIMEOUT';
const REQUEST_ID_HEADERS = [
  'x-request-id',
  'request-id',
  'x-correlation-id',
  'x-amzn-requestid',
  'x-trace-id',
];
// Errors raised before a single byte could reach the server: always safe to retry.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_OSSL|HANDSHAKE|alert/i;

/**
 * Creates the HTTP client every Colchis gateway client is built on. Retries live here and only
 * here: a call is repeated when it is safe (see {@link HttpCall.idempotent}), with exponential
 * backoff and jitter, honouring `Retry-After`; the idempotency key is generated once per call.
 */
export function createHttpClient(settings: HttpClientSettings): HttpClient {
  const transport = settings.transport ?? defaultTransport({ dispatcher: settings.dispatcher });
  const baseUrl = settings.baseUrl.replace(/\/+$/, '');
  const userAgent = [
    settings.userAgent ?? `@colchis/core/${VERSION}`,
    `node/${nodeVersion()}`,
    settings.userAgentSuffix,
  ]
    .filter(Boolean)
    .join(' ');
  const defaultHeaders: Record<string, string> = { 'user-agent': userAgent, accept: 'application/json' };
  for (const [name, value] of Object.entries(settings.headers ?? {}))
    defaultHeaders[name.toLowerCase()] = value;
  const wait = settings.sleep ?? sleep;
  const hooks = settings.hooks;
  const secrets = () => settings.secrets?.() ?? [];
  const redactAll = <T>(value: T): T => redact(value, secrets());

  async function request<T>(call: HttpCall): Promise<HttpResult<T>> {
    const options = call.options ?? {};
    const url = buildUrl(baseUrl, call.path, call.query);
    const idempotencyKey = call.idempotencyHeader
      ? (options.idempotencyKey ?? generateIdempotencyKey())
      : undefined;
    const idempotent =
      call.idempotent ??
      (idempotencyKey !== undefined ||
        call.method === 'GET' ||
        call.method === 'PUT' ||
        call.method === 'DELETE');
    const maxRetries = Math.max(0, options.maxRetries ?? settings.retry?.maxRetries ?? 2);
    const timeoutMs = options.timeout ?? settings.timeoutMs ?? 30_000;

    const headers: Record<string, string> = { ...defaultHeaders };
    let body: string | undefined;
    if (call.json !== undefined) {
      body = JSON.stringify(call.json);
      headers['content-type'] = 'application/json';
    } else if (call.form !== undefined) {
      body = encodeForm(call.form);
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (call.headers) {
      for (const name of Object.keys(call.headers)) {
        const value = call.headers[name];
        if (value !== undefined) headers[name.toLowerCase()] = value;
      }
    }
    if (options.headers) {
      for (const name of Object.keys(options.headers))
        headers[name.toLowerCase()] = options.headers[name] as string;
    }
    if (call.idempotencyHeader && idempotencyKey)
      headers[call.idempotencyHeader.toLowerCase()] = idempotencyKey;

    let attempt = 0;
    let authRefreshed = false;
    let forceRefresh = false;
    let rejectedHeaders: Record<string, string> | undefined;
    for (;;) {
      attempt++;
      options.signal?.throwIfAborted();
      let attemptHeaders = headers;
      if (call.auth) {
        try {
          attemptHeaders = {
            ...headers,
            ...(await call.auth(forceRefresh, options.signal, rejectedHeaders)),
          };
        } catch (thrown) {
          // The auth provider (a token fetch with its own client and retries) failed: report it
          // as it is, neither retried again here nor disguised as a failure of this request.
          if (options.signal?.aborted) throw options.signal.reason;
          if (hooks?.onError && thrown instanceof Error) {
            const authError = thrown;
            safeHook(() =>
              hooks.onError?.({
                provider: settings.provider,
                operation: call.operation,
                method: call.method,
                url: redactUrl(url, secrets()),
                attempts: attempt,
                error: authError,
              }),
            );
          }
          throw thrown;
        }
      }
      forceRefresh = false;
      // Timed only for the onResponse hook: nothing else reads it.
      const started = hooks?.onResponse ? performance.now() : 0;
      if (hooks?.onRequest) {
        safeHook(() =>
          hooks.onRequest?.({
            provider: settings.provider,
            operation: call.operation,
            method: call.method,
            url: redactUrl(url, secrets()),
            headers: redactAll(attemptHeaders),
            body: redactAll(call.json ?? call.form),
            attempt,
            idempotencyKey,
          }),
        );
      }
      let error: ColchisError;
      try {
        const response = await send(url, call.method, attemptHeaders, body, timeoutMs, options.signal);
        const requestId = readRequestId(response);
        if (hooks?.onResponse) {
          safeHook(() =>
            hooks.onResponse?.({
              provider: settings.provider,
              operation: call.operation,
              method: call.method,
              url: redactUrl(url, secrets()),
              headers: redactAll(attemptHeaders),
              body: redactAll(call.json ?? call.form),
              attempt,
              idempotencyKey,
              statusCode: response.status,
              durationMs: performance.now() - started,
              requestId,
              responseBody: redactAll(safeParse(response.body) ?? response.body),
            }),
          );
        }
        if (response.status === 401 && call.auth && !authRefreshed) {
          // A token can be revoked or expire early: refresh once and repeat. Nothing was done
          // by the gateway on a 401, so this is safe for any method.
          authRefreshed = true;
          forceRefresh = true;
          rejectedHeaders = attemptHeaders;
          attempt--;
          continue;
        }
        const outcome = readResponse<T>(response, requestId, idempotent, call);
        if (!(outcome instanceof ColchisError)) {
          // Filled in place: a spread copy of the result costs more than the rest of this loop.
          outcome.idempotencyKey = idempotencyKey;
          outcome.attempts = attempt;
          return outcome;
        }
        error = outcome;
      } catch (thrown) {
        if (options.signal?.aborted && !isTimeout(thrown)) throw options.signal.reason;
        error = classifyThrown(thrown, idempotent, timeoutMs);
      }
      const retryAfterMs = error instanceof RateLimitError ? error.retryAfterMs : undefined;
      const maxRetryAfter = settings.retry?.maxRetryAfterMs ?? 60_000;
      const canRetry =
        error.retryable &&
        attempt <= maxRetries &&
        (retryAfterMs === undefined || retryAfterMs <= maxRetryAfter);
      if (!canRetry) {
        if (hooks?.onError) {
          safeHook(() =>
            hooks.onError?.({
              provider: settings.provider,
              operation: call.operation,
              method: call.method,
              url: redactUrl(url, secrets()),
              attempts: attempt,
              error,
            }),
          );
        }
        throw error;
      }
      const delayMs = computeBackoffMs(attempt, settings.retry, retryAfterMs, settings.random);
      if (hooks?.onRetry) {
        safeHook(() =>
          hooks.onRetry?.({
            provider: settings.provider,
            operation: call.operation,
            method: call.method,
            url: redactUrl(url, secrets()),
            attempt,
            delayMs,
            error,
            idempotencyKey,
          }),
        );
      }
      await wait(delayMs, options.signal);
    }
  }

  function send(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<HttpResponse> {
    // The transport keeps the deadline itself: no AbortController, timer and listener per attempt.
    if (transport.enforcesTimeout)
      return transport.request({ method, url, headers, body, signal, timeoutMs });
    return sendWithController(url, method, headers, body, timeoutMs, signal);
  }

  async function sendWithController(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<HttpResponse> {
    // One controller per attempt: the timer covers connecting, headers and the whole body.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(TIMEOUT_REASON), timeoutMs);
    const forward = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forward, { once: true });
    // The caller may have aborted while auth headers were being fetched: no event will come.
    if (signal?.aborted) forward();
    try {
      return await transport.request({ method, url, headers, body, signal: controller.signal });
    } catch (error) {
      if (controller.signal.reason === TIMEOUT_REASON) throw TIMEOUT_REASON;
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    }
  }

  function readRequestId(response: HttpResponse): string | undefined {
    if (settings.requestIdHeader) return responseHeader(response, settings.requestIdHeader);
    // The names are lower case already, as transports deliver header names.
    for (const name of REQUEST_ID_HEADERS) {
      const value = response.headers[name];
      if (value) return Array.isArray(value) ? value[0] : value;
    }
    return undefined;
  }

  function readResponse<T>(
    response: HttpResponse,
    requestId: string | undefined,
    idempotent: boolean,
    call: HttpCall,
  ): HttpResult<T> | ColchisError {
    const { status } = response;
    const text = response.body;
    const contentType = responseHeader(response, 'content-type') ?? '';
    let data: unknown;
    let parsed = false;
    const blank = text.length === 0 || text.trim() === '';
    if (!blank && (call.responseType ?? 'json') === 'json') {
      try {
        data = JSON.parse(text);
        parsed = true;
      } catch {
        parsed = false;
      }
    }
    const base: ColchisErrorOptions = { provider: settings.provider, statusCode: status, requestId };
    if (status >= 200 && status < 300) {
      if (parsed && settings.isErrorBody?.(data)) {
        return classify(response, data, idempotent, requestId, call.operation);
      }
      if ((call.responseType ?? 'json') === 'json' && !blank && !parsed) {
        const redactedText = redactString(text, secrets());
        return new ResponseValidationError(
          `${settings.provider} answered ${call.operation} with ${describeBody(redactedText, contentType)} where JSON was expected.`,
          { ...base, rawBody: truncate(redactedText) },
        );
      }
      return {
        status,
        headers: response.headers,
        data: (call.responseType === 'text' ? text : data) as T,
        body: text,
        requestId,
        idempotencyKey: undefined,
        attempts: 0,
      };
    }
    if (status >= 300 && status < 400) {
      return new ResponseValidationError(
        `${settings.provider} answered ${call.operation} with an unexpected redirect (${status}) to ${redactUrl(responseHeader(response, 'location') ?? '?')}: check the base URL.`,
        base,
      );
    }
    return classify(response, parsed ? data : undefined, idempotent, requestId, call.operation);
  }

  function classify(
    response: HttpResponse,
    data: unknown,
    idempotent: boolean,
    requestId: string | undefined,
    operation: string,
  ): ColchisError {
    const custom = settings.classifyError?.({ response, data, idempotent, requestId, operation });
    if (custom) return custom;
    return defaultClassify(response, data, idempotent, requestId, operation);
  }

  function defaultClassify(
    response: HttpResponse,
    data: unknown,
    idempotent: boolean,
    requestId: string | undefined,
    operation: string,
  ): ColchisError {
    const status = response.status;
    const details = (data !== undefined ? settings.errorDetails?.(data, response) : undefined) ?? {};
    const contentType = responseHeader(response, 'content-type') ?? '';
    // Redacted with the configured secrets too: gateways echo credentials back in error bodies.
    const redactedText = redactString(response.body, secrets());
    const gatewaySays = details.message
      ? `: ${redactString(details.message, secrets())}`
      : data === undefined && redactedText.trim() !== ''
        ? ` (${describeBody(redactedText, contentType)})`
        : '';
    const options: ColchisErrorOptions = {
      provider: settings.provider,
      statusCode: status,
      requestId,
      code: details.code,
      rawBody: data !== undefined ? redactAll(data) : truncate(redactedText),
    };
    const prefix = `${settings.provider} ${operation} failed with HTTP ${status}${gatewaySays}`;
    if (status === 401 || status === 403) {
      return new AuthenticationError(
        `${prefix}. Check the credentials and the environment (test vs production).`,
        options,
      );
    }
    if (status === 404) return new NotFoundError(`${prefix}.`, options);
    if (status === 409) return new ConflictError(`${prefix}.`, options);
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(
        responseHeader(response, 'retry-after'),
        responseHeader(response, 'retry-after-ms'),
      );
      // A 429 means the gateway did nothing, but a call without an idempotency key is still never
      // sent twice automatically: the caller decides (retryAfterMs says when). Gateways that
      // guarantee otherwise say so through classifyError.
      return new RateLimitError(`${prefix}. Too many requests.`, {
        ...options,
        retryAfterMs,
        retryable: idempotent,
      });
    }
    if (status >= 500) {
      // 5xx on a keyed or read-only call can be repeated: the gateway replays or nothing changes.
      // Without a key the first attempt may have gone through, so it is never repeated blindly.
      return new GatewayError(`${prefix}.`, { ...options, retryable: idempotent && status !== 501 });
    }
    return new InvalidRequestError(`${prefix}.`, options);
  }

  function classifyThrown(thrown: unknown, idempotent: boolean, timeoutMs: number): ColchisError {
    if (ColchisError.isInstance(thrown)) return thrown as ColchisError;
    if (thrown === TIMEOUT_REASON || isTimeout(thrown)) {
      return new TimeoutError(
        `${settings.provider} did not answer within ${timeoutMs} ms. The outcome is unknown: check the payment before repeating a money-moving call.`,
        { provider: settings.provider, retryable: idempotent, timeoutMs },
      );
    }
    const code = errorCode(thrown);
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    if (
      (code && TLS_CODES.test(code)) ||
      (TLS_CODES.test(message) && /certificate|tls|ssl|handshake/i.test(message))
    ) {
      return new ConnectionError(
        `TLS handshake with ${settings.provider} failed (${code ?? 'TLS error'}: ${redactString(message, secrets())}). Check the client certificate, its key and the CA bundle.`,
        { provider: settings.provider, retryable: false, requestSent: false, cause: thrown, code },
      );
    }
    const notSent = code !== undefined && NOT_SENT_CODES.has(code);
    const reason = `${code ?? 'network error'}: ${redactString(message, secrets())}`;
    return new ConnectionError(
      notSent
        ? `Could not reach ${settings.provider} (${reason}). Nothing was sent.`
        : `The connection to ${settings.provider} failed (${reason}). The request may have been received: the outcome is unknown.`,
      {
        provider: settings.provider,
        retryable: notSent || idempotent,
        requestSent: !notSent,
        cause: thrown,
        code,
      },
    );
  }

  return { settings, request, redact: redactAll };
}

function isTimeout(error: unknown): boolean {
  return (
    error === TIMEOUT_REASON ||
    (error as { code?: unknown } | undefined)?.code === TRANSPORT_TIMEOUT_CODE ||
    (error instanceof Error && (error as { cause?: unknown }).cause === TIMEOUT_REASON)
  );
}

function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && code !== 'ABORT_ERR') return code;
    if (typeof code === 'string' && (current as { cause?: unknown }).cause === undefined) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function safeHook(run: () => unknown): void {
  try {
    const result = run();
    // An async hook that rejects would otherwise be an unhandled rejection, which ends a Node
    // process by default: swallow it like a synchronous throw.
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, () => {});
    }
  } catch {
    // A hook's failure must never change a payment's outcome.
  }
}

function safeParse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function truncate(text: string, max = 2000): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function describeBody(text: string, contentType: string): string {
  if (/html/i.test(contentType) || /^\s*<(!doctype|html)/i.test(text)) {
    const title = /<title>([^<]{0,120})<\/title>/i.exec(text)?.[1];
    return `an HTML page${title ? ` titled "${title.trim()}"` : ''}`;
  }
  return `a body that is not JSON (${JSON.stringify(text.slice(0, 60))}${text.length > 60 ? '…' : ''})`;
}

function encodeForm(form: Record<string, string | number | boolean | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    if (value !== undefined && value !== null) params.append(name, String(value));
  }
  return params.toString();
}

/** Joins a base URL, a path and query parameters (skipping `undefined`/`null`). */
export function buildUrl(
  baseUrl: string,
  path: string,
  query?: Record<string, string | number | boolean | undefined | null>,
): string {
  let url = /^https?:\/\//i.test(path) ? path : `${baseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) params.append(name, String(value));
    }
    const text = params.toString();
    if (text) url += `${url.includes('?') ? '&' : '?'}${text}`;
  }
  return url;
}

function nodeVersion(): string {
  const version = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  return version ?? 'unknown';
}
