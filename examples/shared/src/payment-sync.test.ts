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

async function recordedPayment(reference = 'R-1') {
  const created = await mock.createPayment({ amount: { amount: 5000, currency: 'GEL' }, reference });
  const row = ledger.insert({
    reference,
    provider: 'mock',
    ownerType: 'enrollment',
    ownerId: 1,
    purpose: 'enrollment',
    amount: 5000,
    currency: 'GEL',
    idempotencyKey: reference,
  });
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
