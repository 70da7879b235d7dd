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
import { BillingScheduler, type BillingSummary } from './billing-scheduler.js';
import { findPlan, PLANS } from './plans.js';
import { SUBSCRIPTION_MIGRATIONS } from './subscription-migrations.js';
import {
  accountPage,
  adminPage,
  loginPage,
  messagePage,
  plansPage,
  postRedirectPage,
  returnPage,
  returnViewOf,
} from './subscription-pages.js';
import {
  describeError,
  type PayOutcome,
  SubscriptionService,
  UserFacingError,
} from './subscription-service.js';
import { type Customer, SubscriptionStore } from './subscription-store.js';

/** A running subscription app. */
export interface SubscriptionApp {
  readonly url: string;
  /** The provider in use. */
  readonly provider: PaymentProvider;
  readonly port: number;
  readonly db: SqliteDatabase;
  readonly ledger: PaymentLedger;
  readonly store: SubscriptionStore;
  readonly service: SubscriptionService;
  /** Charges what is due now (the scheduler's job). */
  runBilling(): Promise<BillingSummary>;
  /** Asks the gateway about open payments older than `graceMs` (default: the configured grace). */
  reconcile(graceMs?: number): Promise<ReconcileSummary>;
  /** Resolves when no billing or reconciliation run is in progress. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Whether the return page should ask the gateway (the outcome is not settled yet). */
function isPending(payment: { status: string }): boolean {
  return payment.status === 'requires_action' || payment.status === 'processing';
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * Starts the SaaS: plans, checkout that saves the card, renewals on schedule with retries,
 * installments, a yearly licence, offline payments, over its own SQLite file.
 */
export async function createSubscriptionApp(options: ExampleAppOptions): Promise<SubscriptionApp> {
  const log = options.log ?? ((line: string) => console.log(`[subscription] ${line}`));
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const currency = options.currency;
  const db = openDatabase(options.databaseFile, SUBSCRIPTION_MIGRATIONS);
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
  const store = new SubscriptionStore(db, now);
  const sessions = new SessionCookie(db, 'desk_session', baseUrl.startsWith('https:'));
  const service = new SubscriptionService({
    db,
    provider,
    ledger,
    sync,
    store,
    currency,
    now,
    baseUrl: () => baseUrl,
    log,
  });
  const scheduler = new BillingScheduler({
    provider,
    ledger,
    sync,
    store,
    service,
    now,
    baseUrl: () => baseUrl,
    log,
    resendUnansweredCharges: options.resendUnansweredCharges ?? false,
  });
  const graceMs = options.reconcileGraceMs ?? 120_000;
  const providerLabel = provider.id;
  const displayPaymentId = options.displayPaymentId ?? ((id: string) => id);

  const currentCustomer = (context: HttpContext): Customer | undefined => {
    const id = sessions.read(context.cookies);
    return id === undefined ? undefined : store.findCustomer(id);
  };
  const ownSubscription = (context: HttpContext) => {
    const customer = currentCustomer(context);
    if (!customer) throw new HttpError(401, 'Sign in first.');
    const subscription = store.get(Number(context.params.id));
    if (subscription.customerId !== customer.id) throw new HttpError(404, 'No such subscription.');
    return subscription;
  };
  const toGateway = (outcome: PayOutcome, context: HttpContext): HttpResult => {
    switch (outcome.kind) {
      case 'error':
        return htmlResult(messagePage('Payment not started', outcome.message, currentCustomer(context)), 502);
      case 'settled':
        return redirectResult(`/payment/callback/${encodeURIComponent(outcome.payment.reference)}`);
      default:
        return outcome.action.method === 'POST'
          ? htmlResult(postRedirectPage(outcome.action))
          : redirectResult(outcome.action.url);
    }
  };
  const admin =
    (handler: (context: HttpContext) => Promise<HttpResult> | HttpResult) => async (context: HttpContext) =>
      checkAdmin(context, options.adminPassword) ?? handler(context);
  const adminAction = (action: (context: HttpContext) => Promise<string> | string) =>
    admin(async (context) => {
      let message: string;
      try {
        message = await action(context);
      } catch (error) {
        if (!(error instanceof UserFacingError)) log(`admin action failed: ${describeError(error)}`);
        message = error instanceof UserFacingError ? error.message : `Failed: ${describeError(error)}`;
      }
      return redirectResult(`/admin?notice=${encodeURIComponent(message)}`);
    });
  const userAction =
    (action: (context: HttpContext) => Promise<HttpResult> | HttpResult) => async (context: HttpContext) => {
      try {
        return await action(context);
      } catch (error) {
        if (error instanceof UserFacingError)
          return redirectResult(`/account?notice=${encodeURIComponent(error.message)}`);
        throw error;
      }
    };

  router.add('GET', '/', (context) =>
    htmlResult(
      plansPage({
        plans: PLANS,
        currency,
        customer: currentCustomer(context),
        capabilities: provider.capabilities,
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
    const customer = store.upsertCustomer(email);
    return redirectResult('/account', { 'set-cookie': sessions.issue(customer.id) });
  });
  router.add('POST', '/logout', () => redirectResult('/', { 'set-cookie': sessions.clear() }));

  router.add('POST', '/plans/:planId/checkout', async (context) => {
    const plan = findPlan(context.params.planId ?? '');
    if (!plan) throw new HttpError(404, 'No such plan.');
    let customer = currentCustomer(context);
    const headers: Record<string, string> = {};
    if (!customer) {
      const email = (await context.form()).get('email')?.trim() ?? '';
      if (!EMAIL.test(email))
        return redirectResult(`/?notice=${encodeURIComponent('Enter a valid e-mail address.')}`);
      customer = store.upsertCustomer(email);
      // Subscriptions need an account to manage: checking out signs the customer in.
      headers['set-cookie'] = sessions.issue(customer.id);
    }
    const result = toGateway(await service.checkout(customer, plan), context);
    return { ...result, headers: { ...result.headers, ...headers } };
  });

  router.add(
    'POST',
    '/subscriptions/:id/pay',
    userAction(async (context) => toGateway(await service.payNow(ownSubscription(context)), context)),
  );
  router.add(
    'POST',
    '/subscriptions/:id/cancel',
    userAction((context) => {
      service.cancel(ownSubscription(context));
      return redirectResult(
        `/account?notice=${encodeURIComponent('Canceled. You will not be charged again.')}`,
      );
    }),
  );

  router.add('GET', '/account', (context) => {
    const customer = currentCustomer(context);
    if (!customer)
      return redirectResult(`/login?notice=${encodeURIComponent('Sign in to see your subscriptions.')}`);
    const subscriptions = store.listForCustomer(customer.id).map((subscription) => ({
      subscription,
      payments: ledger.listForOwner('subscription', subscription.id),
    }));
    return htmlResult(
      accountPage({ customer, subscriptions, notice: context.url.searchParams.get('notice') ?? undefined }),
    );
  });

  // The return page confirms with the gateway; the URL's own parameters are never trusted.
  const showReturn = async (context: HttpContext): Promise<HttpResult> => {
    const reference = context.params.reference ?? context.url.searchParams.get('ref') ?? '';
    let payment = ledger.findByReference(reference);
    if (payment?.ownerType !== 'subscription') {
      return htmlResult(
        messagePage('Unknown payment', 'We have no payment with this reference.', currentCustomer(context)),
        404,
      );
    }
    if (isPending(payment)) {
      payment = await sync.refresh(payment, 'return').catch((error: unknown) => {
        log(`return ${reference}: ${describeError(error)}`);
        return payment as NonNullable<typeof payment>;
      });
    }
    return htmlResult(
      returnPage({
        payment,
        subscription: store.get(payment.ownerId),
        customer: currentCustomer(context),
        view: returnViewOf(payment),
      }),
    );
  };
  router.add('GET', '/payment/callback/:reference', showReturn);
  router.add('GET', '/payment/callback', showReturn);
  router.add(
    'POST',
    '/payment/callback/:reference',
    (context) => redirectResult(`/payment/callback/${encodeURIComponent(context.params.reference ?? '')}`),
    { crossSite: true },
  );
  router.add('GET', '/payment/status/:reference', async (context) => {
    let payment = ledger.findByReference(context.params.reference ?? '');
    if (payment?.ownerType !== 'subscription') return jsonResult({ error: 'unknown payment' }, 404);
    if (isPending(payment)) {
      payment = await sync.refresh(payment, 'poll').catch(() => payment as NonNullable<typeof payment>);
    }
    return jsonResult({ status: payment.status, view: returnViewOf(payment) });
  });

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
          subscriptions: store.listAll(),
          payments: ledger.listRecent(),
          webhooks: ledger.listWebhooks(),
          providerLabel,
          displayPaymentId,
          capabilities: provider.capabilities,
          now: now(),
          notice: context.url.searchParams.get('notice') ?? undefined,
        }),
      ),
    ),
  );
  router.add(
    'POST',
    '/admin/subscriptions/:id/offline-payment',
    adminAction(async (context) => {
      const form = await context.form();
      return service.recordOfflinePayment(store.get(Number(context.params.id)), {
        amountText: form.get('amount') ?? '',
        method: form.get('method') ?? 'other',
        note: form.get('note') ?? '',
      });
    }),
  );
  router.add(
    'POST',
    '/admin/payments/:id/abandon',
    adminAction((context) => service.abandonUnansweredAttempt(Number(context.params.id))),
  );
  router.add(
    'POST',
    '/admin/billing',
    adminAction(async () => {
      const summary = await scheduler.run();
      return `Billing: ${summary.charged} charged, ${summary.skipped} waiting on an earlier attempt, ${summary.expired} licences expired.`;
    }),
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

  let closed = false;
  let reconciling: Promise<ReconcileSummary> | undefined;
  const reconcile = (grace = graceMs): Promise<ReconcileSummary> => {
    reconciling ??= sync.reconcile({ graceMs: grace }).finally(() => {
      reconciling = undefined;
    });
    return reconciling;
  };
  const jobs = async () => {
    if (closed) return;
    await scheduler.run().catch((error: unknown) => log(`billing failed: ${describeError(error)}`));
    if (closed) return;
    await reconcile().catch((error: unknown) => log(`reconciliation failed: ${describeError(error)}`));
  };
  const interval = options.jobIntervalMs ?? 60_000;
  const timer = interval > 0 ? setInterval(() => void jobs(), interval) : undefined;
  timer?.unref();
  // The sandbox clock jumped (a test or `POST /_control/clock/advance`): bill what became due.
  clock.onAdvance(jobs);

  return {
    url: baseUrl,
    port: server.port,
    provider,
    db,
    ledger,
    store,
    service,
    runBilling: () => scheduler.run(),
    reconcile,
    async idle() {
      await scheduler.idle();
      await reconciling?.catch(() => undefined);
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await server.close();
      await scheduler.idle();
      await reconciling?.catch(() => undefined);
      if (typeof options.provider === 'function') await closeProvider(provider).catch(() => undefined);
      db.close();
    },
  };
}
