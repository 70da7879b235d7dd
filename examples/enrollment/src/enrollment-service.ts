import { type NextAction, type PaymentProvider, toDecimalString, toMinorUnits } from '@colchis/core';
import {
  formatMoney,
  newReference,
  OPEN_STATUSES,
  observationFromPayment,
  PAYMENT_NOT_STARTED_MESSAGE,
  type PaymentLedger,
  type PaymentRecord,
  type PaymentSync,
  returnPath,
  UserFacingError,
} from '@colchis/example-shared';
import { type Course, priceOf } from './courses.js';
import type { Enrollment, EnrollmentStatus, EnrollmentStore, Student } from './enrollment-store.js';

/** What happens after the customer clicks Enroll. */
export type EnrollOutcome =
  /** Send the customer to the gateway (a GET redirect or an auto-submitted POST form). */
  | { kind: 'pay'; enrollment: Enrollment; payment: PaymentRecord; action: NextAction }
  /** The gateway settled the payment without the customer (rare): show the return page. */
  | { kind: 'settled'; enrollment: Enrollment; payment: PaymentRecord }
  /** Already enrolled (or a seat already reserved): nothing to pay. */
  | { kind: 'already'; enrollment: Enrollment }
  /** The gateway refused to start the payment. Nothing was charged. */
  | { kind: 'error'; enrollment: Enrollment; message: string };

/**
 * The academy's rules: enrolling creates a pending enrollment and a payment attempt; the
 * enrollment's status is derived from its payments whenever one changes (inside the ledger's
 * transaction), so every path that learns about a payment (webhook, return page,
 * reconciliation, admin action) activates, refunds or releases the enrollment the same way.
 */
export class EnrollmentService {
  constructor(
    private readonly deps: {
      provider: PaymentProvider;
      ledger: PaymentLedger;
      sync: PaymentSync;
      store: EnrollmentStore;
      currency: string;
      baseUrl: () => string;
      log: (line: string) => void;
    },
  ) {
    deps.ledger.onChange((change) => {
      if (change.payment.ownerType === 'enrollment') this.recompute(change.payment.ownerId);
    });
  }

  /** Re-derives an enrollment's status from its payments. */
  recompute(enrollmentId: number): void {
    const { store, ledger } = this.deps;
    const enrollment = store.get(enrollmentId);
    const next = deriveEnrollmentStatus(enrollment.status, ledger.listForOwner('enrollment', enrollmentId));
    if (next === enrollment.status) return;
    const live = (status: EnrollmentStatus) =>
      status === 'pending' || status === 'awaiting_capture' || status === 'active';
    if (live(next) && !live(enrollment.status)) {
      const other = store.findLive(enrollment.studentId, enrollment.courseId);
      if (other && other.id !== enrollment.id) {
        // A late payment revived an old enrollment while a newer one is live: keep both
        // records as they are (the payment itself is recorded) and let an admin refund one.
        this.deps.log(
          `enrollment ${enrollment.id}: paid while enrollment ${other.id} is live; admin review needed`,
        );
        return;
      }
    }
    store.setStatus(enrollmentId, next);
  }

  /** Starts (or resumes) an enrollment and its payment. */
  async enroll(student: Student, course: Course): Promise<EnrollOutcome> {
    const { store, ledger, sync, provider, currency } = this.deps;
    const amount = priceOf(course, currency);
    let enrollment = store.findLive(student.id, course.id);
    if (enrollment && enrollment.status !== 'pending') return { kind: 'already', enrollment };
    if (enrollment) {
      // An earlier attempt may have been paid meanwhile (the back button, a second tab): ask
      // the gateway before starting another payment.
      for (const previous of ledger.listForOwner('enrollment', enrollment.id)) {
        if (!OPEN_STATUSES.includes(previous.status)) continue;
        await sync.refresh(previous, 'poll', { force: true }).catch(() => undefined);
      }
      enrollment = store.get(enrollment.id);
      if (enrollment.status !== 'pending') return { kind: 'already', enrollment };
    }
    enrollment ??= store.create({
      studentId: student.id,
      courseId: course.id,
      amount,
      currency,
      guest: student.guest,
    });
    const captureMode =
      course.capture === 'manual' && provider.capabilities.manualCapture ? 'manual' : 'automatic';
    const reference = newReference(`E${enrollment.id}`);
    const payment = ledger.insert({
      reference,
      provider: provider.id,
      ownerType: 'enrollment',
      ownerId: enrollment.id,
      purpose: 'enrollment',
      amount,
      currency,
      captureMode,
      idempotencyKey: reference,
      customerEmail: student.email,
    });
    const base = this.deps.baseUrl();
    try {
      const created = await provider.createPayment({
        amount: { amount, currency },
        reference,
        description: course.title,
        lineItems: [{ id: course.id, name: course.title, quantity: 1, unitAmount: amount }],
        customer: { id: `student-${student.id}`, email: student.email },
        returnUrl: `${base}${returnPath(reference)}`,
        cancelUrl: `${base}${returnPath(reference)}`,
        webhookUrl: `${base}/webhooks/payments`,
        capture: captureMode,
        locale: 'en',
        idempotencyKey: reference,
        metadata: { enrollment: String(enrollment.id), course: course.id },
      });
      const { payment: recorded, action } = sync.recordCreated(payment, created);
      if (!action) return { kind: 'settled', enrollment: store.get(enrollment.id), payment: recorded };
      return { kind: 'pay', enrollment: store.get(enrollment.id), payment: recorded, action };
    } catch (error) {
      // The customer never reached the hosted page, so nothing can have been paid on this attempt.
      sync.recordNotStarted(payment, error);
      return { kind: 'error', enrollment: store.get(enrollment.id), message: PAYMENT_NOT_STARTED_MESSAGE };
    }
  }

