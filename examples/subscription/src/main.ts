// `pnpm --filter @colchis/example-subscription start`: the SaaS on its own.
// COLCHIS_PROVIDER=bog|ipay|procredit|ioka|stripe picks the gateway; without its credentials the
// sandbox runs in-process. PORT, PUBLIC_URL, DATABASE_FILE, ADMIN_PASSWORD are optional.
import { join } from 'node:path';
import { runExampleApp } from '@colchis/example-shared';
import { createSubscriptionApp } from './subscription-app.js';

await runExampleApp({
  title: 'Colchis Desk',
  create: createSubscriptionApp,
  defaultPort: 3002,
  defaultDatabaseFile: (provider) => join(import.meta.dirname, '..', 'data', `desk-${provider}.sqlite`),
});
