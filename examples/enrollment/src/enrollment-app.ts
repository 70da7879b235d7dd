import type { PaymentProvider } from '@colchis/core';
import {
  checkAdmin,
  closeProvider,
  type ExampleAppOptions,
  type HttpContext,
  HttpError,
  type HttpResult,
  htmlResult,
  jsonResult,
  openDatabase,
  PaymentLedger,
  PaymentSync,
  type ReconcileSummary,
  Router,
  redirectResult,
  resolveProvider,
  SessionCookie,
  type SqliteDatabase,
  sqliteProviderStorage,
  startHttpServer,
  systemClock,
  textResult,
} from '@colchis/example-shared';
import { COURSES, findCourse } from './courses.js';
import { ENROLLMENT_MIGRATIONS } from './enrollment-migrations.js';
import {
  adminPage,
  coursesPage,
  dashboardPage,
  loginPage,
  messagePage,
  postRedirectPage,
  returnPage,
  returnViewOf,
} from './enrollment-pages.js';
import { describeError, EnrollmentService, UserFacingError } from './enrollment-service.js';
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

/** Whether the return page should ask the gateway (the outcome is not settled yet). */
function isPending(payment: { status: string }): boolean {
  return payment.status === 'requires_action' || payment.status === 'processing';
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * Starts the academy: an HTTP server with server-rendered pages, its SQLite file and a
 * reconciliation job. Everything about the gateway goes through `options.provider`.
 */
export async function createEnrollmentApp(options: ExampleAppOptions): Promise<EnrollmentApp> {
  const log = options.log ?? ((line: string) => console.log(`[enrollment] ${line}`));
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const currency = options.currency;
  const db = openDatabase(options.databaseFile, ENROLLMENT_MIGRATIONS);
  const router = new Router();
  // Listen first (the URL is part of what some gateways are set up with), serve once ready.
  router.hold();
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  let provider: PaymentProvider;
  try {
    server = await startHttpServer(router, { port: options.port, host: options.host, log });
  } catch (error) {
    db.close();
    throw error;
  }
  const baseUrl = options.publicUrl?.replace(/\/+$/, '') ?? server.url;
  try {
    provider = await resolveProvider(options.provider, {
      webhookUrl: `${baseUrl}/webhooks/payments`,
      storage: sqliteProviderStorage(db),
    });
  } catch (error) {
    await server.close();
    db.close();
    throw error;
  }
  const ledger = new PaymentLedger(db, now);
  const sync = new PaymentSync(ledger, provider, { now, log });
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
  const graceMs = options.reconcileGraceMs ?? 120_000;

  const currentStudent = (context: HttpContext): Student | undefined => {
    const id = sessions.read(context.cookies);
    return id === undefined ? undefined : store.findStudent(id);
  };
  const admin =
    (handler: (context: HttpContext) => Promise<HttpResult> | HttpResult) => async (context: HttpContext) =>
      checkAdmin(context, options.adminPassword) ?? handler(context);
  const adminAction = (action: (context: HttpContext) => Promise<string>) =>
    admin(async (context) => {
      let message: string;
      try {
        message = await action(context);
      } catch (error) {
        if (!(error instanceof UserFacingError)) log(`admin action failed: ${describeError(error)}`);
        message =
          error instanceof UserFacingError ? error.message : `The gateway refused: ${describeError(error)}`;
      }
      return redirectResult(`/admin?notice=${encodeURIComponent(message)}`);
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
  router.add('GET', '/login', (context) =>
    htmlResult(loginPage({ notice: context.url.searchParams.get('notice') ?? undefined })),
  );
  router.add('POST', '/login', async (context) => {
    const email = (await context.form()).get('email')?.trim() ?? '';
    if (!EMAIL.test(email))
      return redirectResult(`/login?notice=${encodeURIComponent('Enter a valid e-mail address.')}`);
    const student = store.upsertStudent(email, { guest: false });
    return redirectResult('/dashboard', { 'set-cookie': sessions.issue(student.id) });
  });
  router.add('POST', '/logout', () => redirectResult('/', { 'set-cookie': sessions.clear() }));

  router.add('POST', '/courses/:courseId/enroll', async (context) => {
    const course = findCourse(context.params.courseId ?? '');
    if (!course) throw new HttpError(404, 'No such course.');
    let student = currentStudent(context);
    if (!student) {
      const email = (await context.form()).get('email')?.trim() ?? '';
      if (!EMAIL.test(email)) {
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
        return redirectResult(`/payment/callback/${encodeURIComponent(outcome.payment.reference)}`);
      case 'pay':
        if (outcome.action.method === 'POST') return htmlResult(postRedirectPage(outcome.action));
        return redirectResult(outcome.action.url);
    }
  });

  // The return page. Whatever the URL says (gateways append STATUS=... hints, anyone can forge
  // them), the outcome shown is what the gateway tells the server.
  const showReturn = async (context: HttpContext): Promise<HttpResult> => {
    const reference = context.params.reference ?? context.url.searchParams.get('ref') ?? '';
    let payment = ledger.findByReference(reference);
    if (payment?.ownerType !== 'enrollment') {
      return htmlResult(
        messagePage('Unknown payment', 'We have no payment with this reference.', currentStudent(context)),
        404,
      );
    }
    if (isPending(payment)) {
      payment = await sync.refresh(payment, 'return').catch((error: unknown) => {
        log(`return ${reference}: ${describeError(error)}`);
        return payment as NonNullable<typeof payment>;
      });
    }
    const enrollment = store.get(payment.ownerId);
    return htmlResult(
      returnPage({ payment, enrollment, student: currentStudent(context), view: returnViewOf(payment) }),
    );
  };
  router.add('GET', '/payment/callback/:reference', showReturn);
  router.add('GET', '/payment/callback', showReturn);
  // Some hosted pages return the customer with a POST: answer with a redirect to the GET page.
  router.add(
    'POST',
    '/payment/callback/:reference',
    (context) => redirectResult(`/payment/callback/${encodeURIComponent(context.params.reference ?? '')}`),
    { crossSite: true },
  );
  router.add('GET', '/payment/status/:reference', async (context) => {
    let payment = ledger.findByReference(context.params.reference ?? '');
    if (payment?.ownerType !== 'enrollment') return jsonResult({ error: 'unknown payment' }, 404);
    if (isPending(payment)) {
      payment = await sync.refresh(payment, 'poll').catch(() => payment as NonNullable<typeof payment>);
    }
    return jsonResult({ status: payment.status, view: returnViewOf(payment) });
  });

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
  router.add(
    'POST',
    '/webhooks/payments',
    async (context) => {
      const result = await sync.handleWebhook(await context.rawBody(), context.headers);
      return textResult(result.status, result.body);
    },
    { crossSite: true },
  );

  router.add(
    'GET',
    '/admin',
    admin((context) =>
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
  router.add(
    'POST',
    '/admin/reconcile',
    adminAction(async () => {
      const summary = await sync.reconcile({ graceMs: 0 });
      return `Reconciliation: ${summary.checked} checked, ${summary.changed} changed, ${summary.failedToCheck} could not be checked.`;
    }),
  );

  router.open();

  // The reconciliation job: on a timer, and whenever the sandbox clock jumps.
  let closed = false;
  let running: Promise<ReconcileSummary> | undefined;
  const reconcile = (grace = graceMs): Promise<ReconcileSummary> => {
    running ??= sync.reconcile({ graceMs: grace }).finally(() => {
      running = undefined;
    });
    return running;
  };
  const interval = options.jobIntervalMs ?? 60_000;
  const timer =
    interval > 0
      ? setInterval(() => {
          if (!closed)
            reconcile().catch((error: unknown) => log(`reconciliation failed: ${describeError(error)}`));
        }, interval)
      : undefined;
  timer?.unref();
  clock.onAdvance(async () => {
    if (closed) return;
    await reconcile().catch((error: unknown) => log(`reconciliation failed: ${describeError(error)}`));
  });

  return {
    url: baseUrl,
    port: server.port,
    provider,
    db,
    ledger,
    store,
    service,
    reconcile,
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await server.close();
      await running?.catch(() => undefined);
      if (typeof options.provider === 'function') await closeProvider(provider).catch(() => undefined);
      db.close();
    },
  };
}
