import type { SavedMethod } from '@colchis/core';
import type { SqliteDatabase } from '@colchis/example-shared';
import type { PlanKind } from './plans.js';

/** A customer (a demo account: an e-mail address). */
export interface Customer {
  id: number;
  email: string;
}

/** Where a subscription stands. */
export type SubscriptionStatus =
  | 'pending'
  | 'active'
  | 'past_due'
  | 'lapsed'
  | 'canceled'
  | 'completed'
  | 'expired';

/** A row of `subscriptions`, with the customer's e-mail. */
export interface Subscription {
  id: number;
  customerId: number;
  email: string;
  planId: string;
  kind: PlanKind;
  status: SubscriptionStatus;
  amount: number;
  currency: string;
  savedMethod: SavedMethod | null;
  currentPeriodStart: number | null;
  currentPeriodEnd: number | null;
  nextChargeAt: number | null;
  cycle: number;
  failedAttempts: number;
  installmentsTotal: number | null;
  installmentsPaid: number;
  canceledAt: number | null;
  createdAt: number;
  updatedAt: number;
}

interface SubscriptionRow {
  id: number;
  customer_id: number;
  email: string;
  plan_id: string;
  kind: PlanKind;
  status: SubscriptionStatus;
  amount: number;
  currency: string;
  saved_method: string | null;
  current_period_start: number | null;
  current_period_end: number | null;
  next_charge_at: number | null;
  cycle: number;
  failed_attempts: number;
  installments_total: number | null;
  installments_paid: number;
  canceled_at: number | null;
  created_at: number;
  updated_at: number;
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    customerId: row.customer_id,
    email: row.email,
    planId: row.plan_id,
    kind: row.kind,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    savedMethod: row.saved_method ? (JSON.parse(row.saved_method) as SavedMethod) : null,
    currentPeriodStart: row.current_period_start,
    currentPeriodEnd: row.current_period_end,
    nextChargeAt: row.next_charge_at,
    cycle: row.cycle,
    failedAttempts: row.failed_attempts,
    installmentsTotal: row.installments_total,
    installmentsPaid: row.installments_paid,
    canceledAt: row.canceled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The columns {@link SubscriptionStore.update} may change. */
export interface SubscriptionUpdate {
  status?: SubscriptionStatus;
  savedMethod?: SavedMethod | null;
  currentPeriodStart?: number | null;
  currentPeriodEnd?: number | null;
  nextChargeAt?: number | null;
  cycle?: number;
  failedAttempts?: number;
  installmentsPaid?: number;
  canceledAt?: number | null;
}

const COLUMNS: Record<keyof SubscriptionUpdate, string> = {
  status: 'status',
  savedMethod: 'saved_method',
  currentPeriodStart: 'current_period_start',
  currentPeriodEnd: 'current_period_end',
  nextChargeAt: 'next_charge_at',
  cycle: 'cycle',
  failedAttempts: 'failed_attempts',
  installmentsPaid: 'installments_paid',
  canceledAt: 'canceled_at',
};

const SELECT =
  'SELECT subscriptions.*, customers.email FROM subscriptions JOIN customers ON customers.id = subscriptions.customer_id';

/** Queries over customers and subscriptions. */
export class SubscriptionStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number,
  ) {}

  /** Finds or creates the customer with this e-mail. */
  upsertCustomer(email: string): Customer {
    const existing = this.db.prepare('SELECT id, email FROM customers WHERE email = ?').get(email) as
      | Customer
      | undefined;
    if (existing) return existing;
    const result = this.db
      .prepare('INSERT INTO customers (email, created_at) VALUES (?, ?)')
      .run(email, this.now());
    return { id: Number(result.lastInsertRowid), email };
  }

  /** The customer with this id, if any. */
  findCustomer(id: number): Customer | undefined {
    return this.db.prepare('SELECT id, email FROM customers WHERE id = ?').get(id) as Customer | undefined;
  }

  /** Creates a pending subscription. */
  create(input: {
    customerId: number;
    planId: string;
    kind: PlanKind;
    amount: number;
    currency: string;
    installmentsTotal?: number | undefined;
  }): Subscription {
    const now = this.now();
    const result = this.db
      .prepare(
        `INSERT INTO subscriptions (customer_id, plan_id, kind, status, amount, currency, installments_total, created_at, updated_at)
         VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?)`,
      )
      .run(
        input.customerId,
        input.planId,
        input.kind,
        input.amount,
        input.currency,
        input.installmentsTotal ?? null,
        now,
        now,
      );
    return this.get(Number(result.lastInsertRowid));
  }

  /** The subscription with this id (throws when missing). */
  get(id: number): Subscription {
    const row = this.db.prepare(`${SELECT} WHERE subscriptions.id = ?`).get(id) as
      | SubscriptionRow
      | undefined;
    if (!row) throw new Error(`No subscription ${id}.`);
    return toSubscription(row);
  }

  /** Updates some columns. */
  update(id: number, update: SubscriptionUpdate): Subscription {
    const entries = Object.entries(update) as Array<[keyof SubscriptionUpdate, unknown]>;
    if (entries.length > 0) {
      const values: Record<string, unknown> = { id, updated_at: this.now() };
      for (const [key, value] of entries) {
        values[COLUMNS[key]] = key === 'savedMethod' ? (value ? JSON.stringify(value) : null) : value;
      }
      this.db
        .prepare(
          `UPDATE subscriptions SET ${entries.map(([key]) => `${COLUMNS[key]} = @${COLUMNS[key]}`).join(', ')}, updated_at = @updated_at WHERE id = @id`,
        )
        .run(values);
    }
    return this.get(id);
  }

  /** Subscriptions whose next charge is due at `now` (active or past due). */
  listDue(now: number): Subscription[] {
    return (
      this.db
        .prepare(
          `${SELECT} WHERE subscriptions.status IN ('active', 'past_due') AND next_charge_at IS NOT NULL
           AND next_charge_at <= ? ORDER BY next_charge_at`,
        )
        .all(now) as SubscriptionRow[]
    ).map(toSubscription);
  }

  /** Active licences whose period ended by `now`. */
  listExpiredLicences(now: number): Subscription[] {
    return (
      this.db
        .prepare(
          `${SELECT} WHERE subscriptions.kind = 'licence' AND subscriptions.status = 'active'
           AND current_period_end IS NOT NULL AND current_period_end <= ?`,
        )
        .all(now) as SubscriptionRow[]
    ).map(toSubscription);
  }

  /** A customer's subscriptions, newest first. */
  listForCustomer(customerId: number): Subscription[] {
    return (
      this.db
        .prepare(`${SELECT} WHERE customer_id = ? ORDER BY subscriptions.id DESC`)
        .all(customerId) as SubscriptionRow[]
    ).map(toSubscription);
  }

  /** Every subscription, newest first. */
  listAll(limit = 200): Subscription[] {
    return (
      this.db.prepare(`${SELECT} ORDER BY subscriptions.id DESC LIMIT ?`).all(limit) as SubscriptionRow[]
    ).map(toSubscription);
  }
}
