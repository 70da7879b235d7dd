import {
  isPaid,
  type NextAction,
  type PaymentProvider,
  type PaymentStatus,
  toMinorUnits,
} from '@colchis/core';
import {
  formatMoney,
  newReference,
  PAYMENT_NOT_STARTED_MESSAGE,
  type PaymentChange,
  type PaymentLedger,
  type PaymentRecord,
  type PaymentSync,
  returnPath,
  type SqliteDatabase,
  UserFacingError,
} from '@colchis/example-shared';
import { addInterval, nextRetryAt } from './billing-calendar.js';
import { checkoutPrice, findPlan, type Plan, recurringPrice } from './plans.js';
import type { Customer, Subscription, SubscriptionStore } from './subscription-store.js';

/** What a customer-present payment (checkout, pay now, licence renewal) leads to. */
export type PayOutcome =
  | { kind: 'pay'; subscription: Subscription; payment: PaymentRecord; action: NextAction }
  | { kind: 'settled'; subscription: Subscription; payment: PaymentRecord }
  | { kind: 'error'; subscription: Subscription; message: string };

/** How a payment relates to its subscription. */
export type PaymentPurpose =
  /** Checkout: the first period, the deposit, or the licence; saves the card. */
  | 'first'
  /** A later period of a subscription. */
  | 'renewal'
  /** One installment of an installment plan. */
  | 'installment'
  /** Another year of a licence. */
  | 'licence';

/** `note` of payments the scheduler makes without the customer (merchant-initiated). */
export const OFF_SESSION = 'off_session';

const FAILED: readonly PaymentStatus[] = ['failed', 'expired', 'canceled'];

/**
 * The subscription rules. A subscription's dates and status change only when one of its payments
 * settles: the ledger calls {@link SubscriptionService.onPaymentChange} inside the same SQLite
 * transaction that records the payment, whichever path reported it (verified webhook, return
 * page, scheduler, reconciliation). Each payment settles once, so each period is counted once.
 */
export class SubscriptionService {
  constructor(
    private readonly deps: {
      db: SqliteDatabase;
      provider: PaymentProvider;
      ledger: PaymentLedger;
      sync: PaymentSync;
      store: SubscriptionStore;
      currency: string;
      now: () => number;
      baseUrl: () => string;
      log: (line: string) => void;
    },
  ) {
    deps.ledger.onChange((change) => {
      if (change.payment.ownerType === 'subscription') this.onPaymentChange(change);
    });
  }

  /** Starts a plan: a pending subscription and its first payment (which saves the card). */
  async checkout(customer: Customer, plan: Plan): Promise<PayOutcome> {
    const { store, currency } = this.deps;
    const subscription = store.create({
      customerId: customer.id,
      planId: plan.id,
      kind: plan.kind,
      amount: recurringPrice(plan, currency),
      currency,
      installmentsTotal: plan.kind === 'installments' ? plan.installments : undefined,
    });
    return this.startPayment(subscription, plan, 'first', checkoutPrice(plan, currency));
  }

  /** Another checkout attempt for a pending subscription (after a decline). */
  async retryCheckout(subscription: Subscription): Promise<PayOutcome> {
    if (subscription.status !== 'pending') throw new UserFacingError('This subscription is already paid.');
    const plan = this.plan(subscription);
    return this.startPayment(subscription, plan, 'first', checkoutPrice(plan, this.deps.currency));
  }

  /**
   * The customer pays the current period themselves on the hosted page: a past-due or lapsed
   * renewal, an installment, or another year of a licence.
   */
  async payNow(subscription: Subscription): Promise<PayOutcome> {
    const plan = this.plan(subscription);
    if (subscription.status === 'pending') return this.retryCheckout(subscription);
    if (subscription.status === 'canceled' || subscription.status === 'completed') {
      throw new UserFacingError(`This subscription is ${subscription.status}; there is nothing to pay.`);
    }
    return this.startPayment(subscription, plan, this.periodPurpose(subscription), subscription.amount);
  }

  /** Cancels: no further renewals; what was paid runs until the period ends. */
  cancel(subscription: Subscription): Subscription {
    if (!['pending', 'active', 'past_due'].includes(subscription.status)) {
      throw new UserFacingError(`This subscription is ${subscription.status} and cannot be canceled.`);
    }
    return this.deps.store.update(subscription.id, {
      status: 'canceled',
      nextChargeAt: null,
      canceledAt: this.deps.now(),
    });
  }

