import { ResponseValidationError } from '@colchis/core';
import type * as z from 'zod/mini';

/**
 * Validates an ioka answer against its wire schema, once, and returns the typed value. A body
 * Colchis cannot use (a missing id or status, a string where an amount belongs) becomes a
 * `ResponseValidationError` naming the fields, instead of a `TypeError` later.
 */
export function parseIokaResponse<T>(
  schema: z.ZodMiniType<T, unknown>,
  data: unknown,
  operation: string,
  requestId?: string | undefined,
): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'the body';
      const expected =
        'expected' in issue && issue.expected ? `expected ${String(issue.expected)}` : issue.code;
      return `${where} (${expected})`;
    })
    .join(', ');
  return fail(`ioka answered ${operation} with a body Colchis cannot read: ${problems}.`, requestId, data);
}

function fail(message: string, requestId: string | undefined, data: unknown): never {
  throw new ResponseValidationError(message, { provider: 'ioka', requestId, rawBody: data });
}
