import { createHash } from 'node:crypto';
import {
  ColchisError,
  type HeadersLike,
  type NextAction,
  type Payment,
  type PaymentProvider,
  SignatureVerificationError,
  type WebhookEvent,
} from '@colchis/core';
import { describeError } from './describe-error.js';
import {
  type ObservationSource,
  type ObserveResult,
  OPEN_STATUSES,
  observationFromPayment,
  type PaymentLedger,
  type PaymentObservation,
  type PaymentRecord,
} from './payment-ledger.js';

/** What the webhook endpoint answers. */
export interface WebhookResponse {
  status: number;
  body: string;
}

/** What the customer is told when `createPayment` failed (see {@link PaymentSync.recordNotStarted}). */
export const PAYMENT_NOT_STARTED_MESSAGE =
  'The payment could not be started. Nothing was charged; please try again.';

/** Summary of one reconciliation run. */
export interface ReconcileSummary {
  checked: number;
  changed: number;
  failedToCheck: number;
}

/**
 * Keeps the ledger in step with the gateway: verified webhooks, the return page's confirmation
 * and the reconciliation job all end in {@link PaymentLedger.observe}. Nothing here trusts the
 * browser: a return URL only tells us which payment to ask the gateway about.
 */
export class PaymentSync {
  private readonly inflightChecks = new Map<number, Promise<PaymentRecord>>();
  private readonly reportedFailures = new Set<number>();

  constructor(
    private readonly ledger: PaymentLedger,
    private readonly provider: PaymentProvider,
    private readonly options: {
      now: () => number;
      log: (line: string) => void;
      /** The return page polls; ask the gateway about one payment at most this often. Default 1000 ms. */
      minCheckIntervalMs?: number;
    },
  ) {}

  /** The provider id payments of this app are recorded under. */
  get providerId(): string {
    return this.provider.id;
  }

  /**
   * Handles one webhook delivery. The signature is checked on the exact bytes received, before
   * anything is parsed; a bad signature gets a 400 and changes nothing. A redelivery of bytes
   * already processed is acknowledged and ignored.
   */
  async handleWebhook(rawBody: Buffer, headers: HeadersLike): Promise<WebhookResponse> {
    let event: WebhookEvent;
    try {
      event = await this.provider.verifyWebhook({ rawBody: new Uint8Array(rawBody), headers });
    } catch (error) {
      if (SignatureVerificationError.isInstance(error)) {
        this.options.log(`webhook rejected: ${(error as Error).message}`);
        return { status: 400, body: 'invalid signature' };
      }
      if (ColchisError.isInstance(error) && (error as ColchisError).retryable) {
        // Unsigned callbacks are confirmed by fetching the payment; if that failed, ask the
        // gateway to deliver again later rather than acknowledging something we did not check.
        return { status: 503, body: 'could not confirm the payment yet' };
      }
      if (ColchisError.isInstance(error)) {
        this.options.log(`webhook refused: ${(error as Error).message}`);
        return { status: 400, body: 'unreadable webhook' };
      }
      throw error;
    }
    const bodySha256 = createHash('sha256').update(rawBody).digest('hex');
    const providerId = this.provider.id;
    if (this.ledger.webhookSeen(providerId, bodySha256)) {
      this.ledger.recordWebhook({
        provider: providerId,
        bodySha256,
        eventId: event.id,
        status: event.status,
        signed: event.signed,
        outcome: 'duplicate',
      });
      return { status: 200, body: 'duplicate ignored' };
    }
    if (event.type !== 'payment.updated' && event.type !== 'refund.updated') {
      this.ledger.recordWebhook({
        provider: providerId,
        bodySha256,
        eventId: event.id,
        signed: event.signed,
        outcome: `ignored ${event.type}`,
      });
      return { status: 200, body: 'ignored' };
    }
    const payment = this.findPayment(event.paymentId, event.reference);
    if (!payment) {
      this.ledger.recordWebhook({
        provider: providerId,
        bodySha256,
        eventId: event.id,
        status: event.status,
        signed: event.signed,
        outcome: 'unknown payment',
      });
      // Acknowledge: redelivering will not make the payment known. Reconciliation covers races.
      return { status: 200, body: 'unknown payment' };
    }
    const observation = await this.observationFromEvent(event, payment);
    const result = this.ledger.observe(payment.id, observation, 'webhook');
    this.ledger.recordWebhook({
      provider: providerId,
      bodySha256,
      eventId: event.id,
      paymentId: payment.id,
      status: observation.status,
      signed: event.signed,
      outcome: result.outcome,
    });
    return { status: 200, body: result.outcome };
  }

  private findPayment(
    providerPaymentId: string | undefined,
    reference: string | undefined,
  ): PaymentRecord | undefined {
    const byId = providerPaymentId
      ? this.ledger.findByProviderId(this.provider.id, providerPaymentId)
      : undefined;
    if (byId) return byId;
    const byReference = reference ? this.ledger.findByReference(reference) : undefined;
    // A reference match must not belong to another provider (a mis-routed delivery).
    return byReference && byReference.provider === this.provider.id ? byReference : undefined;
  }

