import { hmacSha256 } from '@colchis/core';
import type { SandboxContext } from '../sandbox-context.js';
import { pythonJsonDumps } from './ioka-python-json.js';
import { IOKA_ACS_PASSWORD, iokaTestCard, maskPan } from './ioka-sandbox-cards.js';
import {
  cardOut,
  customerOut,
  type IokaCardRecord,
  type IokaCustomerRecord,
  type IokaEventRecord,
  type IokaOrderRecord,
  type IokaPayerRecord,
  type IokaPaymentRecord,
  type IokaRefundRecord,
  type IokaSubscriptionRecord,
  type IokaWebhookRecord,
  iokaId,
  iokaSecret,
  webhookOrderOut,
  webhookPaymentOut,
} from './ioka-sandbox-records.js';

/** An ioka business error: the HTTP status and the `{ code, message }` body. */
export class IokaSandboxError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Where a payment's card comes from. */
export type IokaCardSource =
  | { kind: 'card'; pan: string; expiry: string; holder?: string | undefined; save?: boolean | undefined }
  | {
      kind: 'saved';
      card: IokaCardRecord;
      /**
       * Charged without the customer (by `card_id` through the API, or by a subscription), not
       * confirmed by them on the checkout page: cards with a `merchantInitiatedError` decline.
       */
      merchantInitiated: boolean;
    };

// ioka auto-captures a held (two-stage) payment after about 48 hours ("usually 48 hours").
const AUTO_CAPTURE_MS = 48 * 3_600_000;
const DAY_MS = 86_400_000;

/** The ioka sandbox's state and rules: orders, payments, refunds, customers, cards, webhooks. */
export class IokaSandboxEngine {
  readonly orders = new Map<string, IokaOrderRecord>();
  readonly customers = new Map<string, IokaCustomerRecord>();
  readonly cards = new Map<string, IokaCardRecord>();
  readonly subscriptions = new Map<string, IokaSubscriptionRecord>();
  readonly webhooks = new Map<string, IokaWebhookRecord>();

  constructor(
    private readonly context: SandboxContext,
    /** `http://host:port/ioka`. */
    readonly base: string,
  ) {}

  now(): number {
    return this.context.clock.now();
  }

  reset(): void {
    this.orders.clear();
    this.customers.clear();
    this.cards.clear();
    this.subscriptions.clear();
    this.webhooks.clear();
  }

  orderCheckoutUrl(order: IokaOrderRecord): string {
    return `${this.base}/checkout/orders/${order.id}`;
  }

  customerCheckoutUrl(customer: IokaCustomerRecord): string {
    return `${this.base}/checkout/customers/${customer.id}`;
  }

  event(name: string, extra: Partial<IokaEventRecord> = {}): IokaEventRecord {
    return { id: iokaId('evt'), name, createdAt: this.now(), ...extra };
  }

  /** The order, with time-based changes (expiry, auto-capture) applied. @throws 404 OrderNotFound. */
  order(id: string): IokaOrderRecord {
    const order = this.orders.get(id);
    if (!order) throw new IokaSandboxError(404, 'OrderNotFound', `Order ${id} not found`);
    this.refresh(order, this.now());
    return order;
  }

  payment(order: IokaOrderRecord, id: string): IokaPaymentRecord {
    const payment = order.payments.find((item) => item.id === id);
    if (!payment) throw new IokaSandboxError(404, 'PaymentNotFound', `Payment ${id} not found`);
    return payment;
  }

  customer(id: string): IokaCustomerRecord {
    const customer = this.customers.get(id);
    if (!customer) throw new IokaSandboxError(404, 'CustomerNotFound', `Customer ${id} not found`);
    return customer;
  }

  card(customerId: string, cardId: string): IokaCardRecord {
    const card = this.cards.get(cardId);
    if (!card || card.customer_id !== customerId) {
      throw new IokaSandboxError(404, 'CardNotFound', `Card ${cardId} not found`);
    }
    return card;
  }

