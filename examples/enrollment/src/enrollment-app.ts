import type { PaymentProvider } from '@colchis/core';
import {
  addSignInRoutes,
  adminActions,
  adminOnly,
  describeError,
  type ExampleAppOptions,
  type HttpContext,
  HttpError,
  type HttpResult,
  htmlResult,
  isEmailAddress,
  jsonResult,
  type PaymentLedger,
  paymentStatusHandler,
  postedReturnHandler,
  type ReconcileSummary,
  reconcileNow,
  redirectResult,
  redirectToGateway,
  returnPath,
  SessionCookie,
  type SqliteDatabase,
  startExampleApp,
  webhookHandler,
} from '@colchis/example-shared';
import { COURSES, findCourse } from './courses.js';
import { ENROLLMENT_MIGRATIONS } from './enrollment-migrations.js';
import {
  adminPage,
  coursesPage,
  dashboardPage,
  loginPage,
  messagePage,
  returnPage,
  returnViewOf,
} from './enrollment-pages.js';
import { EnrollmentService } from './enrollment-service.js';
import { EnrollmentStore, type Student } from './enrollment-store.js';

/** A running enrollment app. */
export interface EnrollmentApp {
  /** The URL it listens on (or `publicUrl`). */
  readonly url: string;
  /** The provider in use. */
  readonly provider: PaymentProvider;
  readonly port: number;
  readonly db: SqliteDatabase;
  readonly ledger: PaymentLedger;
  readonly store: EnrollmentStore;
  readonly service: EnrollmentService;
  /** Asks the gateway about open payments older than `graceMs` (default: the configured grace). */
  reconcile(graceMs?: number): Promise<ReconcileSummary>;
  /** Stops the server and the job, and closes the database. */
  close(): Promise<void>;
}

/**
 * Starts the academy: an HTTP server with server-rendered pages, its SQLite file and a
 * reconciliation job. Everything about the gateway goes through `options.provider`.
 */
