import { ColchisError, type FailureCode, PaymentDeclinedError, type PaymentProvider } from '@colchis/core';
import {
  describeError,
  observationFromPayment,
  type PaymentLedger,
  type PaymentRecord,
  type PaymentSync,
} from '@colchis/example-shared';
import { describePurpose, OFF_SESSION, type SubscriptionService } from './subscription-service.js';
import type { Subscription, SubscriptionStore } from './subscription-store.js';

/** What one billing run did. */
export interface BillingSummary {
  charged: number;
  expired: number;
  skipped: number;
}

// A charge whose outcome we never learned (the connection dropped) is sent again, with the same
// idempotency key, once it has been open this long without the gateway's id or a webhook.
const UNANSWERED_CHARGE_RESEND_MS = 60 * 60 * 1000;

const FAILURE_CODES: readonly FailureCode[] = [
  'card_declined',
  'insufficient_funds',
  'expired_card',
  'incorrect_cvc',
  'incorrect_number',
  'authentication_failed',
  'fraud_suspected',
  'limit_exceeded',
  'card_not_supported',
  'do_not_honor',
  'expired',
  'processing_error',
];

/**
 * Charges what is due. Runs on a timer and whenever the sandbox clock jumps. Each attempt is a
 * payment row written before the gateway is called, with an idempotency key naming the
 * subscription, the period and the attempt (`S12-c3-a1`): a crash between the call and the
 * answer, or two overlapping runs, cannot charge a period twice.
 */
export class BillingScheduler {
  private running: Promise<BillingSummary> | undefined;

  constructor(
    private readonly deps: {
      provider: PaymentProvider;
      ledger: PaymentLedger;
      sync: PaymentSync;
      store: SubscriptionStore;
      service: SubscriptionService;
      now: () => number;
      baseUrl: () => string;
      log: (line: string) => void;
      /** Resend a charge whose answer was lost, with the same idempotency key (see ExampleAppOptions). */
      resendUnansweredCharges: boolean;
    },
  ) {}

  /** Runs billing once (concurrent calls share the run in progress). */
  run(): Promise<BillingSummary> {
    this.running ??= this.runOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Waits for a run in progress. */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async runOnce(): Promise<BillingSummary> {
    const { store, ledger, now } = this.deps;
    const summary: BillingSummary = { charged: 0, expired: 0, skipped: 0 };
    for (const licence of store.listExpiredLicences(now())) {
      store.update(licence.id, { status: 'expired', nextChargeAt: null });
      summary.expired++;
    }
    for (const due of store.listDue(now())) {
      const subscription = store.get(due.id);
      // Re-read: an earlier charge in this run may have settled it through a fast webhook.
      if (subscription.nextChargeAt === null || subscription.nextChargeAt > now()) continue;
      if (subscription.status !== 'active' && subscription.status !== 'past_due') continue;
      const inFlight = ledger
        .listForOwner('subscription', subscription.id)
        // Waiting for the outcome of an earlier attempt (one that asked for authentication was
        // counted as failed and does not block the retries).
        .find((payment) => payment.note === OFF_SESSION && payment.status === 'processing');
      if (inFlight) {
        await this.followUp(subscription, inFlight);
        summary.skipped++;
        continue;
      }
      await this.charge(subscription);
      summary.charged++;
    }
    return summary;
  }

  /** An earlier attempt is still open: ask about it, or resend it when it was never answered. */
  private async followUp(subscription: Subscription, payment: PaymentRecord): Promise<void> {
    if (payment.providerPaymentId) {
      await this.deps.sync.refresh(payment, 'reconcile', { force: true }).catch(() => undefined);
    } else if (
      this.deps.resendUnansweredCharges &&
      this.deps.now() - payment.createdAt >= UNANSWERED_CHARGE_RESEND_MS
    ) {
      await this.send(subscription, payment);
    }
  }

  private async charge(subscription: Subscription): Promise<void> {
    const { ledger, service } = this.deps;
    const attempt = subscription.failedAttempts + 1;
    const period = subscription.cycle + 1;
    const idempotencyKey = `S${subscription.id}-c${period}-a${attempt}`;
    const existing = ledger.findByIdempotencyKey(idempotencyKey);
    if (existing) {
      // Written by a run that crashed before it recorded the answer: finish that one.
      if (existing.status === 'processing') await this.send(subscription, existing);
      return;
    }
    const payment = ledger.insert({
      reference: idempotencyKey,
      provider: this.deps.provider.id,
      ownerType: 'subscription',
      ownerId: subscription.id,
      purpose: service.periodPurpose(subscription),
      amount: subscription.amount,
      currency: subscription.currency,
      idempotencyKey,
      customerEmail: subscription.email,
      status: 'processing',
      note: OFF_SESSION,
    });
    await this.send(subscription, payment);
  }

  private async send(subscription: Subscription, payment: PaymentRecord): Promise<void> {
    const { provider, sync, service, log } = this.deps;
    const savedMethod = subscription.savedMethod;
    if (!savedMethod || !provider.capabilities.savedMethods) {
      // No card we may charge without the customer: this attempt fails, and the account page
      // asks the customer to pay; the retry schedule (and lapse) applies as for a decline.
      sync.record(
        payment,
        {
          status: 'failed',
          failure: {
            code: 'card_not_supported',
            message: 'No saved card to charge automatically. Pay from your account page.',
          },
        },
        'charge',
      );
      return;
    }
    try {
      const result = await provider.chargeSavedMethod({
        savedMethod,
        amount: { amount: payment.amount, currency: payment.currency },
        reference: payment.reference,
        description: describePurpose(service.plan(subscription), service.periodPurpose(subscription)),
        customer: { id: `customer-${subscription.customerId}`, email: subscription.email },
        webhookUrl: `${this.deps.baseUrl()}/webhooks/payments`,
        idempotencyKey: payment.idempotencyKey,
        metadata: { subscription: String(subscription.id), attempt: payment.idempotencyKey },
      });
      sync.record(payment, observationFromPayment(result), 'charge');
    } catch (error) {
      if (PaymentDeclinedError.isInstance(error)) {
        const declined = error as PaymentDeclinedError;
        const code = FAILURE_CODES.find((candidate) => candidate === declined.declineCode) ?? 'card_declined';
        sync.record(payment, { status: 'failed', failure: { code, message: declined.message } }, 'charge');
        return;
      }
      if (isUnknownOutcome(error)) {
        // The gateway may or may not have charged: keep the attempt open. Its webhook, the next
        // run or reconciliation settles it; it is resent (same key) only if nothing ever answers.
        log(`charge ${payment.reference}: outcome unknown (${describeError(error)}); will check again`);
        return;
      }
      // The gateway refused the request itself (bad input, no permission): nothing was charged.
      log(`charge ${payment.reference} refused: ${describeError(error)}`);
      sync.record(
        payment,
        { status: 'failed', failure: { code: 'processing_error', message: describeError(error) } },
        'charge',
      );
    }
  }
}

function isUnknownOutcome(error: unknown): boolean {
  if (!ColchisError.isInstance(error)) return true;
  const colchis = error as ColchisError;
  return (
    colchis.retryable ||
    ['ConnectionError', 'TimeoutError', 'GatewayError', 'ResponseValidationError', 'RateLimitError'].includes(
      colchis.type,
    )
  );
}
