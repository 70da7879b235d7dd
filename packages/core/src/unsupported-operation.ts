import { UnsupportedOperationError } from './errors.js';

/**
 * Throws the {@link UnsupportedOperationError} a provider raises for an operation its gateway
 * lacks, with a message that says what to do instead.
 */
export function unsupportedOperation(provider: string, operation: string, hint?: string): never {
  throw new UnsupportedOperationError(
    `${provider} does not support ${operation}${hint ? `: ${hint}` : '.'} Check provider.capabilities before calling.`,
    { provider },
  );
}
