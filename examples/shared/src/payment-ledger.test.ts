import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PAYMENT_STATUSES, type PaymentStatus } from '@colchis/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from './database.js';
import { PAYMENT_TABLES_SQL, type PaymentChange, PaymentLedger } from './payment-ledger.js';

let directory: string;
let db: SqliteDatabase;
let ledger: PaymentLedger;
let changes: PaymentChange[];
let counter = 0;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'colchis-ledger-'));
  db = openDatabase(join(directory, 'ledger.sqlite'), [{ id: 1, name: 'payments', sql: PAYMENT_TABLES_SQL }]);
  ledger = new PaymentLedger(db, () => 1_700_000_000_000);
  changes = [];
  ledger.onChange((change) => changes.push(change));
});
afterEach(() => {
  db.close();
  rmSync(directory, { recursive: true, force: true });
});

function newPayment(status: PaymentStatus = 'requires_action') {
  counter++;
  const payment = ledger.insert({
    reference: `R-${counter}`,
    provider: 'bog',
    ownerType: 'enrollment',
    ownerId: 1,
    purpose: 'enrollment',
    amount: 10000,
    currency: 'GEL',
    idempotencyKey: `R-${counter}`,
  });
  if (status !== 'requires_action')
    ledger.observe(payment.id, { status, providerPaymentId: `order-${counter}` }, 'create');
  changes = [];
  return ledger.get(payment.id);
}

describe('PaymentLedger.observe', () => {
  it('applies a forward move once; the same observation again changes nothing', () => {
    const payment = newPayment();
    const first = ledger.observe(
      payment.id,
      { status: 'captured', rawStatus: 'completed', providerPaymentId: 'o1' },
      'webhook',
    );
    expect(first.outcome).toBe('applied');
    expect(first.payment).toMatchObject({
      status: 'captured',
      amountCaptured: 10000,
      providerPaymentId: 'o1',
    });
    expect(changes).toHaveLength(1);
    const again = ledger.observe(
      payment.id,
      { status: 'captured', rawStatus: 'completed', providerPaymentId: 'o1' },
      'webhook',
    );
    expect(again.outcome).toBe('unchanged');
    expect(again.payment).toEqual(first.payment);
    expect(changes).toHaveLength(1);
  });

  // Every pair of statuses: a move the status model forbids is recorded as stale and changes
  // nothing. (One outer transaction: the 81 cases need not wait for 81 disk syncs.)
  it('follows canTransition for every pair of statuses', () => {
    const allowedMoves: Record<PaymentStatus, readonly PaymentStatus[]> = {
      requires_action: PAYMENT_STATUSES,
      processing: PAYMENT_STATUSES,
      authorized: ['captured', 'canceled', 'expired', 'failed', 'partially_refunded', 'refunded'],
      captured: ['partially_refunded', 'refunded'],
      partially_refunded: ['refunded'],
      refunded: [],
      failed: [],
      canceled: [],
      expired: [],
    };
    const wrong: string[] = [];
    db.transaction(() => {
      for (const from of PAYMENT_STATUSES) {
        for (const to of PAYMENT_STATUSES) {
          const payment = newPayment(from);
          const result = ledger.observe(payment.id, { status: to }, 'webhook');
          const allowed = from === to || allowedMoves[from].includes(to);
          const stored = ledger.get(payment.id).status;
          if (stored !== (allowed ? to : from)) wrong.push(`${from} -> ${to}: stored ${stored}`);
          if (!allowed && (result.outcome !== 'stale' || changes.length > 0))
            wrong.push(`${from} -> ${to}: not stale`);
        }
      }
    })();
    expect(wrong).toEqual([]);
  });

  it('never lets a late delivery move a paid payment back', () => {
    const payment = newPayment('captured');
    for (const stale of ['processing', 'requires_action', 'authorized', 'failed', 'expired'] as const) {
      expect(ledger.observe(payment.id, { status: stale }, 'webhook').outcome).toBe('stale');
    }
    expect(ledger.get(payment.id).status).toBe('captured');
    expect(ledger.events(payment.id).filter((event) => event.outcome === 'stale')).toHaveLength(5);
  });

  it('lets refund amounts grow but never shrink', () => {
    const payment = newPayment('captured');
    ledger.observe(
      payment.id,
      { status: 'partially_refunded', amountCaptured: 10000, amountRefunded: 2500 },
      'webhook',
    );
    expect(
      ledger.observe(payment.id, { status: 'partially_refunded', amountRefunded: 4000 }, 'webhook').outcome,
    ).toBe('applied');
    expect(
      ledger.observe(payment.id, { status: 'partially_refunded', amountRefunded: 2500 }, 'webhook').outcome,
    ).toBe('unchanged');
    expect(ledger.get(payment.id)).toMatchObject({ amountRefunded: 4000, amountCaptured: 10000 });
    ledger.observe(payment.id, { status: 'refunded' }, 'webhook');
    expect(ledger.get(payment.id)).toMatchObject({ status: 'refunded', amountRefunded: 4000 });
  });

  it('a full refund without amounts refunds what was captured', () => {
    const payment = newPayment('captured');
    ledger.observe(payment.id, { status: 'refunded' }, 'webhook');
    expect(ledger.get(payment.id)).toMatchObject({ amountCaptured: 10000, amountRefunded: 10000 });
  });

  it('keeps the failure and the saved card reference, and nothing more of the card', () => {
    const payment = newPayment();
    ledger.observe(
      payment.id,
      {
        status: 'failed',
        failure: { code: 'insufficient_funds', message: 'Insufficient funds', rawCode: '107' },
        savedMethod: {
          id: 'parent-1',
          maskedPan: '400000******0002',
          usage: 'off_session',
          extra: 'x',
        } as never,
      },
      'webhook',
    );
    const stored = ledger.get(payment.id);
    expect(stored).toMatchObject({ failureCode: 'insufficient_funds', failureMessage: 'Insufficient funds' });
    expect(stored.savedMethod).toEqual({
      id: 'parent-1',
      usage: 'off_session',
      maskedPan: '400000******0002',
    });
  });

  it('rolls the status change back when the app listener fails', () => {
    const payment = newPayment();
    ledger.onChange(() => {
      throw new Error('listener failed');
    });
    expect(() => ledger.observe(payment.id, { status: 'captured' }, 'webhook')).toThrow('listener failed');
    expect(ledger.get(payment.id).status).toBe('requires_action');
    expect(ledger.events(payment.id)).toEqual([]);
  });

  it('finds payments by reference, gateway id and idempotency key, and lists the open ones', () => {
    const open = newPayment('processing');
    const done = newPayment('captured');
    expect(ledger.findByReference(open.reference)?.id).toBe(open.id);
    expect(ledger.findByProviderId('bog', done.providerPaymentId as string)?.id).toBe(done.id);
    expect(ledger.findByProviderId('ioka', done.providerPaymentId as string)).toBeUndefined();
    expect(ledger.findByIdempotencyKey(open.idempotencyKey)?.id).toBe(open.id);
    expect(ledger.listOpen(1_700_000_000_000).map((payment) => payment.id)).toEqual([open.id]);
    expect(ledger.listOpen(1_699_999_999_999)).toEqual([]);
  });
});
