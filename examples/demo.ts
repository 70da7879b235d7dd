// `pnpm demo`: the Colchis sandbox and both example apps in one process, wired together.
// COLCHIS_PROVIDER=bog|ipay|procredit|ioka|stripe picks the gateway the apps use (default bog).
// Everything is offline: the sandbox plays the bank (hosted pages, signed webhooks, a clock you
// can advance). Each run starts from empty databases, since the sandbox remembers nothing either.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnrollmentApp } from './enrollment/src/enrollment-app.js';
import {
  adminPasswordFor,
  createProviderSetup,
  portFrom,
  readProviderName,
  startSandbox,
} from './shared/src/index.js';
import { createSubscriptionApp } from './subscription/src/subscription-app.js';

/** Listens on the preferred port, or any free one when it is taken. */
async function onPort<T>(preferred: number, start: (port: number) => Promise<T>): Promise<T> {
  try {
    return await start(preferred);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return start(0);
  }
}

const name = readProviderName();
const sandbox = await onPort(portFrom(process.env.SANDBOX_PORT, 4010), (port) => startSandbox({ port }));
const directory = mkdtempSync(join(tmpdir(), 'colchis-demo-'));
const enrollmentSetup = await createProviderSetup({ name, sandbox });
const subscriptionSetup = await createProviderSetup({ name, sandbox });
const adminPassword = adminPasswordFor(enrollmentSetup);
const enrollment = await onPort(portFrom(process.env.ENROLLMENT_PORT, 3001), (port) =>
  createEnrollmentApp({
    ...enrollmentSetup.appOptions,
    databaseFile: join(directory, 'academy.sqlite'),
    port,
    adminPassword,
  }),
);
const subscription = await onPort(portFrom(process.env.SUBSCRIPTION_PORT, 3002), (port) =>
  createSubscriptionApp({
    ...subscriptionSetup.appOptions,
    databaseFile: join(directory, 'desk.sqlite'),
    port,
    adminPassword,
  }),
);

console.log(`
Colchis demo: gateway "${name}" played by the sandbox (no real money moves)

  Course enrollment  ${enrollment.url}
  Subscriptions      ${subscription.url}
  Admin pages        ${enrollment.url}/admin and ${subscription.url}/admin  (user admin, password ${adminPassword})
  Sandbox            ${sandbox.url}
  Databases          ${directory}

Move time forward to see renewals, retries and lapses:
  curl -X POST ${sandbox.url}/_control/clock/advance -H 'content-type: application/json' -d '{"days": 31}'

Sandbox details:`);
for (const line of sandbox.describe()) console.log(`  ${line}`);
console.log('\nOther gateways: COLCHIS_PROVIDER=ipay|procredit|ioka|stripe pnpm demo. Ctrl-C stops.');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void Promise.allSettled([enrollment.close(), subscription.close()])
      .then(() => sandbox.close())
      .finally(() => process.exit(0));
  });
}
