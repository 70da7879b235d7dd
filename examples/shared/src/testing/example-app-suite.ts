import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Sandbox, startSandbox } from '@colchis/sandbox';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import type { ExampleAppOptions } from '../app-options.js';
import {
  createProviderSetup,
  PROVIDER_NAMES,
  type ProviderName,
  type ProviderSetup,
} from '../create-provider.js';
import { describeInBrowser, launchChromium } from './browser.js';
import { GATEWAY_TEST_CARDS, type GatewayTestCards } from './gateway-cards.js';
import { type SandboxControl, sandboxControl } from './sandbox-control.js';

/** The gateways the browser tests run on: all of them, or those in `EXAMPLE_PROVIDERS=bog,ioka`. */
export function providersUnderTest(): ProviderName[] {
  return (process.env.EXAMPLE_PROVIDERS?.split(',') ?? [...PROVIDER_NAMES]) as ProviderName[];
}

/** What the tests of one example app on one gateway work with. */
export interface ExampleAppInBrowser<App> {
  /** The gateway. */
  readonly name: ProviderName;
  /** Its sandbox test cards. */
  readonly cards: GatewayTestCards;
  /** The sandbox every gateway of the run shares (read it inside a test or hook). */
  readonly sandbox: Sandbox;
  /** The sandbox's control API over HTTP: the clock, held, dropped and duplicated webhooks. */
  readonly control: SandboxControl;
  /** The gateway wiring the app was started with. */
  readonly setup: ProviderSetup;
  /** The app, running on the sandbox (a new instance after {@link ExampleAppInBrowser.restart}). */
  readonly app: App;
  /** A page in a fresh browser profile per test (no cookies; admin sign-in `admin`/`admin`). */
  readonly page: Page;
  /** Closes the app and starts it again on the same port and database file. */
  restart(): Promise<App>;
}

/**
 * The browser tests of an example app: Chromium against the app on every gateway the sandbox
 * emulates (a `describe` per gateway, skipped without Chromium). One sandbox and one browser
 * serve the whole run; each gateway gets its own app instance and SQLite file; each test a fresh
 * browser profile, and webhooks go back to normal delivery after it.
 */
export function describeExampleAppInBrowser<App extends { port: number; close(): Promise<void> }>(
  title: string,
  options: {
    /** The app's factory (`createEnrollmentApp`). */
    create: (options: ExampleAppOptions) => Promise<App>;
    /** Names the SQLite files (`academy` gives `academy-bog.sqlite`, ...). */
    databaseName: string;
  },
  tests: (suite: ExampleAppInBrowser<App>) => void,
): void {
  describeInBrowser(title, () => {
    let sandbox: Sandbox;
    let browser: Browser;
    let directory: string;
    let control: SandboxControl;

    beforeAll(async () => {
      sandbox = await startSandbox({ webhookRetryDelaysMs: [50, 250] });
      control = sandboxControl(sandbox.url);
      browser = await launchChromium();
      directory = mkdtempSync(join(tmpdir(), `colchis-${options.databaseName}-e2e-`));
    });

    afterAll(async () => {
      await browser?.close();
      await sandbox?.close();
      if (directory) rmSync(directory, { recursive: true, force: true });
    });

    describe.each(providersUnderTest())('on %s', (name) => {
      let setup: ProviderSetup;
      let app: App;
      let context: BrowserContext;
      let page: Page;
      // What the app logs, kept for debugging a failure (the console stays quiet).
      const log: string[] = [];

      const start = (port = 0) =>
        options.create({
          ...setup.appOptions,
          databaseFile: join(directory, `${options.databaseName}-${name}.sqlite`),
          port,
          adminPassword: 'admin',
          jobIntervalMs: 0,
          log: (line) => log.push(line),
        });

      beforeAll(async () => {
        setup = await createProviderSetup({ name, sandbox });
        app = await start();
      });
      afterAll(async () => {
        // Closed apps ignore later clock jumps of the shared sandbox.
        await app?.close();
      });
      beforeEach(async () => {
        // A fresh browser profile per test: its own cookies (a guest is not signed in).
        context = await browser.newContext({ httpCredentials: { username: 'admin', password: 'admin' } });
        page = await context.newPage();
      });
      afterEach(async () => {
        await context.close();
        await control.setWebhookPolicy('deliver');
      });

      tests({
        name,
        cards: GATEWAY_TEST_CARDS[name],
        get sandbox() {
          return sandbox;
        },
        get control() {
          return control;
        },
        get setup() {
          return setup;
        },
        get app() {
          return app;
        },
        get page() {
          return page;
        },
        async restart() {
          const port = app.port;
          await app.close();
          app = await start(port);
          return app;
        },
      });
    });
  });
}

/**
 * Saves a screenshot for the docs, only when it is missing or `UPDATE_SCREENSHOTS=1`: a test run
 * leaves the working tree clean.
 */
export async function saveScreenshot(page: Page, file: string): Promise<void> {
  if (existsSync(file) && process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
}
