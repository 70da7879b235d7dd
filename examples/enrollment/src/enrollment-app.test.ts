import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockProvider, type MockProvider } from '@colchis/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEnrollmentApp, type EnrollmentApp } from './enrollment-app.js';

// The app's server logic end to end over real HTTP and a real SQLite file. The gateway is core's
// mock provider (its documented purpose: testing your own handlers); the browser tests run the
// same app against every gateway's sandbox emulator.

const ADMIN = `Basic ${Buffer.from('admin:secret').toString('base64')}`;

let directory: string;
let provider: MockProvider;
let app: EnrollmentApp;

async function start(): Promise<EnrollmentApp> {
  return createEnrollmentApp({
    provider,
    databaseFile: join(directory, 'academy.sqlite'),
    currency: 'GEL',
    adminPassword: 'secret',
    jobIntervalMs: 0,
    log: () => {},
  });
}

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'colchis-enrollment-'));
  provider = createMockProvider({ id: 'mock' });
  app = await start();
});

afterEach(async () => {
  await app.close();
  rmSync(directory, { recursive: true, force: true });
});

async function enrollAsGuest(courseId: string, email = 'guest@example.com') {
  const response = await fetch(`${app.url}/courses/${courseId}/enroll`, {
    method: 'POST',
    body: new URLSearchParams({ email }),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  const payment = app.ledger.listRecent(1)[0];
  if (!payment) throw new Error('no payment recorded');
  return { response, payment, providerId: payment.providerPaymentId as string };
}

async function deliver(webhook: { rawBody: string; headers: Record<string, string> }) {
  const response = await fetch(`${app.url}/webhooks/payments`, {
    method: 'POST',
    headers: webhook.headers,
    body: webhook.rawBody,
  });
  return { status: response.status, body: await response.text() };
}

function enrollmentStatus(id: number) {
  return app.store.get(id).status;
}

describe('enrollment', () => {
  it('creates a pending enrollment and payment, then sends the customer to the hosted page', async () => {
    const { response, payment } = await enrollAsGuest('typescript-payments');
    expect(response.headers.get('location')).toBe(
      `https://mock.colchis.test/pay/${payment.providerPaymentId}`,
    );
    expect(payment.status).toBe('requires_action');
    expect(payment.amount).toBe(15000);
    const enrollment = app.store.get(payment.ownerId);
    expect(enrollment).toMatchObject({ status: 'pending', guest: true, email: 'guest@example.com' });
    const call = provider.calls.find((entry) => entry.method === 'createPayment');
    expect(call?.args[0]).toMatchObject({
      amount: { amount: 15000, currency: 'GEL' },
      reference: payment.reference,
      returnUrl: `${app.url}/payment/callback/${payment.reference}`,
      webhookUrl: `${app.url}/webhooks/payments`,
      idempotencyKey: payment.reference,
    });
  });

  it('activates on a verified webhook; a duplicate delivery changes nothing', async () => {
    const { payment, providerId } = await enrollAsGuest('typescript-payments');
    provider.simulate(providerId, 'captured');
    const webhook = provider.signWebhook(providerId);
    expect(await deliver(webhook)).toEqual({ status: 200, body: 'applied' });
    expect(enrollmentStatus(payment.ownerId)).toBe('active');
    const before = app.ledger.get(payment.id);
    const enrollmentBefore = app.store.get(payment.ownerId);
    expect(await deliver(webhook)).toEqual({ status: 200, body: 'duplicate ignored' });
    expect(app.ledger.get(payment.id)).toEqual(before);
    expect(app.store.get(payment.ownerId)).toEqual(enrollmentBefore);
    expect(app.ledger.listWebhooks().map((delivery) => delivery.outcome)).toEqual(['duplicate', 'applied']);
  });

  it('ignores an out-of-order delivery that would move a paid payment back', async () => {
    const { payment, providerId } = await enrollAsGuest('typescript-payments');
    const early = provider.signWebhook(providerId); // requires_action, sent first, arrives last
    provider.simulate(providerId, 'captured');
    await deliver(provider.signWebhook(providerId));
    expect(await deliver(early)).toEqual({ status: 200, body: 'stale' });
    expect(app.ledger.get(payment.id).status).toBe('captured');
    expect(enrollmentStatus(payment.ownerId)).toBe('active');
  });

  it('rejects a webhook whose signature does not match the raw body', async () => {
    const { payment, providerId } = await enrollAsGuest('typescript-payments');
    provider.simulate(providerId, 'captured');
    const webhook = provider.signWebhook(providerId);
    const tampered = { ...webhook, rawBody: webhook.rawBody.replace('"captured"', '"captured" ') };
    expect((await deliver(tampered)).status).toBe(400);
    expect(app.ledger.get(payment.id).status).toBe('requires_action');
    expect(enrollmentStatus(payment.ownerId)).toBe('pending');
  });

  it('never trusts the return URL: a forged STATUS shows what the gateway says', async () => {
    const { payment } = await enrollAsGuest('typescript-payments');
    const page = await (
      await fetch(`${app.url}/payment/callback/${payment.reference}?STATUS=FullyPaid&status=success`)
    ).text();
    expect(page).toContain('data-view="incomplete"');
    expect(enrollmentStatus(payment.ownerId)).toBe('pending');
  });

  it('confirms with the gateway on the return page when the webhook has not arrived', async () => {
    const { payment, providerId } = await enrollAsGuest('georgian-calligraphy');
    provider.simulate(providerId, 'captured');
    const page = await (await fetch(`${app.url}/payment/callback/${payment.reference}`)).text();
    expect(page).toContain('data-view="success"');
    expect(enrollmentStatus(payment.ownerId)).toBe('active');
    expect(app.ledger.events(payment.id).map((event) => event.source)).toEqual(['create', 'return']);
  });

  it('shows a decline and lets the customer retry on the same enrollment', async () => {
    const first = await enrollAsGuest('typescript-payments');
    provider.simulate(first.providerId, {
      failed: { code: 'insufficient_funds', message: 'Insufficient funds.' },
    });
    const page = await (await fetch(`${app.url}/payment/callback/${first.payment.reference}`)).text();
    expect(page).toContain('data-view="failure"');
    expect(page).toContain('Insufficient funds.');
    const second = await enrollAsGuest('typescript-payments');
    expect(second.payment.ownerId).toBe(first.payment.ownerId);
    expect(second.payment.reference).not.toBe(first.payment.reference);
    provider.simulate(second.providerId, 'captured');
    await deliver(provider.signWebhook(second.providerId));
    expect(enrollmentStatus(first.payment.ownerId)).toBe('active');
  });

  it('refunds part, then the rest, from the admin page', async () => {
    const { payment, providerId } = await enrollAsGuest('typescript-payments');
    provider.simulate(providerId, 'captured');
    await deliver(provider.signWebhook(providerId));
    const post = (path: string, form: Record<string, string> = {}) =>
      fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: { authorization: ADMIN },
        body: new URLSearchParams(form),
        redirect: 'manual',
      });
    expect((await post(`/admin/payments/${payment.id}/refund`)).status).toBe(303);
    // That was a full refund request on a fresh payment: start again for the partial case.
    expect(app.ledger.get(payment.id)).toMatchObject({ status: 'refunded', amountRefunded: 15000 });
    expect(enrollmentStatus(payment.ownerId)).toBe('refunded');

    const other = await enrollAsGuest('georgian-calligraphy', 'second@example.com');
    provider.simulate(other.providerId, 'captured');
    await deliver(provider.signWebhook(other.providerId));
    const partial = await post(`/admin/payments/${other.payment.id}/refund`, { amount: '10.50' });
    expect(decodeURIComponent(partial.headers.get('location') ?? '')).toContain('Refund of 10.50 GEL');
    expect(app.ledger.get(other.payment.id)).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 1050,
    });
    expect(enrollmentStatus(other.payment.ownerId)).toBe('active');
    const tooMuch = await post(`/admin/payments/${other.payment.id}/refund`, { amount: '100' });
    expect(decodeURIComponent(tooMuch.headers.get('location') ?? '')).toContain(
      'Refund between 0 and 34.50 GEL',
    );
    const notAnAmount = await post(`/admin/payments/${other.payment.id}/refund`, { amount: '1.234' });
    expect(decodeURIComponent(notAnAmount.headers.get('location') ?? '')).toContain(
      'is not an amount in GEL',
    );
    await post(`/admin/payments/${other.payment.id}/refund`);
    expect(app.ledger.get(other.payment.id)).toMatchObject({ status: 'refunded', amountRefunded: 4500 });
    expect(enrollmentStatus(other.payment.ownerId)).toBe('refunded');
  });

  it('holds a pre-authorized seat, then captures or releases it', async () => {
    const post = (path: string) =>
      fetch(`${app.url}${path}`, { method: 'POST', headers: { authorization: ADMIN }, redirect: 'manual' });
    const first = await enrollAsGuest('webhooks-workshop', 'one@example.com');
    expect(provider.calls.at(-1)?.args[0]).toMatchObject({ capture: 'manual' });
    provider.simulate(first.providerId, 'authorized');
    await deliver(provider.signWebhook(first.providerId));
    expect(enrollmentStatus(first.payment.ownerId)).toBe('awaiting_capture');
    await post(`/admin/payments/${first.payment.id}/capture`);
    expect(app.ledger.get(first.payment.id).status).toBe('captured');
    expect(enrollmentStatus(first.payment.ownerId)).toBe('active');

    const second = await enrollAsGuest('webhooks-workshop', 'two@example.com');
    provider.simulate(second.providerId, 'authorized');
    await deliver(provider.signWebhook(second.providerId));
    await post(`/admin/payments/${second.payment.id}/cancel`);
    expect(app.ledger.get(second.payment.id).status).toBe('canceled');
    expect(enrollmentStatus(second.payment.ownerId)).toBe('released');
  });

  it('requires the admin password', async () => {
    expect((await fetch(`${app.url}/admin`)).status).toBe(401);
    expect((await fetch(`${app.url}/admin`, { headers: { authorization: ADMIN } })).status).toBe(200);
    const wrong = `Basic ${Buffer.from('admin:nope').toString('base64')}`;
    expect(
      (await fetch(`${app.url}/admin/reconcile`, { method: 'POST', headers: { authorization: wrong } }))
        .status,
    ).toBe(401);
  });

  it('refuses cross-site form posts to state-changing routes', async () => {
    const response = await fetch(`${app.url}/courses/typescript-payments/enroll`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=victim%40example.com',
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
    expect(app.store.listAll()).toHaveLength(0);
  });

  it('reconciliation confirms a payment whose webhook never came', async () => {
    const { payment, providerId } = await enrollAsGuest('typescript-payments');
    provider.simulate(providerId, 'captured');
    expect(await app.reconcile(60_000)).toEqual({ checked: 0, changed: 0, failedToCheck: 0 }); // too recent
    expect(await app.reconcile(0)).toEqual({ checked: 1, changed: 1, failedToCheck: 0 });
    expect(enrollmentStatus(payment.ownerId)).toBe('active');
    expect(app.ledger.events(payment.id).at(-1)).toMatchObject({ source: 'reconcile', outcome: 'applied' });
  });

  it('a restart loses no enrollment, payment or session', async () => {
    const login = await fetch(`${app.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'student@example.com' }),
      redirect: 'manual',
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const enroll = await fetch(`${app.url}/courses/typescript-payments/enroll`, {
      method: 'POST',
      headers: { cookie },
      redirect: 'manual',
    });
    expect(enroll.status).toBe(303);
    const payment = app.ledger.listRecent(1)[0];
    if (!payment?.providerPaymentId) throw new Error('no payment');
    await app.close();

    provider.simulate(payment.providerPaymentId, 'captured');
    app = await start();
    expect(app.ledger.get(payment.id).reference).toBe(payment.reference);
    expect(await deliver(provider.signWebhook(payment.providerPaymentId))).toEqual({
      status: 200,
      body: 'applied',
    });
    const dashboard = await (await fetch(`${app.url}/dashboard`, { headers: { cookie } })).text();
    expect(dashboard).toContain('student@example.com');
    expect(dashboard).toMatch(/data-course="typescript-payments"[\s\S]*data-status="active"/);
  });

  it('a gateway error while creating the payment charges nothing and says so', async () => {
    provider.failNext('createPayment', new Error('connection reset'));
    const response = await fetch(`${app.url}/courses/typescript-payments/enroll`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'guest@example.com' }),
    });
    expect(response.status).toBe(502);
    expect(await response.text()).toContain('Nothing was charged');
    expect(app.ledger.listRecent(1)[0]).toMatchObject({ status: 'failed', failureCode: 'processing_error' });
  });
});