  private async observationFromEvent(
    event: WebhookEvent,
    payment: PaymentRecord,
  ): Promise<PaymentObservation> {
    if (event.payment) return observationFromPayment(event.payment);
    const needsAmounts = event.status === 'partially_refunded';
    if (event.status && !needsAmounts) {
      return {
        status: event.status,
        rawStatus: event.rawStatus,
        providerPaymentId: event.paymentId,
        failure: event.failure,
      };
    }
    // The event says something changed but not enough to record it: ask the gateway.
    const id = event.paymentId ?? payment.providerPaymentId;
    if (!id) throw new Error(`Webhook for payment ${payment.reference} carries no gateway id.`);
    return observationFromPayment(await this.provider.getPayment(id));
  }

  /**
   * Asks the gateway for the payment's state and records it (the return page and the
   * reconciliation job call this). Concurrent calls for one payment share a single request, and
   * a payment is asked about at most once per `minCheckIntervalMs`.
   */
  async refresh(
    payment: PaymentRecord,
    source: ObservationSource,
    options: { force?: boolean } = {},
  ): Promise<PaymentRecord> {
    if (!payment.providerPaymentId) return payment;
    const minInterval = this.options.minCheckIntervalMs ?? 1000;
    if (
      !options.force &&
      payment.lastCheckedAt !== null &&
      this.options.now() - payment.lastCheckedAt < minInterval
    ) {
      return payment;
    }
    const existing = this.inflightChecks.get(payment.id);
    if (existing) return existing;
    const check = (async () => {
      try {
        const fresh = await this.provider.getPayment(payment.providerPaymentId as string);
        this.ledger.markChecked(payment.id);
        return this.ledger.observe(payment.id, observationFromPayment(fresh), source).payment;
      } finally {
        this.inflightChecks.delete(payment.id);
      }
    })();
    this.inflightChecks.set(payment.id, check);
    return check;
  }

  /** Records the gateway's answer to a call the app made (create, charge, capture, cancel). */
  record(payment: PaymentRecord, observation: PaymentObservation, source: ObservationSource): ObserveResult {
    return this.ledger.observe(payment.id, observation, source);
  }

  /**
   * Records the gateway's answer to `createPayment` and says where the customer goes next: the
   * hosted page (a GET redirect, or a form to post), or nowhere when the gateway settled the
   * payment without them (rare; the return page shows the outcome).
   */
  recordCreated(
    payment: PaymentRecord,
    created: Payment,
  ): { payment: PaymentRecord; action: NextAction | undefined } {
    const recorded = this.record(payment, observationFromPayment(created), 'create').payment;
    const action: NextAction | undefined =
      created.nextAction ??
      (created.redirectUrl ? { type: 'redirect', url: created.redirectUrl, method: 'GET' } : undefined);
    return { payment: recorded, action };
  }

  /**
   * `createPayment` threw: the customer never reached the hosted page, so nothing can have been
   * paid on this attempt. Records the attempt as failed and logs why; show the customer
   * {@link PAYMENT_NOT_STARTED_MESSAGE}.
   */
  recordNotStarted(payment: PaymentRecord, error: unknown): void {
    this.options.log(`createPayment ${payment.reference} failed: ${describeError(error)}`);
    this.record(
      payment,
      {
        status: 'failed',
        failure: { code: 'processing_error', message: 'The payment could not be started.' },
      },
      'create',
    );
  }

  /**
   * What the return page (and its poll) shows: the payment with this reference, if it belongs
   * to `ownerType`, after asking the gateway about it while its outcome is still open. The URL
   * the customer came back with is never trusted (gateways append `STATUS=...`, anyone can
   * forge it): it only says which payment to ask about. If the gateway cannot be reached, the
   * payment is shown as last known.
   */
  async confirm(
    reference: string,
    ownerType: string,
    source: 'return' | 'poll',
  ): Promise<PaymentRecord | undefined> {
    const payment = this.ledger.findByReference(reference);
    if (payment?.ownerType !== ownerType) return undefined;
    if (payment.status !== 'requires_action' && payment.status !== 'processing') return payment;
    try {
      return await this.refresh(payment, source);
    } catch (error) {
      // The poll asks every 1.5 s; the return page's failed check is the one worth a log line.
      if (source === 'return') this.options.log(`return ${reference}: ${describeError(error)}`);
      return payment;
    }
  }

  /**
   * Reconciliation: asks the gateway about every payment still open that was created at least
   * `graceMs` ago (its webhook had time to arrive and did not). This is what recovers a dropped
   * webhook, or a gateway with no webhooks at all, when the customer never came back.
   */
  async reconcile(options: { graceMs: number }): Promise<ReconcileSummary> {
    const summary: ReconcileSummary = { checked: 0, changed: 0, failedToCheck: 0 };
    const open = this.ledger.listOpen(this.options.now() - options.graceMs);
    for (const payment of open) {
      if (payment.provider !== this.provider.id || !payment.providerPaymentId) continue;
      if (!OPEN_STATUSES.includes(payment.status)) continue;
      try {
        const before = payment.status;
        const after = await this.refresh(payment, 'reconcile', { force: true });
        summary.checked++;
        if (after.status !== before) summary.changed++;
      } catch (error) {
        summary.failedToCheck++;
        // Said once per payment: the job runs every minute and the cause rarely changes.
        if (!this.reportedFailures.has(payment.id)) {
          this.reportedFailures.add(payment.id);
          this.options.log(`reconcile ${payment.reference}: ${(error as Error).message}`);
        }
      }
    }
    return summary;
  }
}
