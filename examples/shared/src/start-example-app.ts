import type { PaymentProvider } from '@colchis/core';
import { type AppClock, systemClock } from './app-clock.js';
import { closeProvider, type ExampleAppOptions, resolveProvider } from './app-options.js';
import { type Migration, openDatabase, type SqliteDatabase } from './database.js';
import { Router, type RunningServer, startHttpServer } from './http-server.js';
import { PaymentLedger } from './payment-ledger.js';
import { PaymentSync, type ReconcileSummary } from './payment-sync.js';
import { sqliteProviderStorage } from './provider-storage.js';

/**
 * What every example app starts from: its database (migrated), an HTTP server already listening
 * (answering 503 until `router.open()`), the provider set up with the app's own URL, and the
 * payment ledger with its sync. The app adds its routes and jobs on top.
 */
export interface ExampleAppBase {
  /** Where log lines go (`[name] ...` on the console by default). */
  readonly log: (line: string) => void;
  readonly clock: AppClock;
  /** The clock's current time in epoch milliseconds. */
  readonly now: () => number;
  readonly db: SqliteDatabase;
  /** Holds requests (503) until {@link Router.open}: add the app's routes, then open it. */
  readonly router: Router;
  /** The port it listens on. */
  readonly port: number;
  /** Where the browser and the gateway reach the app: `publicUrl`, or the address it listens on. */
  readonly baseUrl: string;
  /** The gateway, set up (factories get the app's webhook URL and its database storage). */
  readonly provider: PaymentProvider;
  readonly ledger: PaymentLedger;
  readonly sync: PaymentSync;
  /** Whether {@link ExampleAppBase.close} was called (jobs stop starting new work). */
  readonly closed: boolean;
  /**
   * Asks the gateway about open payments older than `graceMs` (default: the configured
   * `reconcileGraceMs`, 2 minutes). Calls during a run share it.
   */
  reconcile(graceMs?: number): Promise<ReconcileSummary>;
  /**
   * Runs `job` every `jobIntervalMs` (unless 0) and whenever the app's clock jumps forward (the
   * sandbox's clock), until the app closes. The job handles (logs) its own errors.
   */
  runJobs(job: () => Promise<void>): void;
  /** Resolves when no reconciliation run is in progress. */
  idle(): Promise<void>;
  /**
   * Stops the jobs and the server, waits for `drain` (the app's own work in progress) and any
   * reconciliation, releases a provider built from a factory, and closes the database.
   */
  close(drain?: () => Promise<void>): Promise<void>;
}

/**
 * Opens the app's database, listens (first: some gateways are set up with the app's URL), then
 * sets up the provider. A failure on the way closes what was opened.
 */
export async function startExampleApp(
  options: ExampleAppOptions,
  app: { name: string; migrations: readonly Migration[] },
): Promise<ExampleAppBase> {
  const log = options.log ?? ((line: string) => console.log(`[${app.name}] ${line}`));
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const db = openDatabase(options.databaseFile, app.migrations);
  const router = new Router();
  router.hold();
  let server: RunningServer;
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
  const graceMs = options.reconcileGraceMs ?? 120_000;

  let closed = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let reconciling: Promise<ReconcileSummary> | undefined;
  const reconcile = (grace = graceMs): Promise<ReconcileSummary> => {
    reconciling ??= sync.reconcile({ graceMs: grace }).finally(() => {
      reconciling = undefined;
    });
    return reconciling;
  };

  return {
    log,
    clock,
    now,
    db,
    router,
    port: server.port,
    baseUrl,
    provider,
    ledger,
    sync,
    get closed() {
      return closed;
    },
    reconcile,
    runJobs(job) {
      const interval = options.jobIntervalMs ?? 60_000;
      if (interval > 0) {
        timer = setInterval(() => {
          if (!closed) void job();
        }, interval);
        timer.unref();
      }
      clock.onAdvance(async () => {
        if (!closed) await job();
      });
    },
    async idle() {
      await reconciling?.catch(() => undefined);
    },
    async close(drain) {
      closed = true;
      if (timer) clearInterval(timer);
      await server.close();
      await drain?.();
      await reconciling?.catch(() => undefined);
      if (typeof options.provider === 'function') await closeProvider(provider).catch(() => undefined);
      db.close();
    },
  };
}