  /** Applies the clock: unpaid orders past `due_date` expire, holds older than ~48 h are captured. */
  refresh(order: IokaOrderRecord, now: number): void {
    if (order.status === 'UNPAID' && order.dueAt !== undefined && now >= order.dueAt) {
      order.status = 'EXPIRED';
      for (const payment of order.payments) {
        if (payment.status === 'REQUIRES_ACTION' || payment.status === 'PENDING') {
          this.decline(order, payment, { code: 'OrderExpired', message: 'The order expired' }, false);
        }
      }
      this.emit('ORDER_EXPIRED', order, undefined);
    }
    for (const payment of order.payments) {
      if (
        payment.status === 'APPROVED' &&
        payment.approvedAt !== undefined &&
        now - payment.approvedAt >= AUTO_CAPTURE_MS
      ) {
        this.capture(order, payment, payment.approved_amount);
      }
    }
  }

  /** Runs every time-based change (called when the sandbox clock advances). */
  tick(now: number): void {
    for (const order of this.orders.values()) this.refresh(order, now);
    for (const subscription of this.subscriptions.values()) this.runSubscription(subscription, now);
  }

  /** Starts a payment of an order with a card; returns it (approved, declined or awaiting 3-D Secure). */
  startPayment(order: IokaOrderRecord, source: IokaCardSource): IokaPaymentRecord {
    this.refresh(order, this.now());
    if (order.status === 'EXPIRED') throw new IokaSandboxError(400, 'OrderExpired', 'The order has expired');
    if (order.status !== 'UNPAID') {
      throw new IokaSandboxError(400, 'OrderHasApprovedPayment', 'The order already has an approved payment');
    }
    const started = order.payments.find(
      (item) => item.status === 'PENDING' || item.status === 'REQUIRES_ACTION',
    );
    if (started) {
      throw new IokaSandboxError(400, 'PaymentStarted', 'A payment of this order is in progress', {
        payment_id: started.id,
      });
    }
    if (order.attempts <= 0) {
      throw new IokaSandboxError(
        400,
        'OrderHasNoAttemptsLeftError',
        'The order has no payment attempts left',
      );
    }
    order.attempts -= 1;
    const pan = source.kind === 'card' ? source.pan : source.card.pan;
    const behaviour = iokaTestCard(pan);
    const payer: IokaPayerRecord = {
      pan_masked: maskPan(pan),
      expiry_date: source.kind === 'card' ? source.expiry : source.card.expiry_date,
      holder: (source.kind === 'card' ? source.holder : source.card.holder) || 'CARD HOLDER',
      payment_system: behaviour.brand,
      emitter: null,
      email: null,
      phone: null,
      customer_id: source.kind === 'saved' ? source.card.customer_id : null,
      card_id: source.kind === 'saved' ? source.card.id : null,
    };
    const payment: IokaPaymentRecord = {
      id: iokaId('pay'),
      order_id: order.id,
      status: 'PENDING',
      createdAt: this.now(),
      approved_amount: 0,
      captured_amount: 0,
      refunded_amount: 0,
      payer,
      error: null,
      actionUrl: null,
    };
    order.payments.push(payment);
    order.events.push(this.event('PAYMENT_CREATED', { payment_id: payment.id }));
    const saveFor =
      source.kind === 'card' && source.save && order.customer_id ? order.customer_id : undefined;
    const error =
      behaviour.error ??
      (source.kind === 'saved' && source.merchantInitiated ? behaviour.merchantInitiatedError : undefined);
    if (error) {
      this.decline(order, payment, error, true);
    } else if (behaviour.outcome === 'three_d_secure' && source.kind === 'card') {
      // Saved cards were authenticated when saved; a new card must pass 3-D Secure now.
      payment.status = 'REQUIRES_ACTION';
      payment.actionUrl = `${this.base}/checkout/payments/${payment.id}/3ds`;
      payment.saveCardFor = saveFor;
      payment.pendingPan = pan;
    } else {
      this.approve(order, payment, saveFor ? { customerId: saveFor, pan } : undefined);
    }
    return payment;
  }