  /**
   * An admin records a payment received outside the gateway (cash, bank transfer). It pays one
   * period (or installment, or licence year), exactly like a successful charge.
   */
  recordOfflinePayment(
    subscription: Subscription,
    input: { amountText: string; method: string; note: string },
  ): string {
    const { ledger, db } = this.deps;
    const due =
      subscription.status === 'pending'
        ? checkoutPrice(this.plan(subscription), this.deps.currency)
        : subscription.amount;
    let amount: number;
    try {
      amount = toMinorUnits(input.amountText.trim(), subscription.currency);
    } catch (error) {
      throw new UserFacingError(
        `"${input.amountText}" is not an amount in ${subscription.currency}: ${(error as Error).message}`,
      );
    }
    if (amount !== due) {
      throw new UserFacingError(
        `An offline payment pays one period: ${formatMoney(due, subscription.currency)} (you entered ${formatMoney(amount, subscription.currency)}).`,
      );
    }
    if (subscription.status === 'canceled' || subscription.status === 'completed') {
      throw new UserFacingError(`Subscription ${subscription.id} is ${subscription.status}.`);
    }
    const method = ['cash', 'bank_transfer', 'other'].includes(input.method) ? input.method : 'other';
    const reference = newReference(`S${subscription.id}-offline`);
    db.transaction(() => {
      const payment = ledger.insert({
        reference,
        provider: 'offline',
        ownerType: 'subscription',
        ownerId: subscription.id,
        purpose: subscription.status === 'pending' ? 'first' : this.periodPurpose(subscription),
        amount,
        currency: subscription.currency,
        idempotencyKey: reference,
        customerEmail: subscription.email,
        status: 'captured',
        note: `offline ${method}${input.note.trim() ? `: ${input.note.trim().slice(0, 200)}` : ''}`,
      });
      this.applyPaid(this.deps.store.get(subscription.id), payment);
    })();
    return `Recorded an offline payment of ${formatMoney(amount, subscription.currency)} for subscription ${subscription.id}.`;
  }

  /**
   * An admin checked the gateway's dashboard and found that a renewal attempt whose answer was
   * lost charged nothing: the attempt counts as failed and the retry schedule continues.
   */
  abandonUnansweredAttempt(paymentId: number): string {
    const payment = this.deps.ledger.get(paymentId);
    if (
      payment.note !== OFF_SESSION ||
      payment.providerPaymentId ||
      !['processing', 'requires_action'].includes(payment.status)
    ) {
      throw new UserFacingError(`Payment ${payment.reference} is not an unanswered renewal attempt.`);
    }
    this.deps.sync.record(
      payment,
      {
        status: 'failed',
        failure: {
          code: 'processing_error',
          message: 'The gateway never answered; an admin confirmed nothing was charged.',
        },
      },
      'admin',
    );
    return `Attempt ${payment.reference} marked as not charged.`;
  }

  /** The ledger listener: applies a settled payment to its subscription. */
  onPaymentChange(change: PaymentChange): void {
    const { payment, previousStatus } = change;
    const subscription = this.deps.store.get(payment.ownerId);
    if (isPaid(payment.status) && !isPaid(previousStatus)) {
      this.applyPaid(subscription, payment);
    } else if (FAILED.includes(payment.status) && payment.status !== previousStatus) {
      // (An off-session attempt that asked for authentication was counted as failed already.)
      if (!(payment.note === OFF_SESSION && previousStatus === 'requires_action'))
        this.applyFailed(subscription, payment);
    } else if (
      payment.note === OFF_SESSION &&
      payment.status === 'requires_action' &&
      previousStatus === 'processing'
    ) {
      // The bank wants the cardholder to authenticate a charge made without them: that renewal
      // failed. The customer can still complete it (its link is on the account page), which
      // pays the period; meanwhile the retry schedule runs.
      this.applyFailed(subscription, payment);
    } else if (isPaid(payment.status) && payment.savedMethod && subscription.kind !== 'licence') {
      // The card reference can arrive after the payment settled (a later fetch): keep it.
      if (subscription.savedMethod?.id !== payment.savedMethod.id && payment.purpose === 'first') {
        this.deps.store.update(subscription.id, { savedMethod: payment.savedMethod });
      }
    }
  }

  private applyPaid(subscription: Subscription, payment: PaymentRecord): void {
    const { store, now } = this.deps;
    const plan = this.plan(subscription);
    const savedMethod =
      subscription.kind !== 'licence' && payment.savedMethod ? payment.savedMethod : undefined;
    if (payment.purpose === 'first') {
      if (subscription.status !== 'pending') {
        this.deps.log(
          `subscription ${subscription.id}: a second checkout payment ${payment.reference} was paid; admin review needed`,
        );
        return;
      }
      const start = now();
      const end = addInterval(start, plan.interval);
      store.update(subscription.id, {
        status: 'active',
        currentPeriodStart: start,
        currentPeriodEnd: end,
        nextChargeAt: subscription.kind === 'licence' ? null : end,
        cycle: 1,
        failedAttempts: 0,
        ...(savedMethod ? { savedMethod } : {}),
      });
      return;
    }
    // A later period: anchored to the previous period's end, so a retried or late payment does
    // not move the billing day. A lapsed or expired one starts again from today.
    const restart =
      subscription.status === 'lapsed' ||
      subscription.status === 'expired' ||
      subscription.currentPeriodEnd === null;
    const start = restart ? now() : (subscription.currentPeriodEnd as number);
    const end = addInterval(start, plan.interval);
    const canceled = subscription.status === 'canceled';
    if (subscription.kind === 'installments') {
      const paid = subscription.installmentsPaid + 1;
      const done = paid >= (subscription.installmentsTotal ?? 0);
      store.update(subscription.id, {
        status: canceled ? 'canceled' : done ? 'completed' : 'active',
        installmentsPaid: paid,
        cycle: subscription.cycle + 1,
        failedAttempts: 0,
        currentPeriodStart: start,
        currentPeriodEnd: end,
        nextChargeAt: canceled || done ? null : end,
        ...(savedMethod ? { savedMethod } : {}),
      });
      return;
    }
    store.update(subscription.id, {
      status: canceled ? 'canceled' : 'active',
      cycle: subscription.cycle + 1,
      failedAttempts: 0,
      currentPeriodStart: start,
      currentPeriodEnd: end,
      nextChargeAt: canceled || subscription.kind === 'licence' ? null : end,
      ...(savedMethod ? { savedMethod } : {}),
    });
  }

