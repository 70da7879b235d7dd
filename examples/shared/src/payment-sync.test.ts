import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionError, InvalidRequestError, type PaymentProvider } from '@colchis/core';
import { createMockProvider, type MockProvider } from '@colchis/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from './database.js';
import { PAYMENT_TABLES_SQL, PaymentLedger } from './payment-ledger.js';
import { PaymentSync } from './payment-sync.js';

let directory: string;
let db: SqliteDatabase;
let ledger: PaymentLedger;
let mock: MockProvider;
let now: number;
const lines: string[] = [];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'colchis-sync-'));
  db = openDatabase(join(directory, 'sync.sqlite'), [{ id: 1, name: 'payments', sql: PAYMENT_TABLES_SQL }]);
  now = 1_700_000_000_000;
  ledger = new PaymentLedger(db, () => now);
  mock = createMockProvider({ id: 'mock' });
  lines.length = 0;
});
afterEach(() => {
  db.close();
  rmSync(directory, { recursive: true, force: true });
});

function sync(provider: PaymentProvider = mock): PaymentSync {
  return new PaymentSync(ledger, provider, { now: () => now, log: (line) => lines.push(line) });
}

/** A payment attempt of enrollment 1, written before the gateway is called. */
function attempt(reference: string) {
  return ledger.insert({
    reference,
    provider: 'mock',
    ownerType: 'enrollment',
    ownerId: 1,
    purpose: 'enrollment',
    amount: 5000,
    currency: 'GEL',
    idempotencyKey: reference,
  });
}

async function recordedPayment(reference = 'R-1') {
  const created = await mock.createPayment({ amount: { amount: 5000, currency: 'GEL' }, reference });
  const row = attempt(reference);
  ledger.observe(row.id, { status: 'requires_action', providerPaymentId: created.id }, 'create');
  return { row: ledger.get(row.id), created };
}

describe('PaymentSync.handleWebhook', () => {
  it('asks the gateway to deliver again when confirming an unsigned callback failed', async () => {
    const { created } = await recordedPayment();
    mock.simulate(created.id, 'captured');
    const webhook = mock.signWebhook(created.id);
    const flaky: PaymentProvider = {
      ...mock,
      verifyWebhook: async () => {
        throw new ConnectionError('connection reset while fetching the payment', {
          provider: 'mock',
          retryable: true,
        });
      },
    };
    const result = await sync(flaky).handleWebhook(Buffer.from(webhook.rawBody), webhook.headers);
    expect(result.status).toBe(503);
    expect(ledger.listWebhooks()).toEqual([]);
    // Delivered again once the gateway answers: now it is applied (not taken for a duplicate).
    expect((await sync().handleWebhook(Buffer.from(webhook.rawBody), webhook.headers)).body).toBe('applied');
  });

  it('answers 400 to an unreadable webhook and records nothing', async () => {
    const broken: PaymentProvider = {
      ...mock,
      verifyWebhook: async () => {
        throw new InvalidRequestError('not JSON', { provider: 'mock' });
      },
    };
    expect((await sync(broken).handleWebhook(Buffer.from('garbage'), {})).status).toBe(400);
    expect(ledger.listWebhooks()).toEqual([]);
  });

  it('acknowledges a webhook about a payment it does not know', async () => {
    const created = await mock.createPayment({
      amount: { amount: 100, currency: 'GEL' },
      reference: 'someone-else',
    });
    const webhook = mock.signWebhook(created.id);
    const result = await sync().handleWebhook(Buffer.from(webhook.rawBody), webhook.headers);
    expect(result).toEqual({ status: 200, body: 'unknown payment' });
    expect(ledger.listWebhooks()[0]?.outcome).toBe('unknown payment');
  });

  it('does not match a reference recorded for another provider', async () => {
    const { row, created } = await recordedPayment('SHARED-REF');
    db.prepare("UPDATE payments SET provider = 'other', provider_payment_id = NULL WHERE id = ?").run(row.id);
    mock.simulate(created.id, 'captured');
    const webhook = mock.signWebhook(created.id);
    expect((await sync().handleWebhook(Buffer.from(webhook.rawBody), webhook.headers)).body).toBe(
      'unknown payment',
    );
    expect(ledger.get(row.id).status).toBe('requires_action');
  });

  it('finds a payment by reference when the gateway id is not recorded yet (a fast webhook)', async () => {
    const { row, created } = await recordedPayment('FAST-1');
    db.prepare('UPDATE payments SET provider_payment_id = NULL WHERE id = ?').run(row.id);
    mock.simulate(created.id, 'captured');
    const webhook = mock.signWebhook(created.id);
    expect((await sync().handleWebhook(Buffer.from(webhook.rawBody), webhook.headers)).body).toBe('applied');
    expect(ledger.get(row.id)).toMatchObject({ status: 'captured', providerPaymentId: created.id });
  });
});