  /** The 3-D Secure challenge's answer: the ACS password approves, anything else declines. */
  completeChallenge(order: IokaOrderRecord, payment: IokaPaymentRecord, password: string): void {
    if (payment.status !== 'REQUIRES_ACTION') return;
    payment.actionUrl = null;
    const pan = payment.pendingPan ?? '';
    const saveFor = payment.saveCardFor;
    payment.pendingPan = undefined;
    payment.saveCardFor = undefined;
    if (password === IOKA_ACS_PASSWORD) {
      this.approve(order, payment, saveFor ? { customerId: saveFor, pan } : undefined);
    } else {
      this.decline(
        order,
        payment,
        { code: 'AuthenticationFailed', message: '3-D Secure authentication failed' },
        true,
      );
    }
  }

  private approve(
    order: IokaOrderRecord,
    payment: IokaPaymentRecord,
    save: { customerId: string; pan: string } | undefined,
  ): void {
    if (save) {
      const card = this.saveCard(
        save.customerId,
        save.pan,
        payment.payer.expiry_date,
        payment.payer.holder,
        'APPROVED',
      );
      payment.payer.customer_id = card.customer_id;
      payment.payer.card_id = card.id;
    }
    payment.status = 'APPROVED';
    payment.approved_amount = order.amount;
    payment.approvedAt = this.now();
    order.events.push(this.event('PAYMENT_APPROVED', { payment_id: payment.id }));
    if (order.capture_method === 'MANUAL') {
      order.status = 'ON_HOLD';
      this.emit('PAYMENT_APPROVED', order, payment);
    } else {
      this.capture(order, payment, order.amount);
    }
  }

  private decline(
    order: IokaOrderRecord,
    payment: IokaPaymentRecord,
    error: { code: string; message: string },
    notify: boolean,
  ): void {
    payment.status = 'DECLINED';
    payment.error = { ...error };
    payment.actionUrl = null;
    order.events.push(this.event('PAYMENT_DECLINED', { payment_id: payment.id, ...error }));
    if (notify) this.emit('PAYMENT_DECLINED', order, payment);
  }

  /** Captures `amount` of an approved payment (full or partial). */
  capture(order: IokaOrderRecord, payment: IokaPaymentRecord, amount: number): void {
    if (payment.status !== 'APPROVED') {
      throw new IokaSandboxError(400, 'OrderHasNoApprovedPayment', 'The order has no approved payment');
    }
    if (amount > payment.approved_amount) {
      throw new IokaSandboxError(
        400,
        'PaymentCaptureAmountExceeded',
        `Capture amount ${amount} exceeds the approved ${payment.approved_amount}`,
      );
    }
    payment.status = 'CAPTURED';
    payment.captured_amount = amount;
    order.status = 'PAID';
    order.events.push(this.event('PAYMENT_CAPTURED', { payment_id: payment.id }));
    order.events.push(this.event('ORDER_PAID'));
    this.emit('PAYMENT_CAPTURED', order, payment);
  }

  /** Releases a held payment. */
  cancel(order: IokaOrderRecord, payment: IokaPaymentRecord): void {
    if (payment.status !== 'APPROVED') {
      throw new IokaSandboxError(400, 'OrderHasNoApprovedPayment', 'The order has no approved payment');
    }
    payment.status = 'CANCELLED';
    order.status = 'UNPAID';
    order.attempts = 0; // a canceled hold ends the order: it cannot be paid again
    order.events.push(this.event('PAYMENT_CANCELLED', { payment_id: payment.id }));
    order.events.push(this.event('ORDER_UNPAID'));
    this.emit('PAYMENT_CANCELLED', order, payment);
  }

