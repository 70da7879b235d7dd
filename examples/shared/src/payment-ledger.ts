import {
  canTransition,
  isPaid,
  type NextAction,
  type Payment,
  type PaymentFailure,
  type PaymentStatus,
  type SavedMethod,
} from '@colchis/core';
import type { Migration, SqliteDatabase } from './database.js';

/**
 * The tables every example keeps about payments. An app's first migration runs this; its own
 * tables (enrollments, subscriptions) point at payments through `owner_type` / `owner_id`.
 */
export const PAYMENT_TABLES_SQL = `
CREATE TABLE payments (
  id INTEGER PRIMARY KEY,
  -- Our id for this payment attempt: sent to the gateway as the merchant reference and used in
  -- the return URL. One row per attempt: a retry after a decline is a new row.
  reference TEXT NOT NULL UNIQUE,
  -- bog, ipay, procredit, ioka, stripe, or offline (recorded by an admin).
  provider TEXT NOT NULL,
  provider_payment_id TEXT,
  owner_type TEXT NOT NULL,
  owner_id INTEGER NOT NULL,
  purpose TEXT NOT NULL,
  -- Integer minor units (tetri, tiyn, cents): never a float.
  amount INTEGER NOT NULL CHECK (amount >= 0),
  currency TEXT NOT NULL,
  capture_mode TEXT NOT NULL DEFAULT 'automatic' CHECK (capture_mode IN ('automatic', 'manual')),
  status TEXT NOT NULL CHECK (status IN ('requires_action', 'processing', 'authorized', 'captured',
    'partially_refunded', 'refunded', 'failed', 'canceled', 'expired')),
  raw_status TEXT,
  amount_captured INTEGER NOT NULL DEFAULT 0,
  amount_refunded INTEGER NOT NULL DEFAULT 0,
  failure_code TEXT,
  failure_message TEXT,
  -- JSON of the saved card reference (id, customer id, masked number): never a card number.
  saved_method TEXT,
  redirect_url TEXT,
  next_action TEXT,
  -- Sent with the gateway call; the same key on a retry after a crash cannot charge twice.
  idempotency_key TEXT NOT NULL UNIQUE,
  customer_email TEXT,
  note TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  last_checked_at INTEGER
);
CREATE UNIQUE INDEX payments_by_provider_id ON payments (provider, provider_payment_id)
  WHERE provider_payment_id IS NOT NULL;
CREATE INDEX payments_by_owner ON payments (owner_type, owner_id);
CREATE INDEX payments_open ON payments (status) WHERE status IN ('requires_action', 'processing', 'authorized');

-- Every status observation, applied or not: the audit trail behind "a duplicate changed nothing".
CREATE TABLE payment_events (
  id INTEGER PRIMARY KEY,
  payment_id INTEGER NOT NULL REFERENCES payments (id),
  source TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'unchanged', 'stale')),
  created_at INTEGER NOT NULL
);
CREATE INDEX payment_events_by_payment ON payment_events (payment_id);

-- Verified webhook deliveries. The body hash recognizes a redelivery of the same bytes.
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  provider TEXT NOT NULL,
  body_sha256 TEXT NOT NULL,
  event_id TEXT,
  payment_id INTEGER REFERENCES payments (id),
  status TEXT,
  signed INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_by_hash ON webhook_deliveries (provider, body_sha256);

CREATE TABLE refunds (
  id INTEGER PRIMARY KEY,
  payment_id INTEGER NOT NULL REFERENCES payments (id),
  provider_refund_id TEXT,
  amount INTEGER,
  status TEXT NOT NULL,
  raw_status TEXT,
  idempotency_key TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

CREATE TABLE app_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Small facts a gateway's wiring must remember across restarts (an iPay order's payment hash,
-- a registered webhook's signing key). Written only by create-provider.ts.
CREATE TABLE provider_data (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

/**
 * Every app's first migration: the payment tables. The app's own tables come in its later
 * migrations (`enrollment-migrations.ts`, `subscription-migrations.ts`).
 */
export const PAYMENT_TABLES_MIGRATION: Migration = {
  id: 1,
  name: 'payments, webhook deliveries, refunds, settings',
  sql: PAYMENT_TABLES_SQL,
};

/** A row of `payments`. */
export interface PaymentRecord {
  id: number;
  reference: string;
  provider: string;
  providerPaymentId: string | null;
  ownerType: string;
  ownerId: number;
  purpose: string;
  amount: number;
  currency: string;
  captureMode: 'automatic' | 'manual';
  status: PaymentStatus;
  rawStatus: string | null;
  amountCaptured: number;
  amountRefunded: number;
  failureCode: string | null;
  failureMessage: string | null;
  savedMethod: SavedMethod | null;
  redirectUrl: string | null;
  nextAction: NextAction | null;
  idempotencyKey: string;
  customerEmail: string | null;
  note: string | null;
  createdAt: number;
  updatedAt: number;
  confirmedAt: number | null;
  lastCheckedAt: number | null;
}

/** What we learned about a payment from a trusted source (a verified webhook or the gateway's API). */
export interface PaymentObservation {
  status: PaymentStatus;
  rawStatus?: string | undefined;
  amountCaptured?: number | undefined;
  amountRefunded?: number | undefined;
  failure?: PaymentFailure | undefined;
  savedMethod?: SavedMethod | undefined;
  providerPaymentId?: string | undefined;
  redirectUrl?: string | undefined;
  nextAction?: NextAction | undefined;
}

/** Where an observation came from (kept in `payment_events`). */
export type ObservationSource = 'create' | 'charge' | 'webhook' | 'return' | 'poll' | 'reconcile' | 'admin';

/** A payment's status change, handed to the app's listener inside the same transaction. */
export interface PaymentChange {
  payment: PaymentRecord;
  previousStatus: PaymentStatus;
  source: ObservationSource;
}

/** A verified webhook delivery and what it did (the admin pages list them). */
export interface WebhookDeliveryRecord {
  id: number;
  provider: string;
  eventId: string | null;
  paymentId: number | null;
  status: string | null;
  /** `false`: an unsigned callback, trusted only after fetching the payment from the gateway. */
  signed: boolean;
  /** `applied`, `unchanged`, `stale`, `duplicate`, `unknown payment` or `ignored <type>`. */
  outcome: string;
  receivedAt: number;
}

/** What {@link PaymentLedger.observe} did. */
export interface ObserveResult {
  /** `applied`: the row changed; `unchanged`: nothing new (a duplicate); `stale`: an older state, ignored. */
  outcome: 'applied' | 'unchanged' | 'stale';
  payment: PaymentRecord;
}

/** Input of {@link PaymentLedger.insert}. */
export interface NewPayment {
  reference: string;
  provider: string;
  ownerType: string;
  ownerId: number;
  purpose: string;
  amount: number;
  currency: string;
  captureMode?: 'automatic' | 'manual' | undefined;
  idempotencyKey: string;
  customerEmail?: string | null | undefined;
  status?: PaymentStatus | undefined;
  note?: string | undefined;
}

interface PaymentRow {
  id: number;
  reference: string;
  provider: string;
  provider_payment_id: string | null;
  owner_type: string;
  owner_id: number;
  purpose: string;
  amount: number;
  currency: string;
  capture_mode: 'automatic' | 'manual';
  status: PaymentStatus;
  raw_status: string | null;
  amount_captured: number;
  amount_refunded: number;
  failure_code: string | null;
  failure_message: string | null;
  saved_method: string | null;
  redirect_url: string | null;
  next_action: string | null;
  idempotency_key: string;
  customer_email: string | null;
  note: string | null;
  created_at: number;
  updated_at: number;
  confirmed_at: number | null;
  last_checked_at: number | null;
}

function toRecord(row: PaymentRow): PaymentRecord {
  return {
    id: row.id,
    reference: row.reference,
    provider: row.provider,
    providerPaymentId: row.provider_payment_id,
    ownerType: row.owner_type,
    ownerId: row.owner_id,
    purpose: row.purpose,
    amount: row.amount,
    currency: row.currency,
    captureMode: row.capture_mode,
    status: row.status,
    rawStatus: row.raw_status,
    amountCaptured: row.amount_captured,
    amountRefunded: row.amount_refunded,
    failureCode: row.failure_code,
    failureMessage: row.failure_message,
    savedMethod: row.saved_method ? (JSON.parse(row.saved_method) as SavedMethod) : null,
    redirectUrl: row.redirect_url,
    nextAction: row.next_action ? (JSON.parse(row.next_action) as NextAction) : null,
    idempotencyKey: row.idempotency_key,
    customerEmail: row.customer_email,
    note: row.note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    confirmedAt: row.confirmed_at,
    lastCheckedAt: row.last_checked_at,
  };
}

/** Statuses whose outcome is still open: reconciliation looks at these. */
export const OPEN_STATUSES: readonly PaymentStatus[] = ['requires_action', 'processing', 'authorized'];

/** Reduces a gateway {@link Payment} to what the ledger keeps. */
export function observationFromPayment(payment: Payment): PaymentObservation {
  return {
    status: payment.status,
    rawStatus: payment.rawStatus,
    amountCaptured: payment.amountCaptured,
    amountRefunded: payment.amountRefunded,
    failure: payment.failure,
    savedMethod: payment.savedMethod,
    providerPaymentId: payment.id,
    redirectUrl: payment.redirectUrl,
    nextAction: payment.nextAction,
  };
}

/**
 * The payments table and the one rule that keeps it honest: a payment's status only ever moves
 * forward ({@link canTransition}). Every source (the gateway's answer to create, a verified
 * webhook, the return page's fetch, reconciliation) goes through {@link PaymentLedger.observe},
 * so a duplicated delivery changes nothing and a late one never moves a paid payment back.
 * The app's listener runs inside the same SQLite transaction, so a status change and its effect
 * (an enrollment activated, a subscription extended) are committed together or not at all.
 */
export class PaymentLedger {
  private readonly listeners: Array<(change: PaymentChange) => void> = [];

  constructor(
    readonly db: SqliteDatabase,
    private readonly now: () => number,
  ) {}

  /** Runs `listener` (inside the transaction) whenever a payment's status or amounts change. */
  onChange(listener: (change: PaymentChange) => void): void {
    this.listeners.push(listener);
  }

  /** Records a payment attempt before the gateway is called, so a crash mid-call leaves a trace. */
  insert(input: NewPayment): PaymentRecord {
    const now = this.now();
    const status = input.status ?? 'requires_action';
    // Only offline payments an admin records start out paid.
    const paid = isPaid(status);
    const result = this.db
      .prepare(
        `INSERT INTO payments (reference, provider, owner_type, owner_id, purpose, amount, currency, capture_mode,
           status, idempotency_key, customer_email, note, amount_captured, confirmed_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.reference,
        input.provider,
        input.ownerType,
        input.ownerId,
        input.purpose,
        input.amount,
        input.currency,
        input.captureMode ?? 'automatic',
        status,
        input.idempotencyKey,
        input.customerEmail ?? null,
        input.note ?? null,
        paid ? input.amount : 0,
        paid ? now : null,
        now,
        now,
      );
    return this.get(Number(result.lastInsertRowid));
  }

  /** The payment with this row id (throws when missing). */
  get(id: number): PaymentRecord {
    const row = this.db.prepare('SELECT * FROM payments WHERE id = ?').get(id) as PaymentRow | undefined;
    if (!row) throw new Error(`No payment ${id}.`);
    return toRecord(row);
  }

  /** The payment sent with this idempotency key, if any. */
  findByIdempotencyKey(key: string): PaymentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM payments WHERE idempotency_key = ?').get(key) as
      | PaymentRow
      | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The payment with this reference, if any. */
  findByReference(reference: string): PaymentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM payments WHERE reference = ?').get(reference) as
      | PaymentRow
      | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The payment the gateway knows by `providerPaymentId`, if any. */
  findByProviderId(provider: string, providerPaymentId: string): PaymentRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM payments WHERE provider = ? AND provider_payment_id = ?')
      .get(provider, providerPaymentId) as PaymentRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** Payments of one owner (an enrollment, a subscription), newest first. */
  listForOwner(ownerType: string, ownerId: number): PaymentRecord[] {
    return (
      this.db
        .prepare('SELECT * FROM payments WHERE owner_type = ? AND owner_id = ? ORDER BY id DESC')
        .all(ownerType, ownerId) as PaymentRow[]
    ).map(toRecord);
  }

  /** The most recent payments, newest first. */
  listRecent(limit = 200): PaymentRecord[] {
    return (
      this.db.prepare('SELECT * FROM payments ORDER BY id DESC LIMIT ?').all(limit) as PaymentRow[]
    ).map(toRecord);
  }

  /** Payments still open (`requires_action`, `processing`, `authorized`) created before `createdBefore`. */
  listOpen(createdBefore: number): PaymentRecord[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM payments WHERE status IN ('requires_action', 'processing', 'authorized')
           AND created_at <= ? ORDER BY id`,
        )
        .all(createdBefore) as PaymentRow[]
    ).map(toRecord);
  }

  /** Notes that the gateway was asked about this payment (for throttling the return page's polling). */
  markChecked(id: number): void {
    this.db.prepare('UPDATE payments SET last_checked_at = ? WHERE id = ?').run(this.now(), id);
  }

  /**
   * Applies what a trusted source says about a payment, monotonically:
   * - the same status with nothing new is a duplicate: nothing changes;
   * - a status {@link canTransition} allows is applied (amounts only ever grow);
   * - any other status is older news than what we have (a reordered delivery): ignored.
   */
  observe(paymentId: number, observation: PaymentObservation, source: ObservationSource): ObserveResult {
    return this.db.transaction((): ObserveResult => {
      const current = this.get(paymentId);
      const next = observation.status;
      const sameStatus = next === current.status;
      if (!sameStatus && !canTransition(current.status, next)) {
        this.logEvent(current.id, source, current.status, next, 'stale');
        return { outcome: 'stale', payment: current };
      }
      const update = this.mergedFields(current, observation);
      const changed = Object.keys(update).some(
        (key) =>
          (update as Record<string, unknown>)[key] !==
          (currentColumns(current) as Record<string, unknown>)[key],
      );
      if (!changed) {
        // Polling and reconciliation ask again and again; only deliveries and admin actions that
        // changed nothing are worth a line in the audit trail.
        if (source !== 'poll' && source !== 'reconcile' && source !== 'return') {
          this.logEvent(current.id, source, current.status, next, 'unchanged');
        }
        return { outcome: 'unchanged', payment: current };
      }
      const now = this.now();
      const columns = Object.keys(update);
      this.db
        .prepare(
          `UPDATE payments SET ${columns.map((column) => `${column} = @${column}`).join(', ')}, updated_at = @updated_at WHERE id = @id`,
        )
        .run({ ...update, updated_at: now, id: current.id });
      const payment = this.get(current.id);
      this.logEvent(current.id, source, current.status, next, 'applied');
      for (const listener of this.listeners) listener({ payment, previousStatus: current.status, source });
      return { outcome: 'applied', payment };
    })();
  }

  private mergedFields(current: PaymentRecord, observation: PaymentObservation): Record<string, unknown> {
    const status = observation.status;
    let captured = Math.max(current.amountCaptured, observation.amountCaptured ?? 0);
    // "captured" means paid in full; some webhooks carry the status without amounts.
    if (isPaid(status) && captured === 0) captured = current.amount;
    let refunded = Math.max(current.amountRefunded, observation.amountRefunded ?? 0);
    if (status === 'refunded' && refunded === 0) refunded = captured;
    const settled = isPaid(status) || status === 'authorized';
    const fields: Record<string, unknown> = {
      status,
      raw_status: observation.rawStatus ?? current.rawStatus,
      amount_captured: captured,
      amount_refunded: refunded,
      // A failure is kept while the payment is open too (a declined attempt on a hosted page
      // that lets the customer try another card), and cleared once money is held or taken.
      failure_code: settled
        ? null
        : (observation.failure?.code ?? current.failureCode ?? (status === 'failed' ? 'unknown' : null)),
      failure_message: settled
        ? null
        : (observation.failure?.message ??
          current.failureMessage ??
          (status === 'failed' ? 'The payment failed.' : null)),
      saved_method: observation.savedMethod
        ? JSON.stringify(safeSavedMethod(observation.savedMethod))
        : current.savedMethod
          ? JSON.stringify(current.savedMethod)
          : null,
      provider_payment_id: current.providerPaymentId ?? observation.providerPaymentId ?? null,
      redirect_url: observation.redirectUrl ?? current.redirectUrl,
      next_action: observation.nextAction
        ? JSON.stringify(observation.nextAction)
        : current.nextAction
          ? JSON.stringify(current.nextAction)
          : null,
      confirmed_at: current.confirmedAt ?? (isPaid(status) || status === 'authorized' ? this.now() : null),
    };
    return fields;
  }

  private logEvent(
    paymentId: number,
    source: ObservationSource,
    from: PaymentStatus,
    to: PaymentStatus,
    outcome: ObserveResult['outcome'],
  ): void {
    this.db
      .prepare(
        'INSERT INTO payment_events (payment_id, source, from_status, to_status, outcome, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(paymentId, source, from, to, outcome, this.now());
  }

  /** The audit trail of one payment, oldest first. */
  events(
    paymentId: number,
  ): Array<{ source: string; fromStatus: string; toStatus: string; outcome: string }> {
    return (
      this.db
        .prepare(
          'SELECT source, from_status, to_status, outcome FROM payment_events WHERE payment_id = ? ORDER BY id',
        )
        .all(paymentId) as Array<{ source: string; from_status: string; to_status: string; outcome: string }>
    ).map((row) => ({
      source: row.source,
      fromStatus: row.from_status,
      toStatus: row.to_status,
      outcome: row.outcome,
    }));
  }

  /** Whether a verified delivery with exactly these bytes was already processed. */
  webhookSeen(provider: string, bodySha256: string): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM webhook_deliveries WHERE provider = ? AND body_sha256 = ? LIMIT 1')
        .get(provider, bodySha256) !== undefined
    );
  }

  /** Records a verified webhook delivery and what it did. */
  recordWebhook(delivery: {
    provider: string;
    bodySha256: string;
    eventId?: string | undefined;
    paymentId?: number | undefined;
    status?: string | undefined;
    signed: boolean;
    outcome: string;
  }): void {
    this.db
      .prepare(
        `INSERT INTO webhook_deliveries (provider, body_sha256, event_id, payment_id, status, signed, outcome, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        delivery.provider,
        delivery.bodySha256,
        delivery.eventId ?? null,
        delivery.paymentId ?? null,
        delivery.status ?? null,
        delivery.signed ? 1 : 0,
        delivery.outcome,
        this.now(),
      );
  }

  /** The latest webhook deliveries, newest first. */
  listWebhooks(limit = 50): WebhookDeliveryRecord[] {
    return (
      this.db.prepare('SELECT * FROM webhook_deliveries ORDER BY id DESC LIMIT ?').all(limit) as Array<{
        id: number;
        provider: string;
        event_id: string | null;
        payment_id: number | null;
        status: string | null;
        signed: number;
        outcome: string;
        received_at: number;
      }>
    ).map((row) => ({
      id: row.id,
      provider: row.provider,
      eventId: row.event_id,
      paymentId: row.payment_id,
      status: row.status,
      signed: row.signed === 1,
      outcome: row.outcome,
      receivedAt: row.received_at,
    }));
  }

  /** Records a refund request and the gateway's answer. */
  recordRefund(refund: {
    paymentId: number;
    providerRefundId?: string | undefined;
    amount?: number | undefined;
    status: string;
    rawStatus?: string | undefined;
    idempotencyKey: string;
  }): void {
    this.db
      .prepare(
        `INSERT INTO refunds (payment_id, provider_refund_id, amount, status, raw_status, idempotency_key, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        refund.paymentId,
        refund.providerRefundId ?? null,
        refund.amount ?? null,
        refund.status,
        refund.rawStatus ?? null,
        refund.idempotencyKey,
        this.now(),
      );
  }

  /** Number of refunds recorded for a payment (used to derive the next refund's idempotency key). */
  countRefunds(paymentId: number): number {
    return (
      this.db.prepare('SELECT COUNT(*) AS count FROM refunds WHERE payment_id = ?').get(paymentId) as {
        count: number;
      }
    ).count;
  }
}

function currentColumns(current: PaymentRecord): Record<string, unknown> {
  return {
    status: current.status,
    raw_status: current.rawStatus,
    amount_captured: current.amountCaptured,
    amount_refunded: current.amountRefunded,
    failure_code: current.failureCode,
    failure_message: current.failureMessage,
    saved_method: current.savedMethod ? JSON.stringify(current.savedMethod) : null,
    provider_payment_id: current.providerPaymentId,
    redirect_url: current.redirectUrl,
    next_action: current.nextAction ? JSON.stringify(current.nextAction) : null,
    confirmed_at: current.confirmedAt,
  };
}

// Only what is needed to charge the card again and to show it: never anything else a gateway sends.
function safeSavedMethod(method: SavedMethod): SavedMethod {
  return {
    id: method.id,
    ...(method.customerId ? { customerId: method.customerId } : {}),
    ...(method.usage ? { usage: method.usage } : {}),
    ...(method.maskedPan ? { maskedPan: method.maskedPan } : {}),
    ...(method.brand ? { brand: method.brand } : {}),
    ...(method.expiry ? { expiry: method.expiry } : {}),
  };
}
