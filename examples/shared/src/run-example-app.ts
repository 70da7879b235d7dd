import { adminPasswordFor, portFrom } from './app-environment.js';
import type { ExampleAppOptions } from './app-options.js';
import { createProviderSetup, type ProviderName } from './create-provider.js';

/**
 * Runs one example app as a program (its `main.ts`): the gateway from `COLCHIS_PROVIDER` (the
 * sandbox in-process without that gateway's credentials), `PORT`, `PUBLIC_URL`, `DATABASE_FILE`
 * and `ADMIN_PASSWORD` from the environment; prints where it listens; closes the app and the
 * sandbox on Ctrl-C or SIGTERM.
 */
export async function runExampleApp<App extends { url: string; close(): Promise<void> }>(options: {
  /** The app's name in the first line it prints (`Colchis Academy`). */
  title: string;
  /** The app's factory (`createEnrollmentApp`). */
  create: (options: ExampleAppOptions) => Promise<App>;
  /** Port without `PORT`. */
  defaultPort: number;
  /** The SQLite file without `DATABASE_FILE` (one per gateway: their payments do not mix). */
  defaultDatabaseFile: (provider: ProviderName) => string;
}): Promise<App> {
  const setup = await createProviderSetup();
  const app = await options.create({
    ...setup.appOptions,
    databaseFile: process.env.DATABASE_FILE ?? options.defaultDatabaseFile(setup.name),
    port: portFrom(process.env.PORT, options.defaultPort),
    publicUrl: process.env.PUBLIC_URL,
    adminPassword: adminPasswordFor(setup),
  });
  console.log(`${options.title}: ${app.url}  (admin: ${app.url}/admin, user admin)`);
  for (const line of setup.describe()) console.log(`  ${line}`);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void app
        .close()
        .then(() => setup.close())
        .finally(() => process.exit(0));
    });
  }
  return app;
}
