import { describe, expect, it, vi } from 'vitest';
import type * as errors from './errors.js';
import {
  AuthenticationError,
  ColchisError,
  ConfigurationError,
  ConflictError,
  ConnectionError,
  GatewayError,
  InvalidRequestError,
  NotFoundError,
  PaymentDeclinedError,
  RateLimitError,
  ResponseValidationError,
  SignatureVerificationError,
  TimeoutError,
  UnsupportedOperationError,
} from './errors.js';
import { REDACTED } from './redact.js';

const SUBCLASSES = [
  ConfigurationError,
  AuthenticationError,
  InvalidRequestError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  GatewayError,
  ConnectionError,
  TimeoutError,
  ResponseValidationError,
  SignatureVerificationError,
  UnsupportedOperationError,
  PaymentDeclinedError,
] as const;

type ErrorModule = typeof errors;

// A second copy of the module, as a duplicated install or a CJS copy next to the ESM one would
// load it: after resetting the registry the module runner evaluates the file again.
async function loadSecondCopy(): Promise<ErrorModule> {
  vi.resetModules();
  return (await import('./errors.js')) as ErrorModule;
}

describe('error classes', () => {
  it('are exactly the classes of the spec', () => {
    expect(SUBCLASSES.map((type) => type.kind)).toEqual([
      'ConfigurationError',
      'AuthenticationError',
      'InvalidRequestError',
      'NotFoundError',
      'ConflictError',
      'RateLimitError',
      'GatewayError',
      'ConnectionError',
      'TimeoutError',
      'ResponseValidationError',
      'SignatureVerificationError',
      'UnsupportedOperationError',
      'PaymentDeclinedError',
    ]);
  });

  it('carry provider, statusCode, requestId, retryable, code and cause', () => {
    const cause = new Error('socket hang up');
    for (const Type of SUBCLASSES) {
      const error = new Type('boom', {
        provider: 'bog',
        statusCode: 502,
        requestId: 'req-1',
        retryable: true,
        code: 'E42',
        cause,
      });
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(ColchisError);
      expect(error).toBeInstanceOf(Type);
      expect(error.name).toBe(Type.kind);
      expect(error.type).toBe(Type.kind);
      expect(error.message).toBe('boom');
      expect(error.provider).toBe('bog');
      expect(error.statusCode).toBe(502);
      expect(error.requestId).toBe('req-1');
      expect(error.retryable).toBe(true);
      expect(error.code).toBe('E42');
      expect(error.cause).toBe(cause);
      expect(error.stack).toContain(Type.kind);
    }
  });

  it('default to not retryable, except rate limits', () => {
    for (const Type of SUBCLASSES) {
      const error = new Type('x');
      expect(error.retryable, Type.kind).toBe(Type === RateLimitError);
      expect(error.provider).toBeUndefined();
      expect(error.statusCode).toBeUndefined();
      expect(error.rawBody).toBeUndefined();
      expect('cause' in error).toBe(false);
    }
    expect(new RateLimitError('x', { retryable: false }).retryable).toBe(false);
  });

  it('keep the subclass-specific fields', () => {
    expect(new RateLimitError('x', { retryAfterMs: 1500 }).retryAfterMs).toBe(1500);
    expect(new RateLimitError('x').retryAfterMs).toBeUndefined();
    expect(new TimeoutError('x', { timeoutMs: 30_000 }).timeoutMs).toBe(30_000);
    expect(new ConnectionError('x').requestSent).toBe(true);
    expect(new ConnectionError('x', { requestSent: false }).requestSent).toBe(false);
    expect(new PaymentDeclinedError('x', { declineCode: 'insufficient_funds' }).declineCode).toBe(
      'insufficient_funds',
    );
  });

  it('store the raw body redacted', () => {
    const error = new GatewayError('x', {
      rawBody: {
        error: 'invalid_client',
        client_secret: 'sk_live_abcdef',
        card: { number: '4111 1111 1111 1111', cvv: '123' },
        order: { password: 'hunter2', id: 'ord_1' },
        echo: 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.signature',
      },
    });
    expect(error.rawBody).toEqual({
      error: 'invalid_client',
      client_secret: REDACTED,
      card: { number: '****1111', cvv: REDACTED },
      order: { password: REDACTED, id: 'ord_1' },
      echo: `Authorization: Bearer ${REDACTED}`,
    });
    expect(new GatewayError('x', { rawBody: 'token=abc&card=4111111111111111' }).rawBody).toBe(
      `token=${REDACTED}&card=****1111`,
    );
  });
});