describe('PaymentSync.refresh and reconcile', () => {
  it('asks the gateway at most once per interval and shares a request in flight', async () => {
    const { row } = await recordedPayment();
    const service = sync();
    await Promise.all([
      service.refresh(row, 'poll'),
      service.refresh(row, 'poll'),
      service.refresh(row, 'poll'),
    ]);
    expect(mock.calls.filter((call) => call.method === 'getPayment')).toHaveLength(1);
    await service.refresh(ledger.get(row.id), 'poll');
    expect(mock.calls.filter((call) => call.method === 'getPayment')).toHaveLength(1);
    now += 1000;
    await service.refresh(ledger.get(row.id), 'poll');
    expect(mock.calls.filter((call) => call.method === 'getPayment')).toHaveLength(2);
  });

  it('reports a payment the gateway cannot be asked about once, and keeps counting it', async () => {
    const { created } = await recordedPayment();
    const service = sync();
    mock.failNext('getPayment', new ConnectionError('down', { provider: 'mock' }));
    expect(await service.reconcile({ graceMs: 0 })).toEqual({ checked: 0, changed: 0, failedToCheck: 1 });
    mock.failNext('getPayment', new ConnectionError('down', { provider: 'mock' }));
    expect(await service.reconcile({ graceMs: 0 })).toEqual({ checked: 0, changed: 0, failedToCheck: 1 });
    expect(lines.filter((line) => line.startsWith('reconcile R-1'))).toHaveLength(1);
    mock.simulate(created.id, 'captured');
    expect(await service.reconcile({ graceMs: 0 })).toEqual({ checked: 1, changed: 1, failedToCheck: 0 });
  });
});

describe('PaymentSync: starting a payment and coming back from it', () => {
  it("records createPayment's answer and sends the customer to its hosted page", async () => {
    const row = attempt('R-2');
    const created = await mock.createPayment({ amount: { amount: 5000, currency: 'GEL' }, reference: 'R-2' });
    // A gateway that only gives a redirect URL: the customer is sent there with a GET.
    const { payment, action } = sync().recordCreated(row, { ...created, nextAction: undefined });
    expect(payment).toMatchObject({ status: 'requires_action', providerPaymentId: created.id });
    expect(action).toEqual({ type: 'redirect', url: created.redirectUrl, method: 'GET' });
    // A hosted page that wants a form posted: the gateway's nextAction wins.
    const form = {
      type: 'redirect',
      url: 'https://bank.example/pay',
      method: 'POST',
      formData: { a: '1' },
    } as const;
    expect(sync().recordCreated(attempt('R-3'), { ...created, id: 'other', nextAction: form }).action).toBe(
      form,
    );
    const settled = {
      ...created,
      id: 'settled',
      status: 'captured',
      redirectUrl: undefined,
      nextAction: undefined,
    } as const;
    expect(sync().recordCreated(attempt('R-4'), settled)).toMatchObject({
      payment: { status: 'captured' },
      action: undefined,
    });
  });

  it('records a payment that could not be started as failed, and logs why', () => {
    const row = attempt('R-5');
    sync().recordNotStarted(row, new InvalidRequestError('amount is too small', { provider: 'mock' }));
    expect(ledger.get(row.id)).toMatchObject({
      status: 'failed',
      failureCode: 'processing_error',
      failureMessage: 'The payment could not be started.',
    });
    expect(lines).toEqual(['createPayment R-5 failed: InvalidRequestError: amount is too small']);
  });

  it('asks the gateway about an open payment on return, and shows what it knows when it cannot', async () => {
    const { row, created } = await recordedPayment();
    const service = sync();
    expect(await service.confirm('R-1', 'subscription', 'return')).toBeUndefined();
    expect(await service.confirm('no-such-reference', 'enrollment', 'return')).toBeUndefined();

    mock.failNext('getPayment', new ConnectionError('down', { provider: 'mock' }));
    expect(await service.confirm('R-1', 'enrollment', 'poll')).toMatchObject({ status: 'requires_action' });
    expect(lines).toEqual([]); // the poll's failures are not logged: it asks every 1.5 s
    now += 1000;
    mock.failNext('getPayment', new ConnectionError('down', { provider: 'mock' }));
    expect(await service.confirm('R-1', 'enrollment', 'return')).toMatchObject({ id: row.id });
    expect(lines).toEqual(['return R-1: ConnectionError: down']);

    now += 1000;
    mock.simulate(created.id, 'captured');
    expect(await service.confirm('R-1', 'enrollment', 'return')).toMatchObject({ status: 'captured' });
    const calls = mock.calls.filter((call) => call.method === 'getPayment').length;
    now += 1000;
    // Settled: nothing more to ask.
    expect(await service.confirm('R-1', 'enrollment', 'poll')).toMatchObject({ status: 'captured' });
    expect(mock.calls.filter((call) => call.method === 'getPayment')).toHaveLength(calls);
  });
});