  /** Refunds part or all of a captured payment. */
  refund(
    order: IokaOrderRecord,
    payment: IokaPaymentRecord | undefined,
    amount: number,
    reason: string | null,
  ) {
    if (payment?.status !== 'CAPTURED') {
      throw new IokaSandboxError(400, 'OrderUnpaid', 'The order is not paid');
    }
    if (payment.refunded_amount + amount > payment.captured_amount) {
      throw new IokaSandboxError(
        400,
        'PaymentRefundAmountExceededError',
        `Refund of ${amount} exceeds the refundable ${payment.captured_amount - payment.refunded_amount}`,
      );
    }
    payment.refunded_amount += amount;
    const refund: IokaRefundRecord = {
      id: iokaId('rfd'),
      payment_id: payment.id,
      order_id: order.id,
      status: 'APPROVED',
      amount,
      createdAt: this.now(),
      reason,
    };
    order.refunds.push(refund);
    order.events.push(this.event('REFUND_PENDING', { payment_id: payment.id, refund_id: refund.id }));
    order.events.push(this.event('REFUND_APPROVED', { payment_id: payment.id, refund_id: refund.id }));
    return refund;
  }

  /** Saves a card for a customer (status given), recording the customer's history. */
  saveCard(
    customerId: string,
    pan: string,
    expiry: string,
    holder: string,
    status: IokaCardRecord['status'],
  ): IokaCardRecord {
    const customer = this.customer(customerId);
    const behaviour = iokaTestCard(pan);
    const card: IokaCardRecord = {
      id: iokaId(undefined, 'mixed'),
      customer_id: customerId,
      status,
      createdAt: this.now(),
      pan,
      pan_masked: maskPan(pan),
      expiry_date: expiry,
      holder,
      payment_system: behaviour.brand,
      cvc_required: false,
      error: null,
      actionUrl: null,
    };
    this.cards.set(card.id, card);
    customer.events.push(this.event('CARD_CREATED', { card_id: card.id }));
    if (status === 'APPROVED') this.cardApproved(customer, card, false);
    return card;
  }

  /** Starts saving a card on the card-save page (no payment): approved, declined or 3-D Secure. */
  startCardSave(customer: IokaCustomerRecord, pan: string, expiry: string, holder: string): IokaCardRecord {
    const behaviour = iokaTestCard(pan);
    const card = this.saveCard(customer.id, pan, expiry, holder, 'PENDING');
    if (behaviour.error) {
      this.cardDeclined(customer, card, behaviour.error);
    } else if (behaviour.outcome === 'three_d_secure') {
      card.status = 'REQUIRES_ACTION';
      card.actionUrl = `${this.base}/checkout/cards/${card.id}/3ds`;
      customer.events.push(this.event('CARD_ACTION_REQUIRED', { card_id: card.id }));
    } else {
      this.cardApproved(customer, card, true);
    }
    return card;
  }

  /** The card-save 3-D Secure challenge's answer. */
  completeCardChallenge(card: IokaCardRecord, password: string): void {
    if (card.status !== 'REQUIRES_ACTION') return;
    card.actionUrl = null;
    const customer = this.customer(card.customer_id);
    if (password === IOKA_ACS_PASSWORD) this.cardApproved(customer, card, true);
    else
      this.cardDeclined(customer, card, {
        code: 'AuthenticationFailed',
        message: '3-D Secure authentication failed',
      });
  }

  private cardApproved(customer: IokaCustomerRecord, card: IokaCardRecord, notify: boolean): void {
    card.status = 'APPROVED';
    customer.events.push(this.event('CARD_APPROVED', { card_id: card.id }));
    if (customer.status !== 'READY') {
      customer.status = 'READY';
      customer.events.push(this.event('CUSTOMER_READY'));
    }
    if (notify) this.emitCard('CARD_APPROVED', customer, card);
  }

  private cardDeclined(
    customer: IokaCustomerRecord,
    card: IokaCardRecord,
    error: { code: string; message: string },
  ) {
    card.status = 'DECLINED';
    card.error = { ...error };
    customer.events.push(this.event('CARD_DECLINED', { card_id: card.id, ...error }));
    this.emitCard('CARD_DECLINED', customer, card);
  }

