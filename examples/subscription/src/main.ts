// `pnpm --filter @colchis/example-subscription start`: the SaaS on its own.
// COLCHIS_PROVIDER=bog|ipay|procredit|ioka|stripe picks the gateway; without its credentials the
// sandbox runs in-process. PORT, PUBLIC_URL, DATABASE_FILE, ADMIN_PASSWORD are optional.
import { join } from 'node:path';
import { adminPasswordFor, createProviderSetup, portFrom } from '@colchis/example-shared';
import { createSubscriptionApp } from './subscription-app.js';

const setup = await createProviderSetup();
const app = await createSubscriptionApp({
  ...setup.appOptions,
  databaseFile:
    process.env.DATABASE_FILE ?? join(import.meta.dirname, '..', 'data', `desk-${setup.name}.sqlite`),
  port: portFrom(process.env.PORT, 3002),
  publicUrl: process.env.PUBLIC_URL,
  adminPassword: adminPasswordFor(setup),
});
console.log(`Colchis Desk: ${app.url}  (admin: ${app.url}/admin, user admin)`);
for (const line of setup.describe()) console.log(`  ${line}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app
      .close()
      .then(() => setup.close())
      .finally(() => process.exit(0));
  });
}