  private applyFailed(subscription: Subscription, payment: PaymentRecord): void {
    // A failed checkout or pay-now attempt changes nothing: the customer saw it and may retry.
    // Only the scheduler's attempts count towards the retry schedule.
    if (payment.note !== OFF_SESSION) return;
    if (subscription.status !== 'active' && subscription.status !== 'past_due') return;
    const failedAttempts = subscription.failedAttempts + 1;
    const retryAt = nextRetryAt(this.deps.now(), failedAttempts);
    this.deps.store.update(
      subscription.id,
      retryAt === undefined
        ? { status: 'lapsed', failedAttempts, nextChargeAt: null }
        : { status: 'past_due', failedAttempts, nextChargeAt: retryAt },
    );
  }

  /** The purpose of a payment for the subscription's next period. */
  periodPurpose(subscription: Subscription): PaymentPurpose {
    return subscription.kind === 'installments'
      ? 'installment'
      : subscription.kind === 'licence'
        ? 'licence'
        : 'renewal';
  }

  /** The plan of a subscription. */
  plan(subscription: Subscription): Plan {
    const plan = findPlan(subscription.planId);
    if (!plan) throw new Error(`Subscription ${subscription.id} has an unknown plan ${subscription.planId}.`);
    return plan;
  }

  private async startPayment(
    subscription: Subscription,
    plan: Plan,
    purpose: PaymentPurpose,
    amount: number,
  ): Promise<PayOutcome> {
    const { ledger, provider, sync, store, currency } = this.deps;
    const reference = newReference(`S${subscription.id}`);
    const payment = ledger.insert({
      reference,
      provider: provider.id,
      ownerType: 'subscription',
      ownerId: subscription.id,
      purpose,
      amount,
      currency,
      idempotencyKey: reference,
      customerEmail: subscription.email,
    });
    const base = this.deps.baseUrl();
    const returnUrl = `${base}${returnPath(reference)}`;
    // Renewals need a card the merchant may charge without the customer; a licence does not.
    const saveCard = plan.kind !== 'licence' && provider.capabilities.savedMethods;
    try {
      const created = await provider.createPayment({
        amount: { amount, currency },
        reference,
        description: describePurpose(plan, purpose),
        lineItems: [{ id: plan.id, name: describePurpose(plan, purpose), quantity: 1, unitAmount: amount }],
        customer: { id: `customer-${subscription.customerId}`, email: subscription.email },
        returnUrl,
        cancelUrl: returnUrl,
        webhookUrl: `${base}/webhooks/payments`,
        ...(saveCard ? { savePaymentMethod: 'off_session' as const } : {}),
        locale: 'en',
        idempotencyKey: reference,
        metadata: { subscription: String(subscription.id), purpose },
      });
      const { payment: recorded, action } = sync.recordCreated(payment, created);
      if (!action) return { kind: 'settled', subscription: store.get(subscription.id), payment: recorded };
      return { kind: 'pay', subscription: store.get(subscription.id), payment: recorded, action };
    } catch (error) {
      // The customer never reached the hosted page, so nothing can have been paid on this attempt.
      sync.recordNotStarted(payment, error);
      return {
        kind: 'error',
        subscription: store.get(subscription.id),
        message: PAYMENT_NOT_STARTED_MESSAGE,
      };
    }
  }
}

/** The line shown on the hosted page and the statement. */
export function describePurpose(plan: Plan, purpose: PaymentPurpose): string {
  switch (purpose) {
    case 'first':
      return plan.kind === 'installments'
        ? `${plan.name}: deposit`
        : `${plan.name}: first ${plan.interval.unit}`;
    case 'installment':
      return `${plan.name}: installment`;
    case 'licence':
      return `${plan.name}: another ${plan.interval.unit}`;
    default:
      return `${plan.name}: renewal`;
  }
}
