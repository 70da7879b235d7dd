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
  UserFacingError,
  webhookHandler,
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
  returnPage,
  returnViewOf,
} from './subscription-pages.js';
import { type PayOutcome, SubscriptionService } from './subscription-service.js';
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

/**
 * Starts the SaaS: plans, checkout that saves the card, renewals on schedule with retries,
 * installments, a yearly licence, offline payments, over its own SQLite file.
 */
export async function createSubscriptionApp(options: ExampleAppOptions): Promise<SubscriptionApp> {
  // The database, the server (listening, but holding requests until router.open()), the
  // provider set up with the app's URL, and the payment ledger: see start-example-app.ts.
  const app = await startExampleApp(options, { name: 'subscription', migrations: SUBSCRIPTION_MIGRATIONS });
  const { router, db, provider, ledger, sync, baseUrl, now, log } = app;
  const currency = options.currency;
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
  // Where a customer-present payment (checkout, pay now, renewal of a licence) goes next.
  const toGateway = (outcome: PayOutcome, context: HttpContext): HttpResult => {
    switch (outcome.kind) {
      case 'error':
        return htmlResult(messagePage('Payment not started', outcome.message, currentCustomer(context)), 502);
      case 'settled':
        return redirectResult(returnPath(outcome.payment.reference));
      default:
        return redirectToGateway(outcome.action);
    }
  };
  const adminAction = adminActions({ password: options.adminPassword, log, failurePrefix: 'Failed' });
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
  addSignInRoutes(router, {
    sessions,
    loginPage,
    signIn: (email) => store.upsertCustomer(email).id,
    home: '/account',
  });

  router.add('POST', '/plans/:planId/checkout', async (context) => {
    const plan = findPlan(context.params.planId ?? '');
    if (!plan) throw new HttpError(404, 'No such plan.');
    let customer = currentCustomer(context);
    const headers: Record<string, string> = {};
    if (!customer) {
      const email = (await context.form()).get('email')?.trim() ?? '';
      if (!isEmailAddress(email))
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
    const payment = await sync.confirm(reference, 'subscription', 'return');
    if (!payment) {
      return htmlResult(
        messagePage('Unknown payment', 'We have no payment with this reference.', currentCustomer(context)),
        404,
      );
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
  router.add('POST', '/payment/callback/:reference', postedReturnHandler, { crossSite: true });
  // The return page polls this while the payment is still open.
  router.add('GET', '/payment/status/:reference', paymentStatusHandler(sync, 'subscription', returnViewOf));

  // Webhooks: the raw bytes go to the provider's verifier before anything parses them.
  router.add('POST', '/webhooks/payments', webhookHandler(sync), { crossSite: true });

  router.add(
    'GET',
    '/admin',
    adminOnly(options.adminPassword, (context) =>
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
  router.add('POST', '/admin/reconcile', adminAction(reconcileNow(sync)));

  router.open();

  // The jobs: bill what is due, then reconcile; on a timer, and whenever the sandbox clock jumps
  // (a test or `POST /_control/clock/advance`).
  app.runJobs(async () => {
    await scheduler.run().catch((error: unknown) => log(`billing failed: ${describeError(error)}`));
    if (app.closed) return;
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
    runBilling: () => scheduler.run(),
    reconcile: app.reconcile,
    async idle() {
      await scheduler.idle();
      await app.idle();
    },
    close: () => app.close(() => scheduler.idle()),
  };
}
