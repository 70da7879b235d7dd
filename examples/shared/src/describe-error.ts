import { ColchisError } from '@colchis/core';

/** A one-line description of an error for logs (Colchis errors never carry secrets). */
export function describeError(error: unknown): string {
  if (ColchisError.isInstance(error)) {
    const colchis = error as ColchisError;
    return `${colchis.name}: ${colchis.message}${colchis.statusCode ? ` (HTTP ${colchis.statusCode})` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}
