import type { SafeHtml } from './html.js';
import { htmlResult, type Router, redirectResult } from './http-server.js';
import type { SessionCookie } from './session-cookie.js';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** Whether `text` looks like an e-mail address (the demo accounts and guest checkouts need one). */
export function isEmailAddress(text: string): boolean {
  return EMAIL.test(text);
}

/**
 * The demo sign-in: `GET /login` shows `loginPage`, `POST /login` takes an e-mail address (no
 * password: the examples are about payments, not authentication), signs the customer in with
 * the session cookie and sends them `home`; `POST /logout` signs out.
 */
export function addSignInRoutes(
  router: Router,
  options: {
    sessions: SessionCookie;
    loginPage: (options: { notice?: string | undefined }) => SafeHtml;
    /** Finds or creates the account of this e-mail address; returns its id. */
    signIn: (email: string) => number;
    /** Where a signed-in customer lands (their dashboard or account page). */
    home: string;
  },
): void {
  const { sessions } = options;
  router.add('GET', '/login', (context) =>
    htmlResult(options.loginPage({ notice: context.url.searchParams.get('notice') ?? undefined })),
  );
  router.add('POST', '/login', async (context) => {
    const email = (await context.form()).get('email')?.trim() ?? '';
    if (!isEmailAddress(email))
      return redirectResult(`/login?notice=${encodeURIComponent('Enter a valid e-mail address.')}`);
    return redirectResult(options.home, { 'set-cookie': sessions.issue(options.signIn(email)) });
  });
  router.add('POST', '/logout', () => redirectResult('/', { 'set-cookie': sessions.clear() }));
}
