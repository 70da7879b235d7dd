import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionError, PaymentDeclinedError } from '@colchis/core';
import { createMockProvider, type MockProvider } from '@colchis/core/testing';
import type { AppClock } from '@colchis/example-shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { days } from './billing-calendar.js';
import { createSubscriptionApp, type SubscriptionApp } from './subscription-app.js';

// Server logic over real HTTP and a real SQLite file, with core's mock provider as the gateway
// and a clock the test moves (as the sandbox's clock does in the browser tests).

const ADMIN = `Basic ${Buffer.from('admin:secret').toString('base64')}`;
const START = Date.parse('2025-01-31T09:00:00Z');

function manualClock(start: number): AppClock & { advance(ms: number): Promise<void> } {
  let now = start;
  const listeners: Array<() => void | Promise<void>> = [];
  return {
    now: () => now,
    onAdvance: (listener) => void listeners.push(listener),
    async advance(ms) {
      now += ms;
      for (const listener of listeners) await listener();
    },
  };
}

let directory: string;
let provider: MockProvider;
let clock: ReturnType<typeof manualClock>;
let app: SubscriptionApp;
let cookie: string;

async function start(extra: { resendUnansweredCharges?: boolean } = {}): Promise<SubscriptionApp> {
  return createSubscriptionApp({
    ...extra,
    provider,
    clock,
    databaseFile: join(directory, 'desk.sqlite'),
    currency: 'GEL',
    adminPassword: 'secret',
    jobIntervalMs: 0,
    log: () => {},
  });
}

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'colchis-subscription-'));
  provider = createMockProvider({ id: 'mock' });
  clock = manualClock(START);
  app = await start();
  cookie = '';
});

afterEach(async () => {
  await app.close();
  rmSync(directory, { recursive: true, force: true });
});

async function deliver(paymentId: string) {
  const webhook = provider.signWebhook(paymentId);
  const response = await fetch(`${app.url}/webhooks/payments`, {
    method: 'POST',
    headers: webhook.headers,
    body: webhook.rawBody,
  });
  return response.text();
}

