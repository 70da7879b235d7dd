import { timingSafeEqual } from 'node:crypto';
import type { HttpContext, HttpResult } from './http-server.js';

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
