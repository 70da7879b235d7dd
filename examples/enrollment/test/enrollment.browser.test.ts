import { join } from 'node:path';
import {
  describeExampleAppInBrowser,
  payOnHostedPage,
  saveScreenshot,
  type TestCard,
} from '@colchis/example-shared/testing';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { createEnrollmentApp } from '../src/enrollment-app.js';

// The academy end to end in Chromium, on every gateway the sandbox emulates: hosted pages,
// signed (or fetched) webhooks, the return page, the admin page. EXAMPLE_PROVIDERS=bog,ioka
// narrows the run.
const SCREENSHOTS = join(import.meta.dirname, '..', 'docs');
const COURSE = 'typescript-payments';
const WORKSHOP = 'webhooks-workshop';

describeExampleAppInBrowser(
  'enrollment app in Chromium',
  { create: createEnrollmentApp, databaseName: 'academy' },
  (suite) => {
    const { name, cards } = suite;

    /** Clicks Enroll (as a guest with `email`, or signed in) and waits for the gateway's page. */
    async function enroll(course: string, email?: string): Promise<void> {
      const { app, page } = suite;
      await page.goto(app.url);
      if (email) await page.fill(`#email-${course}`, email);
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.click(`[data-enroll="${course}"]`),
      ]);
      expect(page.url().startsWith(app.url), `the hosted page of ${name}, not ${page.url()}`).toBe(false);
    }

    async function expectReturnView(view: string): Promise<void> {
      const { app, page } = suite;
      await page.waitForURL(`${app.url}/payment/callback/**`);
      await page.waitForSelector(`#payment-result[data-view="${view}"]`, { timeout: 20_000 });
    }

    async function signIn(email: string): Promise<void> {
      const { app, page } = suite;
      await page.goto(`${app.url}/login`);
      await page.fill('#login-email', email);
      await Promise.all([page.waitForNavigation(), page.click('#login')]);
    }

    /** Status of the enrollment of `email` in `course`, as the admin page shows it. */
    async function adminEnrollmentStatus(email: string, course: string): Promise<string | null> {
      const { app, page } = suite;
      await page.goto(`${app.url}/admin`);
      return page.getAttribute(
        `#admin-enrollments tr[data-email="${email}"][data-course="${course}"] [data-status]`,
        'data-status',
      );
    }

    async function payAndReturn(card: TestCard): Promise<void> {
      const { app, page } = suite;
      expect(await payOnHostedPage(page, app.url, card)).toBe('back-at-app');
    }

    it('pays with the success card: the return page confirms and the dashboard shows the course active', async () => {
      const { page } = suite;
      const email = `student-${name}@example.com`;
      await signIn(email);
      await enroll(COURSE);
      await payAndReturn(cards.success);
      await expectReturnView('success');
      expect(await page.textContent('#payment-result')).toContain('You are enrolled');
      await page.click('#to-dashboard');
      await page.waitForSelector(`#enrollments tr[data-course="${COURSE}"] [data-status="active"]`);
      if (name === 'bog') await saveScreenshot(page, join(SCREENSHOTS, 'enrollment-dashboard.png'));
    });

    it('shows a decline, and a retry with a good card succeeds', async () => {
      const { app, page } = suite;
      const email = `declined-${name}@example.com`;
      await enroll(COURSE, email);
      const where = await payOnHostedPage(page, app.url, cards.decline);
      if (where === 'back-at-app') {
        // The gateway sent the customer back: the return page asked it and shows the decline.
        await page.waitForSelector(
          '#payment-result[data-view="failure"], #payment-result[data-view="incomplete"]',
        );
        expect(await page.textContent('#failure-message')).toMatch(/\S/);
        if (name === 'bog') await saveScreenshot(page, join(SCREENSHOTS, 'enrollment-declined.png'));
        expect(await adminEnrollmentStatus(email, COURSE)).toBe('pending');
        await page.goBack();
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#retry')]);
      } else {
        // The hosted page itself showed the decline and lets the customer try another card.
        expect(await page.textContent('body')).toMatch(/declin|insufficient|limit/i);
      }
      await payAndReturn(cards.success);
      await expectReturnView('success');
      expect(await adminEnrollmentStatus(email, COURSE)).toBe('active');
    });

    it.skipIf(!cards.threeDSecure)('passes a 3-D Secure challenge', async () => {
      const email = `three-ds-${name}@example.com`;
      await enroll(COURSE, email);
      await payAndReturn(cards.threeDSecure as TestCard);
      await expectReturnView('success');
      expect(await adminEnrollmentStatus(email, COURSE)).toBe('active');
    });

    it('duplicated and reordered webhooks change nothing', async () => {
      const { app, page, control, setup } = suite;
      const email = `webhooks-${name}@example.com`;
      await control.setWebhookPolicy('hold');
      await enroll(WORKSHOP, email);
      await payAndReturn(cards.success);
      await expectReturnView('reserved');
      expect(await adminEnrollmentStatus(email, WORKSHOP)).toBe('awaiting_capture');
      const payment = app.ledger.listRecent().find((row) => row.customerEmail === email);
      if (!payment) throw new Error('payment not recorded');
      await Promise.all([
        page.waitForNavigation(),
        page.click(`#admin-payments tr[data-payment="${payment.reference}"] [data-action="capture"]`),
      ]);
      expect(await adminEnrollmentStatus(email, WORKSHOP)).toBe('active');
      const before = { payment: app.ledger.get(payment.id), enrollment: app.store.get(payment.ownerId) };

      const held = (await control.webhooks(app.url)).filter((delivery) => delivery.state === 'queued');
      if (setup.sandbox && name === 'procredit') {
        // ProCredit sends no callbacks at all: the one untrusted input is the browser return,
        // and a forged one changes nothing either.
        expect(held).toEqual([]);
        await page.goto(`${app.url}/payment/callback/${payment.reference}?ID=1&STATUS=Declined&PASSWORD=x`);
        await page.waitForSelector('#payment-result[data-view="success"]');
      } else {
        expect(held.length).toBeGreaterThan(0);
        const marker = app.ledger.listWebhooks(1)[0]?.id ?? 0;
        // Newest first (the order reversed), then every one of them again.
        for (const delivery of [...held].reverse())
          expect((await control.deliver(delivery.id)).lastStatus).toBe(200);
        for (const delivery of held) expect((await control.duplicate(delivery.id)).lastStatus).toBe(200);
        const outcomes = app.ledger
          .listWebhooks()
          .filter((webhook) => webhook.id > marker)
          .map((webhook) => webhook.outcome);
        expect(outcomes).toContain('duplicate');
        expect(outcomes.filter((outcome) => outcome === 'applied')).toEqual([]);
      }
      expect(app.ledger.get(payment.id)).toEqual(before.payment);
      expect(app.store.get(payment.ownerId)).toEqual(before.enrollment);
      expect(await adminEnrollmentStatus(email, WORKSHOP)).toBe('active');
    });

    it('an admin refunds part of a payment, then the rest', async () => {
      const { app, page } = suite;
      const email = `refund-${name}@example.com`;
      await enroll(COURSE, email);
      await payAndReturn(cards.success);
      await expectReturnView('success');
      const payment = app.ledger.listRecent().find((row) => row.customerEmail === email);
      if (!payment) throw new Error('payment not recorded');
      const row = `#admin-payments tr[data-payment="${payment.reference}"]`;
      await page.goto(`${app.url}/admin`);
      await page.fill(`${row} [data-input="refund-amount"]`, '10.50');
      await Promise.all([page.waitForNavigation(), page.click(`${row} [data-action="refund-partial"]`)]);
      expect(await page.textContent('#notice')).toContain('Refund of 10.50');
      await expect.poll(() => app.ledger.get(payment.id).amountRefunded, { timeout: 15_000 }).toBe(1050);
      expect(app.ledger.get(payment.id).status).toBe('partially_refunded');
      expect(await adminEnrollmentStatus(email, COURSE)).toBe('active');
      if (name === 'bog') await saveScreenshot(page, join(SCREENSHOTS, 'enrollment-admin.png'));
      await Promise.all([page.waitForNavigation(), page.click(`${row} [data-action="refund-full"]`)]);
      await expect.poll(() => app.ledger.get(payment.id).status, { timeout: 15_000 }).toBe('refunded');
      expect(app.ledger.get(payment.id).amountRefunded).toBe(payment.amount);
      expect(await adminEnrollmentStatus(email, COURSE)).toBe('refunded');
    });

    it('a dropped webhook is recovered by reconciliation', async () => {
      const { app, page, control } = suite;
      const email = `dropped-${name}@example.com`;
      await control.setWebhookPolicy('drop');
      await enroll(COURSE, email);
      // The customer pays and closes the tab before the gateway's redirect reaches the app.
      const returned = await closeTabAfterPaying(page, app.url, cards.success.number);
      expect(returned).toBe(true);
      await control.setWebhookPolicy('deliver');

      expect(await adminEnrollmentStatus(email, COURSE)).toBe('pending');
      await Promise.all([page.waitForNavigation(), page.click('#reconcile')]);
      expect(await page.textContent('#notice')).toMatch(/Reconciliation: \d+ checked, [1-9]\d* changed/);
      expect(await adminEnrollmentStatus(email, COURSE)).toBe('active');
    });

    it('a restart of the app loses no enrollment or payment', async () => {
      const { page } = suite;
      let { app } = suite;
      const email = `restart-${name}@example.com`;
      await signIn(email);
      await enroll(COURSE);
      // The app restarts while the customer is on the gateway's page.
      const enrollmentsBefore = app.store.listAll();
      const paymentsBefore = app.ledger.listRecent();
      app = await suite.restart();
      expect(app.store.listAll()).toEqual(enrollmentsBefore);
      expect(app.ledger.listRecent()).toEqual(paymentsBefore);
      await payAndReturn(cards.success);
      await expectReturnView('success');
      await page.goto(`${app.url}/dashboard`);
      await page.waitForSelector(`#enrollments tr[data-course="${COURSE}"] [data-status="active"]`);
      expect(app.store.listAll().length).toBe(enrollmentsBefore.length);
    });
  },
);

/**
 * Submits the card on the hosted page, lets the gateway process it, and stops the browser
 * before it follows the redirect back to the app (or before it clicks "return to the merchant").
 * Resolves `true` once the payment was submitted and the way back was cut.
 */
async function closeTabAfterPaying(page: Page, appUrl: string, cardNumber: string): Promise<boolean> {
  let cut = false;
  await page.route(
    (url) => !url.href.startsWith(appUrl),
    async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const response = await route.fetch({ maxRedirects: 0 });
      const location = response.headers().location ?? '';
      if (response.status() >= 300 && response.status() < 400 && location.startsWith(appUrl)) {
        cut = true;
        return route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Tab closed</h1>' });
      }
      return route.fulfill({ response });
    },
  );
  await page.waitForSelector('#pay');
  await page.fill('#card-number', cardNumber);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#pay')]);
  if (!cut && (await page.$('#continue'))) cut = true; // a "payment complete" page: never clicked
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  return cut;
}
