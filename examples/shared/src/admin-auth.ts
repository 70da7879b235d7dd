import { timingSafeEqual } from 'node:crypto';
import { describeError } from './describe-error.js';
import { type HttpContext, type HttpHandler, type HttpResult, redirectResult } from './http-server.js';
import { UserFacingError } from './user-facing-error.js';

/**
 * Checks HTTP Basic credentials for the admin pages (user `admin`). Returns the 401 answer to
 * send, or `undefined` when the request may proceed. The password comes from `ADMIN_PASSWORD`;
 * the demo defaults it to `admin` only when it runs against the sandbox.
 */
export function checkAdmin(context: HttpContext, password: string): HttpResult | undefined {
  const header = context.headers.authorization ?? '';
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (match) {
    const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
    const expected = Buffer.from(`admin:${password}`);
    const given = Buffer.from(decoded);
    if (expected.length === given.length && timingSafeEqual(expected, given)) return undefined;
  }
  return {
    status: 401,
    headers: { 'www-authenticate': 'Basic realm="admin", charset="UTF-8"', 'content-type': 'text/plain' },
    body: 'Admin sign-in required (user admin).',
  };
}

/** `handler`, behind the admin sign-in ({@link checkAdmin}). */
export function adminOnly(password: string, handler: HttpHandler): HttpHandler {
  return async (context) => checkAdmin(context, password) ?? handler(context);
}

/**
 * Makes the handlers of the admin page's forms: each runs its action behind the admin sign-in,
 * then sends the admin back to `/admin` with the outcome as the page's notice. A
 * {@link UserFacingError} is shown as it is; anything else is logged and shown after
 * `failurePrefix` (`The gateway refused: ...`).
 */
export function adminActions(options: {
  password: string;
  log: (line: string) => void;
  failurePrefix: string;
}): (action: (context: HttpContext) => Promise<string> | string) => HttpHandler {
  return (action) =>
    adminOnly(options.password, async (context) => {
      let message: string;
      try {
        message = await action(context);
      } catch (error) {
        if (!(error instanceof UserFacingError)) options.log(`admin action failed: ${describeError(error)}`);
        message =
          error instanceof UserFacingError
            ? error.message
            : `${options.failurePrefix}: ${describeError(error)}`;
      }
      return redirectResult(`/admin?notice=${encodeURIComponent(message)}`);
    });
}