describe('isInstance', () => {
  it('matches the class and its base, not siblings', () => {
    const timeout = new TimeoutError('x');
    expect(TimeoutError.isInstance(timeout)).toBe(true);
    expect(ColchisError.isInstance(timeout)).toBe(true);
    expect(ConnectionError.isInstance(timeout)).toBe(false);
    expect(GatewayError.isInstance(timeout)).toBe(false);
    for (const Type of SUBCLASSES) {
      const error = new Type('x');
      for (const Other of SUBCLASSES)
        expect(Other.isInstance(error), `${Other.kind}(${Type.kind})`).toBe(Other === Type);
    }
  });

  it('rejects plain errors and non-objects', () => {
    for (const value of [new Error('x'), { name: 'TimeoutError' }, null, undefined, 'TimeoutError', 42]) {
      expect(ColchisError.isInstance(value)).toBe(false);
      expect(TimeoutError.isInstance(value)).toBe(false);
    }
  });

  it('recognizes a user subclass as its parent kinds', () => {
    class BogOrderExistsError extends ConflictError {
      static override readonly kind: string = 'BogOrderExistsError';
    }
    class Unnamed extends NotFoundError {}
    const error = new BogOrderExistsError('exists');
    expect(error.name).toBe('BogOrderExistsError');
    expect(BogOrderExistsError.isInstance(error)).toBe(true);
    expect(ConflictError.isInstance(error)).toBe(true);
    expect(ColchisError.isInstance(error)).toBe(true);
    expect(NotFoundError.isInstance(error)).toBe(false);
    // A subclass without its own kind is reported as the nearest named class.
    const unnamed = new Unnamed('gone');
    expect(unnamed.name).toBe('NotFoundError');
    expect(NotFoundError.isInstance(unnamed)).toBe(true);
  });

  it('works across two copies of the package', async () => {
    const copy = await loadSecondCopy();
    expect(copy.TimeoutError).not.toBe(TimeoutError);
    const foreign = new copy.TimeoutError('from the other copy', { provider: 'ioka', timeoutMs: 5 });
    expect(foreign instanceof TimeoutError).toBe(false); // why isInstance exists
    expect(TimeoutError.isInstance(foreign)).toBe(true);
    expect(ColchisError.isInstance(foreign)).toBe(true);
    expect(ConnectionError.isInstance(foreign)).toBe(false);
    const local = new RateLimitError('here');
    expect(copy.RateLimitError.isInstance(local)).toBe(true);
    expect(copy.ColchisError.isInstance(local)).toBe(true);
    expect(copy.GatewayError.isInstance(local)).toBe(false);
  });

  it('recognizes an object carrying the shared marker (e.g. a CJS build of the package)', () => {
    const marker = Symbol.for('colchis.error');
    const lookalike = Object.assign(new Error('x'), { [marker]: ['GatewayError', 'ColchisError'] });
    expect(GatewayError.isInstance(lookalike)).toBe(true);
    expect(ColchisError.isInstance(lookalike)).toBe(true);
    expect(TimeoutError.isInstance(lookalike)).toBe(false);
    expect(ColchisError.isInstance({ [marker]: 'ColchisError' })).toBe(false);
  });
});

describe('toJSON', () => {
  it('is a plain log-safe object without the stack', () => {
    const error = new NotFoundError('no such order', {
      provider: 'bog',
      statusCode: 404,
      requestId: 'r-9',
      code: 'OrderNotFound',
      rawBody: { message: 'not found', access_token: 'abc' },
      cause: new Error('inner'),
    });
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toEqual({
      type: 'NotFoundError',
      message: 'no such order',
      provider: 'bog',
      statusCode: 404,
      requestId: 'r-9',
      retryable: false,
      code: 'OrderNotFound',
      rawBody: { message: 'not found', access_token: REDACTED },
    });
    expect(JSON.stringify(error)).not.toContain('inner');
  });

  it('includes the subclass fields', () => {
    expect(new RateLimitError('slow down', { retryAfterMs: 2000 }).toJSON()).toMatchObject({
      type: 'RateLimitError',
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(new TimeoutError('late', { timeoutMs: 100 }).toJSON()).toMatchObject({ timeoutMs: 100 });
    expect(new ConnectionError('down', { requestSent: false }).toJSON()).toMatchObject({
      requestSent: false,
    });
    expect(new PaymentDeclinedError('no', { declineCode: 'do_not_honor' }).toJSON()).toMatchObject({
      declineCode: 'do_not_honor',
    });
  });
});
