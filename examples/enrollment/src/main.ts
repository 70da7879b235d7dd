// `pnpm --filter @colchis/example-enrollment start`: the academy on its own.
// COLCHIS_PROVIDER=bog|ipay|procredit|ioka|stripe picks the gateway; without its credentials the
// sandbox runs in-process. PORT, PUBLIC_URL, DATABASE_FILE, ADMIN_PASSWORD are optional.
import { join } from 'node:path';
import { adminPasswordFor, createProviderSetup, portFrom } from '@colchis/example-shared';
import { createEnrollmentApp } from './enrollment-app.js';

const setup = await createProviderSetup();
const app = await createEnrollmentApp({
  ...setup.appOptions,
  databaseFile:
    process.env.DATABASE_FILE ?? join(import.meta.dirname, '..', 'data', `academy-${setup.name}.sqlite`),
  port: portFrom(process.env.PORT, 3001),
  publicUrl: process.env.PUBLIC_URL,
  adminPassword: adminPasswordFor(setup),
});
console.log(`Colchis Academy: ${app.url}  (admin: ${app.url}/admin, user admin)`);
for (const line of setup.describe()) console.log(`  ${line}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app
      .close()
      .then(() => setup.close())
      .finally(() => process.exit(0));
  });
}
