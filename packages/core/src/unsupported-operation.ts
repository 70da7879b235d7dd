import { UnsupportedOperationError } from './errors.js';

/**
 * Throws the {@link UnsupportedOperationError} a provider raises for an operation its gateway
 * lacks, with a message that says what to do instead.
 */
export function unsupportedOperation(provider: string, operation: string, hint?: string): never {
  // The hint is a sentence fragment or a sentence: end it with exactly one period either way.
  const reason = hint ? `: ${hint.trim().replace(/[.\s]+$/, '')}.` : '.';
  throw new UnsupportedOperationError(
    `${provider} does not support ${operation}${reason} Check provider.capabilities before calling.`,
    { provider },
  );
}