  /** Charges due subscriptions: one order and payment per period, declines pause nothing. */
  private runSubscription(subscription: IokaSubscriptionRecord, now: number): void {
    let guard = 0;
    while (subscription.status === 'ACTIVE' && subscription.nextPayAt <= now && guard++ < 100) {
      const card = this.cards.get(subscription.card_id);
      const order = this.newOrder({
        amount: subscription.amount,
        capture_method: 'AUTO',
        external_id: null,
        description: subscription.description,
        customer_id: subscription.customer_id,
        card_id: subscription.card_id,
      });
      order.subscription_id = subscription.id;
      if (card) {
        const payment = this.startPayment(order, { kind: 'saved', card, merchantInitiated: true });
        subscription.payments.push(payment);
      }
      subscription.nextPayAt = advanceSchedule(subscription.nextPayAt, subscription.step, subscription.unit);
    }
  }

  /** Creates an order record (validation is the route's job). */
  newOrder(fields: Partial<IokaOrderRecord> & { amount: number }): IokaOrderRecord {
    const order: IokaOrderRecord = {
      id: iokaId('ord'),
      status: 'UNPAID',
      createdAt: this.now(),
      currency: 'KZT',
      capture_method: 'AUTO',
      external_id: null,
      description: null,
      extra_info: null,
      attempts: 10,
      due_date: null,
      dueAt: undefined,
      customer_id: null,
      card_id: null,
      back_url: null,
      success_url: null,
      failure_url: null,
      template: null,
      payments: [],
      refunds: [],
      events: [],
      ...fields,
      access_token: '',
    };
    order.access_token = `${order.id}_secret_${iokaSecret(16)}`;
    order.events.push(this.event('ORDER_CREATED'));
    this.orders.set(order.id, order);
    return order;
  }

  /** Sends `name` to every active webhook subscribed to it, signed like ioka signs. */
  emit(name: string, order: IokaOrderRecord, payment: IokaPaymentRecord | undefined): void {
    this.deliver(name, (eventName) => ({
      event: eventName,
      order: webhookOrderOut(order),
      ...(payment ? { payment: webhookPaymentOut(payment) } : {}),
    }));
  }

  private emitCard(name: string, customer: IokaCustomerRecord, card: IokaCardRecord): void {
    this.deliver(name, (eventName) => ({
      event: eventName,
      customer: customerOut(customer, this.customerCheckoutUrl(customer)),
      card: cardOut(card),
    }));
  }

  private deliver(name: string, payloadFor: (eventName: string) => Record<string, unknown>): void {
    for (const webhook of this.webhooks.values()) {
      if (!webhook.active) continue;
      // ioka's docs spell the cancel event both ways; send the spelling the webhook asked for.
      const eventName =
        name === 'PAYMENT_CANCELLED' &&
        !webhook.events.includes(name) &&
        webhook.events.includes('PAYMENT_CANCELED')
          ? 'PAYMENT_CANCELED'
          : name;
      if (!webhook.events.includes(eventName)) continue;
      const payload = payloadFor(eventName);
      // Sent like ioka's Python sender writes it (unsorted, ", " separators, \u escapes); signed
      // over the canonical form: sorted keys, the same separators, raw UTF-8.
      const body = pythonJsonDumps(payload, { sortKeys: false, ensureAscii: true });
      const signature = hmacSha256(
        webhook.key,
        pythonJsonDumps(payload, { sortKeys: true, ensureAscii: false }),
      );
      this.context.webhooks.enqueue({
        gateway: 'ioka',
        url: webhook.url,
        body,
        headers: { 'content-type': 'application/json', 'x-signature': signature },
      });
    }
  }
}

/** The next charge date of a schedule. */
export function advanceSchedule(from: number, step: number, unit: 'DAY' | 'WEEK' | 'MONTH'): number {
  if (unit === 'DAY') return from + step * DAY_MS;
  if (unit === 'WEEK') return from + step * 7 * DAY_MS;
  const date = new Date(from);
  date.setUTCMonth(date.getUTCMonth() + step);
  return date.getTime();
}