export async function createEnrollmentApp(options: ExampleAppOptions): Promise<EnrollmentApp> {
  // The database, the server (listening, but holding requests until router.open()), the
  // provider set up with the app's URL, and the payment ledger: see start-example-app.ts.
  const app = await startExampleApp(options, { name: 'enrollment', migrations: ENROLLMENT_MIGRATIONS });
  const { router, db, provider, ledger, sync, baseUrl, now, log } = app;
  const currency = options.currency;
  const store = new EnrollmentStore(db, now);
  const sessions = new SessionCookie(db, 'academy_session', baseUrl.startsWith('https:'));
  const service = new EnrollmentService({
    provider,
    ledger,
    sync,
    store,
    currency,
    baseUrl: () => baseUrl,
    log,
  });
  const providerLabel = `${provider.id}`;
  const displayPaymentId = options.displayPaymentId ?? ((id: string) => id);

  const currentStudent = (context: HttpContext): Student | undefined => {
    const id = sessions.read(context.cookies);
    return id === undefined ? undefined : store.findStudent(id);
  };
  const adminAction = adminActions({
    password: options.adminPassword,
    log,
    failurePrefix: 'The gateway refused',
  });

  router.add('GET', '/', (context) =>
    htmlResult(
      coursesPage({
        courses: COURSES,
        currency,
        student: currentStudent(context),
        providerLabel,
        notice: context.url.searchParams.get('notice') ?? undefined,
      }),
    ),
  );
  router.add('GET', '/healthz', () => jsonResult({ ok: true, provider: provider.id }));
  addSignInRoutes(router, {
    sessions,
    loginPage,
    signIn: (email) => store.upsertStudent(email, { guest: false }).id,
    home: '/dashboard',
  });

  // Enroll: a pending enrollment and a payment row first, then createPayment, then the customer
  // goes to the gateway's hosted page.
  router.add('POST', '/courses/:courseId/enroll', async (context) => {
    const course = findCourse(context.params.courseId ?? '');
    if (!course) throw new HttpError(404, 'No such course.');
    let student = currentStudent(context);
    if (!student) {
      const email = (await context.form()).get('email')?.trim() ?? '';
      if (!isEmailAddress(email)) {
        return redirectResult(
          `/?notice=${encodeURIComponent('Enter a valid e-mail address to check out as a guest.')}`,
        );
      }
      student = store.upsertStudent(email, { guest: true });
    }
    const outcome = await service.enroll(student, course);
    switch (outcome.kind) {
      case 'already':
        return redirectResult(
          outcome.enrollment.guest
            ? `/?notice=${encodeURIComponent(`${outcome.enrollment.email} is already enrolled in ${course.title}.`)}`
            : `/dashboard?notice=${encodeURIComponent(`You are already enrolled in ${course.title}.`)}`,
        );
      case 'error':
        return htmlResult(messagePage('Payment not started', outcome.message, currentStudent(context)), 502);
      case 'settled':
        return redirectResult(returnPath(outcome.payment.reference));
      case 'pay':
        return redirectToGateway(outcome.action);
    }
  });

  // The return page. Whatever the URL says (gateways append STATUS=... hints, anyone can forge
  // them), the outcome shown is what the gateway tells the server.
  const showReturn = async (context: HttpContext): Promise<HttpResult> => {
    const reference = context.params.reference ?? context.url.searchParams.get('ref') ?? '';
    const payment = await sync.confirm(reference, 'enrollment', 'return');
    if (!payment) {
      return htmlResult(
        messagePage('Unknown payment', 'We have no payment with this reference.', currentStudent(context)),
        404,
      );
    }
    const enrollment = store.get(payment.ownerId);
    return htmlResult(
      returnPage({ payment, enrollment, student: currentStudent(context), view: returnViewOf(payment) }),
    );
  };
  router.add('GET', '/payment/callback/:reference', showReturn);
  router.add('GET', '/payment/callback', showReturn);
  router.add('POST', '/payment/callback/:reference', postedReturnHandler, { crossSite: true });
  // The return page polls this while the payment is still open.
  router.add('GET', '/payment/status/:reference', paymentStatusHandler(sync, 'enrollment', returnViewOf));

  router.add('GET', '/dashboard', (context) => {
    const student = currentStudent(context);
    if (!student)
      return redirectResult(`/login?notice=${encodeURIComponent('Sign in to see your courses.')}`);
    const enrollments = store
      .listForStudent(student.id)
      .map((enrollment) => ({ enrollment, payments: ledger.listForOwner('enrollment', enrollment.id) }));
    return htmlResult(
      dashboardPage({ student, enrollments, notice: context.url.searchParams.get('notice') ?? undefined }),
    );
  });

  // Webhooks: the raw bytes go to the provider's verifier before anything parses them.
  router.add('POST', '/webhooks/payments', webhookHandler(sync), { crossSite: true });

  router.add(
    'GET',
    '/admin',
    adminOnly(options.adminPassword, (context) =>
      htmlResult(
        adminPage({
          enrollments: store.listAll(),
          payments: ledger.listRecent(),
          webhooks: ledger.listWebhooks(),
          capabilities: provider.capabilities,
          providerLabel,
          displayPaymentId,
          notice: context.url.searchParams.get('notice') ?? undefined,
          now: now(),
        }),
      ),
    ),
  );
  router.add(
    'POST',
    '/admin/payments/:id/refund',
    adminAction(async (context) =>
      service.refund(Number(context.params.id), (await context.form()).get('amount') ?? undefined),
    ),
  );
  router.add(
    'POST',
    '/admin/payments/:id/capture',
    adminAction(async (context) =>
      service.capture(Number(context.params.id), (await context.form()).get('amount') ?? undefined),
    ),
  );
  router.add(
    'POST',
    '/admin/payments/:id/cancel',
    adminAction(async (context) => service.cancelAuthorization(Number(context.params.id))),
  );
  router.add('POST', '/admin/reconcile', adminAction(reconcileNow(sync)));

  router.open();

  // The reconciliation job: on a timer, and whenever the sandbox clock jumps.
  app.runJobs(async () => {
    await app.reconcile().catch((error: unknown) => log(`reconciliation failed: ${describeError(error)}`));
  });

  return {
    url: baseUrl,
    port: app.port,
    provider,
    db,
    ledger,
    store,
    service,
    reconcile: app.reconcile,
    close: () => app.close(),
  };
}
