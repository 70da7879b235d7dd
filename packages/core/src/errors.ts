import { redact } from './redact.js';

const MARKER = Symbol.for('colchis.error');

/** Options shared by every Colchis error. */
export interface ColchisErrorOptions {
  /** Provider id (`bog`, `procredit`, `ioka`, `stripe`, ...), when the error concerns one. */
  provider?: string | undefined;
  /** HTTP status of the gateway's answer, when there was one. */
  statusCode?: number | undefined;
  /** The gateway's request id header, for support tickets. */
  requestId?: string | undefined;
  /** Whether sending the same request again may succeed. Core's retry loop reads it. */
  retryable?: boolean | undefined;
  /** The gateway's response body; stored redacted. */
  rawBody?: unknown;
  /** The gateway's own error code (`OrderExists`, `TXPG-...`), when it sent one. */
  code?: string | undefined;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The base of every error Colchis throws. Check with `ColchisError.isInstance(error)` (or a
 * subclass's `isInstance`) rather than `instanceof`: it also recognizes errors thrown by another
 * copy of `@colchis/core` in the same process (duplicated installs, CJS next to ESM).
 */
export class ColchisError extends Error {
  /** The error's class name, stable across package copies (`'TimeoutError'`, ...). */
  readonly type: string;
  readonly provider: string | undefined;
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly code: string | undefined;
  /** The gateway's response body with secrets, tokens, card data and order passwords removed. */
  readonly rawBody: unknown;
  /**
   * The class's stable name. Set explicitly (not read from `constructor.name`) so it survives
   * minifiers; `isInstance` compares these names across package copies.
   */
  static readonly kind: string = 'ColchisError';
  private readonly [MARKER]: readonly string[];

  constructor(message: string, options: ColchisErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const kinds: string[] = [];
    for (let ctor: unknown = new.target; typeof ctor === 'function'; ctor = Object.getPrototypeOf(ctor)) {
      const kind = (ctor as { kind?: unknown }).kind;
      if (typeof kind === 'string' && !kinds.includes(kind)) kinds.push(kind);
    }
    this[MARKER] = kinds;
    this.name = kinds[0] ?? 'ColchisError';
    this.type = this.name;
    this.provider = options.provider;
    this.statusCode = options.statusCode;
    this.requestId = options.requestId;
    this.retryable = options.retryable ?? false;
    this.code = options.code;
    this.rawBody = options.rawBody === undefined ? undefined : redact(options.rawBody);
  }

  /** `true` for a Colchis error of this class (or a subclass), from any copy of the package. */
  static isInstance<T extends abstract new (...args: never[]) => ColchisError>(
    this: T & { kind: string },
    error: unknown,
  ): error is InstanceType<T> {
    if (typeof error !== 'object' || error === null) return false;
    const kinds = (error as Record<symbol, unknown>)[MARKER];
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }

  /**
   * A plain, log-safe object without the stack or the cause (a cause from the network layer can
   * hold URLs and headers). Subclasses add their own fields (`retryAfterMs`, `timeoutMs`, ...).
   */
  toJSON(): Record<string, unknown> {
    return {
      type: this.type,
      message: this.message,
      provider: this.provider,
      statusCode: this.statusCode,
      requestId: this.requestId,
      retryable: this.retryable,
      code: this.code,
      rawBody: this.rawBody,
    };
  }
}

/** A setting is missing or wrong: credentials, certificates, URLs. Never retryable. */
export class ConfigurationError extends ColchisError {
  static override readonly kind: string = 'ConfigurationError';
}
/** The gateway refused the credentials (401/403), after one token refresh where applicable. */
export class AuthenticationError extends ColchisError {
  static override readonly kind: string = 'AuthenticationError';
}
/** The request was malformed or not allowed (400/422), or failed local validation before sending. */
export class InvalidRequestError extends ColchisError {
  static override readonly kind: string = 'InvalidRequestError';
}
/** The payment, order or resource does not exist (404, or a gateway's equivalent). */
export class NotFoundError extends ColchisError {
  static override readonly kind: string = 'NotFoundError';
}
/** A conflicting request: duplicate reference, idempotency key reused with other parameters (409). */
export class ConflictError extends ColchisError {
  static override readonly kind: string = 'ConflictError';
}
/** Too many requests (429). `retryAfterMs` holds the gateway's `Retry-After` when sent. */
export class RateLimitError extends ColchisError {
  static override readonly kind: string = 'RateLimitError';
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: ColchisErrorOptions & { retryAfterMs?: number | undefined } = {}) {
    super(message, { retryable: true, ...options });
    this.retryAfterMs = options.retryAfterMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}
/** The gateway failed (5xx). `retryable` says whether the gateway guarantees nothing was done. */
export class GatewayError extends ColchisError {
  static override readonly kind: string = 'GatewayError';
}
/**
 * The connection failed. `requestSent` tells whether the request may have reached the gateway:
 * if it did, the outcome is unknown and a money-moving call must be reconciled, not repeated.
 */
export class ConnectionError extends ColchisError {
  static override readonly kind: string = 'ConnectionError';
  readonly requestSent: boolean;
  constructor(message: string, options: ColchisErrorOptions & { requestSent?: boolean } = {}) {
    super(message, options);
    this.requestSent = options.requestSent ?? true;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), requestSent: this.requestSent };
  }
}
/** No complete answer within the timeout (headers and body). The outcome is unknown. */
export class TimeoutError extends ColchisError {
  static override readonly kind: string = 'TimeoutError';
  readonly timeoutMs: number | undefined;
  constructor(message: string, options: ColchisErrorOptions & { timeoutMs?: number | undefined } = {}) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs };
  }
}
/** The gateway answered something Colchis cannot read: bad JSON, an HTML page, a missing field. */
export class ResponseValidationError extends ColchisError {
  static override readonly kind: string = 'ResponseValidationError';
}
/** A webhook or callback failed verification. Respond 400 and do not act on it. */
export class SignatureVerificationError extends ColchisError {
  static override readonly kind: string = 'SignatureVerificationError';
}
/** The gateway (or this provider) cannot do the requested operation; see `capabilities`. */
export class UnsupportedOperationError extends ColchisError {
  static override readonly kind: string = 'UnsupportedOperationError';
}
/** The payment was declined. `declineCode` holds the normalized failure code. */
export class PaymentDeclinedError extends ColchisError {
  static override readonly kind: string = 'PaymentDeclinedError';
  readonly declineCode: string | undefined;
  constructor(message: string, options: ColchisErrorOptions & { declineCode?: string | undefined } = {}) {
    super(message, options);
    this.declineCode = options.declineCode;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), declineCode: this.declineCode };
  }
}
