import { describe, expect, it } from 'vitest';
import { ColchisError, UnsupportedOperationError } from './errors.js';
import { unsupportedOperation } from './unsupported-operation.js';

function thrown(run: () => unknown): UnsupportedOperationError {
  try {
    run();
  } catch (error) {
    return error as UnsupportedOperationError;
  }
  throw new Error('expected a throw');
}

describe('unsupportedOperation', () => {
  it('throws a typed, non-retryable error naming the provider and operation', () => {
    const error = thrown(() => unsupportedOperation('procredit', 'chargeSavedMethod'));
    expect(UnsupportedOperationError.isInstance(error)).toBe(true);
    expect(ColchisError.isInstance(error)).toBe(true);
    expect(error.provider).toBe('procredit');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'procredit does not support chargeSavedMethod. Check provider.capabilities before calling.',
    );
  });

  it('adds the hint as one sentence whether or not it ends with a period', () => {
    const expected =
      'ioka does not support partial capture: capture the full amount or cancel. Check provider.capabilities before calling.';
    expect(
      thrown(() => unsupportedOperation('ioka', 'partial capture', 'capture the full amount or cancel'))
        .message,
    ).toBe(expected);
    expect(
      thrown(() => unsupportedOperation('ioka', 'partial capture', 'capture the full amount or cancel.'))
        .message,
    ).toBe(expected);
  });
});
