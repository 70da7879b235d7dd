import { type Migration, PAYMENT_TABLES_MIGRATION } from '@colchis/example-shared';

/** The subscription app's schema, in order. Add a migration; never edit an applied one. */
export const SUBSCRIPTION_MIGRATIONS: readonly Migration[] = [
  PAYMENT_TABLES_MIGRATION,
  {
    id: 2,
    name: 'customers and subscriptions',
    sql: `
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at INTEGER NOT NULL
);
CREATE TABLE subscriptions (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  plan_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('subscription', 'installments', 'licence')),
  -- pending: first payment not confirmed; active; past_due: a renewal failed, retries scheduled;
  -- lapsed: retries used up; canceled: no more renewals; completed: every installment paid;
  -- expired: a licence ran out.
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'past_due', 'lapsed', 'canceled', 'completed', 'expired')),
  -- The recurring charge (a period, or one installment), integer minor units.
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  -- JSON of the saved card reference from the first payment (never a card number).
  saved_method TEXT,
  current_period_start INTEGER,
  current_period_end INTEGER,
  next_charge_at INTEGER,
  -- Periods (or installments) paid so far, the first one included. Names the idempotency key of
  -- each renewal attempt, so a crash and restart cannot charge a period twice.
  cycle INTEGER NOT NULL DEFAULT 0,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  installments_total INTEGER,
  installments_paid INTEGER NOT NULL DEFAULT 0,
  canceled_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX subscriptions_due ON subscriptions (next_charge_at) WHERE next_charge_at IS NOT NULL;
CREATE INDEX subscriptions_by_customer ON subscriptions (customer_id);
`,
  },
];