/** Checks out a plan as a new customer and pays with a saved card; returns the subscription id. */
async function subscribe(planId: string, email = 'owner@example.com'): Promise<number> {
  const response = await fetch(`${app.url}/plans/${planId}/checkout`, {
    method: 'POST',
    body: new URLSearchParams({ email }),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const payment = app.ledger.listRecent(1)[0];
  if (!payment?.providerPaymentId) throw new Error('no payment');
  provider.simulate(payment.providerPaymentId, 'captured');
  expect(await deliver(payment.providerPaymentId)).toBe('applied');
  return payment.ownerId;
}

function chargeCalls() {
  return provider.calls
    .filter((call) => call.method === 'chargeSavedMethod')
    .map((call) => call.args[0] as Record<string, unknown>);
}

describe('subscriptions', () => {
  it('saves the card at checkout and activates on the verified webhook', async () => {
    const id = await subscribe('starter-monthly');
    const create = provider.calls.find((call) => call.method === 'createPayment')?.args[0];
    expect(create).toMatchObject({
      amount: { amount: 2900, currency: 'GEL' },
      savePaymentMethod: 'off_session',
    });
    const subscription = app.store.get(id);
    expect(subscription).toMatchObject({ status: 'active', cycle: 1, failedAttempts: 0 });
    expect(subscription.savedMethod?.id).toMatch(/^mock_card_/);
    expect(subscription.nextChargeAt).toBe(Date.parse('2025-02-28T09:00:00Z'));
  });

  it('renews on the saved card when the clock reaches the next charge, anchored to the period', async () => {
    const id = await subscribe('starter-monthly');
    await clock.advance(days(27)); // Feb 27: not due yet
    expect(chargeCalls()).toHaveLength(0);
    await clock.advance(days(1)); // Feb 28: due
    expect(chargeCalls()).toHaveLength(1);
    expect(chargeCalls()[0]).toMatchObject({
      amount: { amount: 2900, currency: 'GEL' },
      savedMethod: app.store.get(id).savedMethod,
      idempotencyKey: `S${id}-c2-a1`,
    });
    expect(app.store.get(id)).toMatchObject({
      status: 'active',
      cycle: 2,
      currentPeriodEnd: Date.parse('2025-03-28T09:00:00Z'),
      nextChargeAt: Date.parse('2025-03-28T09:00:00Z'),
    });
    // Running again the same day charges nothing more.
    await app.runBilling();
    expect(chargeCalls()).toHaveLength(1);
  });

  it('retries a failed renewal after 1, 3 and 7 days, then lapses', async () => {
    const id = await subscribe('starter-monthly');
    const decline = () =>
      provider.failNext(
        'chargeSavedMethod',
        new PaymentDeclinedError('Insufficient funds.', {
          provider: 'mock',
          declineCode: 'insufficient_funds',
        }),
      );
    const due = app.store.get(id).nextChargeAt as number;
    decline();
    await clock.advance(due - clock.now());
    expect(app.store.get(id)).toMatchObject({
      status: 'past_due',
      failedAttempts: 1,
      nextChargeAt: due + days(1),
    });
    const firstFailure = app.ledger.listRecent(1)[0];
    expect(firstFailure).toMatchObject({
      status: 'failed',
      failureCode: 'insufficient_funds',
      note: 'off_session',
    });

    decline();
    await clock.advance(days(1));
    expect(app.store.get(id)).toMatchObject({
      status: 'past_due',
      failedAttempts: 2,
      nextChargeAt: due + days(4),
    });
    decline();
    await clock.advance(days(3));
    expect(app.store.get(id)).toMatchObject({
      status: 'past_due',
      failedAttempts: 3,
      nextChargeAt: due + days(11),
    });
    await clock.advance(days(6)); // one day early: nothing happens
    expect(chargeCalls()).toHaveLength(3);
    decline();
    await clock.advance(days(1));
    expect(app.store.get(id)).toMatchObject({ status: 'lapsed', failedAttempts: 4, nextChargeAt: null });
    expect(chargeCalls().map((call) => call.idempotencyKey)).toEqual([
      `S${id}-c2-a1`,
      `S${id}-c2-a2`,
      `S${id}-c2-a3`,
      `S${id}-c2-a4`,
    ]);
    await clock.advance(days(40));
    expect(chargeCalls()).toHaveLength(4);
  });

  it('a retry that succeeds restores the subscription without moving the billing day', async () => {
    const id = await subscribe('starter-monthly');
    const due = app.store.get(id).nextChargeAt as number;
    provider.failNext('chargeSavedMethod', new PaymentDeclinedError('Declined.', { provider: 'mock' }));
    await clock.advance(due - clock.now());
    expect(app.store.get(id).status).toBe('past_due');
    await clock.advance(days(1));
    expect(app.store.get(id)).toMatchObject({
      status: 'active',
      failedAttempts: 0,
      cycle: 2,
      nextChargeAt: Date.parse('2025-03-28T09:00:00Z'),
    });
  });

  it('cancel stops renewals', async () => {
    const id = await subscribe('starter-monthly');
    const response = await fetch(`${app.url}/subscriptions/${id}/cancel`, {
      method: 'POST',
      headers: { cookie },
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(app.store.get(id)).toMatchObject({ status: 'canceled', nextChargeAt: null });
    await clock.advance(days(90));
    expect(chargeCalls()).toHaveLength(0);
  });

  it('another customer cannot cancel your subscription', async () => {
    const id = await subscribe('starter-monthly');
    const other = await fetch(`${app.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'other@example.com' }),
      redirect: 'manual',
    });
    const otherCookie = (other.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const response = await fetch(`${app.url}/subscriptions/${id}/cancel`, {
      method: 'POST',
      headers: { cookie: otherCookie },
    });
    expect(response.status).toBe(404);
    expect(app.store.get(id).status).toBe('active');
  });

  it('an installment plan charges the deposit, then N installments, then completes', async () => {
    const id = await subscribe('bootcamp-installments');
    expect(app.store.get(id)).toMatchObject({ status: 'active', installmentsTotal: 3, installmentsPaid: 0 });
    for (let month = 1; month <= 3; month++) {
      await clock.advance(days(31));
      expect(app.store.get(id).installmentsPaid).toBe(month);
    }
    expect(app.store.get(id)).toMatchObject({ status: 'completed', nextChargeAt: null });
    await clock.advance(days(62));
    expect(chargeCalls()).toHaveLength(3);
    expect(app.ledger.listForOwner('subscription', id).map((payment) => payment.purpose)).toEqual([
      'installment',
      'installment',
      'installment',
      'first',
    ]);
  });

  it('a licence saves no card, expires after a year, and is renewed by paying again', async () => {
    const id = await subscribe('team-licence');
    const create = provider.calls.find((call) => call.method === 'createPayment')?.args[0] as Record<
      string,
      unknown
    >;
    expect(create.savePaymentMethod).toBeUndefined();
    expect(app.store.get(id)).toMatchObject({ status: 'active', nextChargeAt: null, savedMethod: null });
    expect(app.store.get(id).currentPeriodEnd).toBe(Date.parse('2026-01-31T09:00:00Z'));
    await clock.advance(days(366));
    expect(app.store.get(id).status).toBe('expired');
    expect(chargeCalls()).toHaveLength(0);
    const renew = await fetch(`${app.url}/subscriptions/${id}/pay`, {
      method: 'POST',
      headers: { cookie },
      redirect: 'manual',
    });
    expect(renew.status).toBe(303);
    const payment = app.ledger.listRecent(1)[0];
    provider.simulate(payment?.providerPaymentId as string, 'captured');
    await deliver(payment?.providerPaymentId as string);
    const renewed = app.store.get(id);
    expect(renewed.status).toBe('active');
    expect(renewed.currentPeriodEnd).toBe(Date.parse('2027-02-01T09:00:00Z'));
  });

  it('an admin records an offline payment that pays the overdue period', async () => {
    const id = await subscribe('starter-monthly');
    provider.failNext('chargeSavedMethod', new PaymentDeclinedError('Declined.', { provider: 'mock' }));
    await clock.advance(days(28));
    expect(app.store.get(id).status).toBe('past_due');
    const post = (amount: string) =>
      fetch(`${app.url}/admin/subscriptions/${id}/offline-payment`, {
        method: 'POST',
        headers: { authorization: ADMIN },
        body: new URLSearchParams({ amount, method: 'bank_transfer', note: 'TBC transfer 42' }),
        redirect: 'manual',
      });
    const wrong = await post('10.00');
    expect(decodeURIComponent(wrong.headers.get('location') ?? '')).toContain('pays one period: 29.00 GEL');
    expect(app.store.get(id).status).toBe('past_due');
    await post('29.00');
    expect(app.store.get(id)).toMatchObject({
      status: 'active',
      failedAttempts: 0,
      cycle: 2,
      nextChargeAt: Date.parse('2025-03-28T09:00:00Z'),
    });
    expect(app.ledger.listRecent(1)[0]).toMatchObject({
      provider: 'offline',
      status: 'captured',
      amountCaptured: 2900,
      note: 'offline bank_transfer: TBC transfer 42',
    });
  });

  it('a duplicated renewal webhook does not count the period twice', async () => {
    const id = await subscribe('starter-monthly');
    await clock.advance(days(28));
    const renewal = app.ledger.listRecent(1)[0];
    expect(renewal?.status).toBe('captured');
    const before = app.store.get(id);
    expect(await deliver(renewal?.providerPaymentId as string)).toBe('unchanged');
    expect(await deliver(renewal?.providerPaymentId as string)).toBe('duplicate ignored');
    expect(app.store.get(id)).toEqual(before);
  });

  it('a charge whose answer was lost waits for an admin when the gateway has no idempotency keys', async () => {
    const id = await subscribe('starter-monthly');
    provider.failNext('chargeSavedMethod', new ConnectionError('socket hang up', { provider: 'mock' }));
    await clock.advance(days(28));
    const attempt = app.ledger.listRecent(1)[0];
    await clock.advance(days(2));
    expect(chargeCalls()).toHaveLength(1);
    const admin = await (await fetch(`${app.url}/admin`, { headers: { authorization: ADMIN } })).text();
    expect(admin).toContain(`/admin/payments/${attempt?.id}/abandon`);
    await fetch(`${app.url}/admin/payments/${attempt?.id}/abandon`, {
      method: 'POST',
      headers: { authorization: ADMIN },
    });
    expect(app.ledger.get(attempt?.id as number)).toMatchObject({
      status: 'failed',
      failureCode: 'processing_error',
    });
    expect(app.store.get(id)).toMatchObject({ status: 'past_due', failedAttempts: 1 });
    await clock.advance(days(1));
    expect(chargeCalls().map((call) => call.idempotencyKey)).toEqual([`S${id}-c2-a1`, `S${id}-c2-a2`]);
    expect(app.store.get(id)).toMatchObject({ status: 'active', cycle: 2 });
  });

  it('a charge whose answer was lost is resent with the same key where the gateway honours one', async () => {
    await app.close();
    app = await start({ resendUnansweredCharges: true });
    const id = await subscribe('starter-monthly');
    provider.failNext('chargeSavedMethod', new ConnectionError('socket hang up', { provider: 'mock' }));
    await clock.advance(days(28));
    const attempt = app.ledger.listRecent(1)[0];
    expect(attempt).toMatchObject({
      status: 'processing',
      providerPaymentId: null,
      idempotencyKey: `S${id}-c2-a1`,
    });
    expect(app.store.get(id)).toMatchObject({ status: 'active', cycle: 1 });
    // The next run does not start a second charge for the same period while this one is open.
    await app.runBilling();
    expect(chargeCalls()).toHaveLength(1);
    // An hour later, with no answer, it is sent again with the same idempotency key.
    await clock.advance(60 * 60 * 1000);
    expect(chargeCalls().map((call) => call.idempotencyKey)).toEqual([`S${id}-c2-a1`, `S${id}-c2-a1`]);
    expect(app.store.get(id)).toMatchObject({ status: 'active', cycle: 2 });
  });

  it('a restart loses nothing and billing continues where it stopped', async () => {
    const id = await subscribe('starter-monthly');
    await clock.advance(days(28));
    const before = app.store.get(id);
    await app.close();
    app = await start();
    expect(app.store.get(id)).toEqual(before);
    expect(app.ledger.listForOwner('subscription', id)).toHaveLength(2);
    const account = await (await fetch(`${app.url}/account`, { headers: { cookie } })).text();
    expect(account).toMatch(/data-plan="starter-monthly"[\s\S]*data-status="active"/);
    await clock.advance(days(28));
    expect(app.store.get(id).cycle).toBe(3);
  });

  it('refuses an offline payment without the admin password', async () => {
    const id = await subscribe('starter-monthly');
    const response = await fetch(`${app.url}/admin/subscriptions/${id}/offline-payment`, {
      method: 'POST',
      body: new URLSearchParams({ amount: '29.00' }),
    });
    expect(response.status).toBe(401);
    expect(app.ledger.listForOwner('subscription', id)).toHaveLength(1);
  });
});