  /** Refunds all (empty amount) or part of a captured payment. `amountText` is in major units (`12.50`). */
  async refund(paymentId: number, amountText: string | undefined): Promise<string> {
    const { ledger, provider, sync } = this.deps;
    const payment = ledger.get(paymentId);
    if (!provider.capabilities.refund)
      throw new UserFacingError('This gateway does not support refunds through its API.');
    if (!payment.providerPaymentId) throw new UserFacingError('This payment never reached the gateway.');
    const refundable = payment.amountCaptured - payment.amountRefunded;
    if (refundable <= 0)
      throw new UserFacingError(`Payment ${payment.reference} has nothing left to refund.`);
    const amount = parseAmount(amountText, payment.currency);
    if (amount !== undefined) {
      if (amount <= 0 || amount > refundable) {
        throw new UserFacingError(
          `Refund between 0 and ${formatMoney(refundable, payment.currency)} (you asked for ${toDecimalString(amount, payment.currency)}).`,
        );
      }
      if (amount < refundable && !provider.capabilities.partialRefund) {
        throw new UserFacingError('This gateway only refunds the full amount.');
      }
    }
    // One key per refund request: a double click (or a retry after a timeout) cannot refund twice.
    const idempotencyKey = `${payment.reference}-refund-${ledger.countRefunds(payment.id) + 1}`;
    const refund = await provider.refund(
      payment.providerPaymentId,
      amount === undefined ? { idempotencyKey } : { amount, idempotencyKey },
    );
    ledger.recordRefund({
      paymentId: payment.id,
      providerRefundId: refund.id,
      amount: refund.amount ?? amount ?? refundable,
      status: refund.status,
      rawStatus: refund.rawStatus,
      idempotencyKey,
    });
    if (refund.status === 'succeeded') {
      // The gateway confirmed the refund in its answer. Record it now: some gateways (iPay)
      // never show refunds when the payment is fetched again.
      const refunded = payment.amountRefunded + (refund.amount ?? amount ?? refundable);
      sync.record(
        payment,
        {
          status: refunded >= payment.amountCaptured ? 'refunded' : 'partially_refunded',
          amountRefunded: refunded,
        },
        'admin',
      );
    }
    await sync.refresh(ledger.get(payment.id), 'admin', { force: true }).catch(() => undefined);
    return `Refund of ${formatMoney(amount ?? refundable, payment.currency)} for ${payment.reference}: ${refund.status}.`;
  }

  /** Captures all (empty amount) or part of an authorized payment. */
  async capture(paymentId: number, amountText: string | undefined): Promise<string> {
    const { provider, sync } = this.deps;
    const payment = this.authorized(paymentId);
    const amount = parseAmount(amountText, payment.currency);
    if (amount !== undefined && (amount <= 0 || amount > payment.amount)) {
      throw new UserFacingError(`Capture between 0 and ${formatMoney(payment.amount, payment.currency)}.`);
    }
    if (amount !== undefined && amount < payment.amount && !provider.capabilities.partialCapture) {
      throw new UserFacingError('This gateway only captures the full amount.');
    }
    const idempotencyKey = `${payment.reference}-capture`;
    const result = await provider.capture(
      payment.providerPaymentId as string,
      amount === undefined ? { idempotencyKey } : { amount, idempotencyKey },
    );
    const recorded = sync.record(payment, observationFromPayment(result), 'admin').payment;
    return `Capture of ${payment.reference}: ${recorded.status}.`;
  }

  /** Releases (voids) an authorized payment. */
  async cancelAuthorization(paymentId: number): Promise<string> {
    const { provider, sync } = this.deps;
    const payment = this.authorized(paymentId);
    if (!provider.capabilities.cancel)
      throw new UserFacingError('This gateway cannot cancel an authorization.');
    const result = await provider.cancel(payment.providerPaymentId as string, {
      idempotencyKey: `${payment.reference}-cancel`,
    });
    const recorded = sync.record(payment, observationFromPayment(result), 'admin').payment;
    return `Authorization ${payment.reference}: ${recorded.status}.`;
  }

  private authorized(paymentId: number): PaymentRecord {
    const payment = this.deps.ledger.get(paymentId);
    if (payment.status !== 'authorized' || !payment.providerPaymentId) {
      throw new UserFacingError(`Payment ${payment.reference} is ${payment.status}, not authorized.`);
    }
    return payment;
  }
}

/**
 * An enrollment's status from its payments: any money kept makes it active; a held
 * authorization reserves the seat; a full refund or a released authorization ends it;
 * otherwise (declined, expired, abandoned attempts) it waits for a successful retry.
 */
export function deriveEnrollmentStatus(
  current: EnrollmentStatus,
  payments: readonly PaymentRecord[],
): EnrollmentStatus {
  if (payments.some((payment) => payment.status === 'captured' || payment.status === 'partially_refunded')) {
    return 'active';
  }
  if (payments.some((payment) => payment.status === 'authorized')) return 'awaiting_capture';
  if (payments.some((payment) => payment.status === 'refunded')) return 'refunded';
  // A canceled payment that had been authorized is a released seat; a canceled hosted order
  // the customer walked away from is not, and the enrollment can still be paid.
  if (payments.some((payment) => payment.status === 'canceled' && payment.confirmedAt !== null))
    return 'released';
  return current === 'released' ? 'released' : 'pending';
}

function parseAmount(text: string | undefined, currency: string): number | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  try {
    return toMinorUnits(trimmed, currency);
  } catch (error) {
    throw new UserFacingError(`"${trimmed}" is not an amount in ${currency}: ${(error as Error).message}`);
  }
}
