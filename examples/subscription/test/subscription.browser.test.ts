import { join } from 'node:path';
import {
  describeExampleAppInBrowser,
  payOnHostedPage,
  saveScreenshot,
  type TestCard,
} from '@colchis/example-shared/testing';
import { expect, it } from 'vitest';
import { days } from '../src/billing-calendar.js';
import { createSubscriptionApp } from '../src/subscription-app.js';

// The SaaS end to end in Chromium on every gateway: checkout on the hosted page saves the card,
// the sandbox clock moves (through its control API), renewals charge the saved card, failures
// are retried and lapse. EXAMPLE_PROVIDERS=bog,ioka narrows the run.
const SCREENSHOTS = join(import.meta.dirname, '..', 'docs');
const MONTHLY = 'starter-monthly';

describeExampleAppInBrowser(
  'subscription app in Chromium',
  { create: createSubscriptionApp, databaseName: 'desk' },
  (suite) => {
    const { name, cards } = suite;

    /** Checks out a plan as a new customer, pays on the hosted page, returns the subscription id. */
    async function checkout(plan: string, email: string, card: TestCard): Promise<number> {
      const { app, page } = suite;
      await page.goto(app.url);
      // Signed in already (an earlier checkout in this test) or a new customer.
      if (await page.$(`#email-${plan}`)) await page.fill(`#email-${plan}`, email);
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.click(`[data-checkout="${plan}"]`),
      ]);
      expect(page.url().startsWith(app.url), `the hosted page of ${name}`).toBe(false);
      expect(await payOnHostedPage(page, app.url, card)).toBe('back-at-app');
      await page.waitForSelector('#payment-result[data-view="success"]', { timeout: 20_000 });
      await page.click('#to-account');
      const row = page.locator(`#subscriptions tr[data-plan="${plan}"]`).first();
      await expect.poll(() => row.locator('[data-status]').getAttribute('data-status')).toBe('active');
      return Number(await row.getAttribute('data-subscription'));
    }

    /** Moves the sandbox clock (and so the app's scheduler) until `ms` after the subscription's next charge. */
    async function advanceTo(epochMs: number): Promise<void> {
      const { control, sandbox } = suite;
      const now = sandbox.clock.now();
      if (epochMs > now) await control.advanceClock(epochMs - now);
    }

    async function accountStatus(id: number): Promise<string | null> {
      const { app, page } = suite;
      await page.goto(`${app.url}/account`);
      return page.getAttribute(`#subscriptions tr[data-subscription="${id}"] [data-status]`, 'data-status');
    }

    it('saves the card at checkout and renews it when the clock reaches the next charge', async () => {
      const { app, page } = suite;
      const id = await checkout(MONTHLY, `renews-${name}@example.com`, cards.success);
      const first = app.store.get(id);
      expect(first.savedMethod?.id).toBeTruthy();
      expect(first.nextChargeAt).not.toBeNull();
      await advanceTo((first.nextChargeAt as number) + 60_000);
      await expect.poll(() => app.store.get(id).cycle, { timeout: 15_000 }).toBe(2);
      const renewed = app.store.get(id);
      expect(renewed).toMatchObject({ status: 'active', failedAttempts: 0 });
      expect(renewed.currentPeriodStart).toBe(first.currentPeriodEnd);
      const renewal = app.ledger.listForOwner('subscription', id)[0];
      expect(renewal).toMatchObject({ purpose: 'renewal', status: 'captured', note: 'off_session' });
      expect(await accountStatus(id)).toBe('active');
      await page.waitForSelector(
        `#subscriptions tr[data-subscription="${id}"] [data-purpose="renewal"] [data-payment-status="captured"]`,
      );
      if (name === 'bog') await saveScreenshot(page, join(SCREENSHOTS, 'subscription-account.png'));
    });

    it('retries a failing renewal after 1, 3 and 7 days, then lapses', async () => {
      const { app, sandbox } = suite;
      // Every gateway's sandbox has a card that pays once and declines the renewals.
      const id = await checkout(MONTHLY, `lapses-${name}@example.com`, cards.renewalsFail);
      const due = app.store.get(id).nextChargeAt as number;
      const expectations = [
        { failedAttempts: 1, status: 'past_due', retryInDays: 1 },
        { failedAttempts: 2, status: 'past_due', retryInDays: 3 },
        { failedAttempts: 3, status: 'past_due', retryInDays: 7 },
        { failedAttempts: 4, status: 'lapsed', retryInDays: undefined },
      ];
      await advanceTo(due + 60_000);
      for (const step of expectations) {
        await expect
          .poll(() => app.store.get(id).failedAttempts, {
            timeout: 15_000,
            message: `attempt ${step.failedAttempts}`,
          })
          .toBe(step.failedAttempts);
        const subscription = app.store.get(id);
        expect(subscription.status).toBe(step.status);
        if (step.retryInDays === undefined) {
          expect(subscription.nextChargeAt).toBeNull();
          continue;
        }
        // The next try comes `retryInDays` after this failure (which happened just now, sandbox time).
        expect(
          Math.abs((subscription.nextChargeAt as number) - (sandbox.clock.now() + days(step.retryInDays))),
        ).toBeLessThan(120_000);
        expect(await accountStatus(id)).toBe('past_due');
        await advanceTo((subscription.nextChargeAt as number) + 60_000);
      }
      expect(await accountStatus(id)).toBe('lapsed');
      const attempts = app.ledger
        .listForOwner('subscription', id)
        .filter((payment) => payment.note === 'off_session');
      expect(attempts).toHaveLength(4);
      expect(attempts.every((payment) => payment.status !== 'captured')).toBe(true);
      await advanceTo(sandbox.clock.now() + days(40));
      expect(
        app.ledger.listForOwner('subscription', id).filter((payment) => payment.note === 'off_session'),
      ).toHaveLength(4);
    });

    it('cancel stops renewals', async () => {
      const { app, page, sandbox } = suite;
      const id = await checkout(MONTHLY, `cancels-${name}@example.com`, cards.success);
      await page.goto(`${app.url}/account`);
      await Promise.all([
        page.waitForNavigation(),
        page.click(`#subscriptions tr[data-subscription="${id}"] [data-action="cancel"]`),
      ]);
      expect(await page.textContent('#notice')).toContain('Canceled');
      await advanceTo(sandbox.clock.now() + days(70));
      expect(app.store.get(id)).toMatchObject({ status: 'canceled', nextChargeAt: null, cycle: 1 });
      expect(app.ledger.listForOwner('subscription', id)).toHaveLength(1);
      expect(await accountStatus(id)).toBe('canceled');
    });

    it('installments, a yearly licence and an offline payment run on the same machinery', async () => {
      const { app, page } = suite;
      const installments = await checkout(
        'bootcamp-installments',
        `bootcamp-${name}@example.com`,
        cards.success,
      );
      for (let month = 1; month <= 3; month++) {
        await advanceTo((app.store.get(installments).nextChargeAt as number) + 60_000);
        await expect
          .poll(() => app.store.get(installments).installmentsPaid, { timeout: 15_000 })
          .toBe(month);
      }
      expect(app.store.get(installments).status).toBe('completed');

      const licence = await checkout('team-licence', `licence-${name}@example.com`, cards.success);
      const bought = app.store.get(licence);
      expect(bought).toMatchObject({ status: 'active', nextChargeAt: null, savedMethod: null });
      await page.goto(`${app.url}/admin`);
      const row = page.locator(`#admin-subscriptions tr[data-subscription="${licence}"]`);
      await row.locator('select[name="method"]').selectOption('bank_transfer');
      await row.locator('input[name="note"]').fill('Invoice 2025-17');
      await Promise.all([page.waitForNavigation(), row.locator('[data-action="record-offline"]').click()]);
      expect(await page.textContent('#notice')).toContain('Recorded an offline payment');
      const extended = app.store.get(licence);
      expect(extended.cycle).toBe(2);
      expect(extended.currentPeriodStart).toBe(bought.currentPeriodEnd);
      await advanceTo((extended.currentPeriodEnd as number) + 60_000);
      await expect.poll(() => app.store.get(licence).status, { timeout: 15_000 }).toBe('expired');
    });

    it('a duplicated webhook changes nothing, and a restart loses nothing', async () => {
      const { page, control } = suite;
      let { app } = suite;
      await checkout(MONTHLY, `restart-${name}@example.com`, cards.success);
      const snapshot = () => ({ subscriptions: app.store.listAll(), payments: app.ledger.listRecent(500) });
      const before = snapshot();
      const delivered = (await control.webhooks(app.url)).filter(
        (delivery) => delivery.state === 'delivered',
      );
      if (name === 'procredit') {
        expect(delivered).toEqual([]); // ProCredit sends no callbacks
      } else {
        expect(delivered.length).toBeGreaterThan(0);
        for (const delivery of delivered.slice(-6))
          expect((await control.duplicate(delivery.id)).lastStatus).toBe(200);
      }
      expect(snapshot()).toEqual(before);
      app = await suite.restart();
      expect(snapshot()).toEqual(before);
      await page.goto(`${app.url}/account`);
      await page.waitForSelector(`#subscriptions tr[data-plan="${MONTHLY}"] [data-status="active"]`);
    });
  },
);
