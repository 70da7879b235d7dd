// `pnpm --filter @colchis/example-enrollment start`: the academy on its own.
// COLCHIS_PROVIDER=bog|ipay|procredit|ioka|stripe picks the gateway; without its credentials the
// sandbox runs in-process. PORT, PUBLIC_URL, DATABASE_FILE, ADMIN_PASSWORD are optional.
import { join } from 'node:path';
import { runExampleApp } from '@colchis/example-shared';
import { createEnrollmentApp } from './enrollment-app.js';

await runExampleApp({
  title: 'Colchis Academy',
  create: createEnrollmentApp,
  defaultPort: 3001,
  defaultDatabaseFile: (provider) => join(import.meta.dirname, '..', 'data', `academy-${provider}.sqlite`),
});
