import {
  InvalidRequestError,
  NotFoundError,
  SignatureVerificationError,
  UnsupportedOperationError,
} from '../errors.js';
import { getHeader } from '../headers.js';
import { assertMinorUnits, normalizeCurrency } from '../money.js';
import { canTransition, type PaymentStatus } from '../payment-status.js';
import type {
  CaptureInput,
  ChargeSavedMethodInput,
  CreatePaymentInput,
  Payment,
  PaymentFailure,
  PaymentProvider,
  ProviderCapabilities,
  Refund,
  RefundInput,
  WebhookEvent,
} from '../payment-types.js';
import { bodyText, requireRawBody } from '../raw-body.js';
import { hmacSha256, verifyHmacSha256 } from '../webhook-crypto.js';

/** Settings of {@link createMockProvider}. */
export interface MockProviderSettings {
  /** Provider id reported on payments. Default `mock`. */
  id?: string;
  /** Override capabilities to test your code's handling of gateways that lack some. */
  capabilities?: Partial<ProviderCapabilities>;
  /** Secret used by `signWebhook`/`verifyWebhook`. Default `mock-webhook-secret`. */
  webhookSecret?: string;
  /** Base of the `redirectUrl` it hands out. Default `https://mock.colchis.test/pay`. */
  checkoutUrl?: string;
}

/** A recorded call to the mock provider. */
export interface MockProviderCall {
  method: keyof PaymentProvider;
  args: unknown[];
}

/** An in-memory {@link PaymentProvider} for your own tests, with controls to drive outcomes. */
export interface MockProvider extends PaymentProvider {
  /** Every call, in order. */
  readonly calls: MockProviderCall[];
  /** Moves a payment as the customer or gateway would: pay, authorize, decline, expire. */
  simulate(
    paymentId: string,
    outcome: 'captured' | 'authorized' | 'expired' | 'canceled' | { failed: PaymentFailure },
  ): Payment;
  /** Makes the next call of `method` reject with `error` (once). */
  failNext(method: keyof PaymentProvider, error: Error): void;
  /** A signed webhook for the payment's current state, ready for `verifyWebhook`. */
  signWebhook(paymentId: string): { rawBody: string; headers: Record<string, string> };
  /** Forgets every payment and call. */
  reset(): void;
}

/**
 * Creates an in-memory payment provider that behaves like a hosted-page gateway: `createPayment`
 * returns `requires_action` with a redirect URL; `simulate` plays the customer; refunds, captures,
 * cancels and saved-card charges follow the same rules as real providers (no refund beyond the
 * captured amount, no capture of an unauthorized payment). Webhooks are HMAC-signed.
 *
 * @example
 * ```ts
 * const provider = createMockProvider();
 * const payment = await provider.createPayment({ amount: { amount: 1000, currency: 'GEL' }, reference: 'order-1' });
 * provider.simulate(payment.id, 'captured');
 * await handleWebhook(provider.signWebhook(payment.id)); // your handler under test
 * ```
 */
export function createMockProvider(settings: MockProviderSettings = {}): MockProvider {
  const id = settings.id ?? 'mock';
  const secret = settings.webhookSecret ?? 'mock-webhook-secret';
  const checkoutUrl = settings.checkoutUrl ?? 'https://mock.colchis.test/pay';
  const capabilities: ProviderCapabilities = {
    manualCapture: true,
    partialCapture: true,
    cancel: true,
    refund: true,
    partialRefund: true,
    savedMethods: true,
    webhooks: 'signed',
    ...settings.capabilities,
  };
  const payments = new Map<string, Payment>();
  const calls: MockProviderCall[] = [];
  const failures = new Map<string, Error>();
  const idempotent = new Map<string, Payment>();
  let counter = 0;

  function record(method: keyof PaymentProvider, args: unknown[]): void {
    calls.push({ method, args });
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      throw failure;
    }
  }
  function find(paymentId: string): Payment {
    const payment = payments.get(paymentId);
    if (!payment) throw new NotFoundError(`No mock payment ${paymentId}.`, { provider: id, statusCode: 404 });
    return payment;
  }
  function move(payment: Payment, status: PaymentStatus): Payment {
    if (!canTransition(payment.status, status)) {
      throw new InvalidRequestError(
        `Mock payment ${payment.id} cannot move from ${payment.status} to ${status}.`,
        {
          provider: id,
        },
      );
    }
    payment.status = status;
    payment.rawStatus = status;
    return { ...payment };
  }
  function unsupported(operation: string): never {
    throw new UnsupportedOperationError(`The mock provider was configured without ${operation}.`, {
      provider: id,
    });
  }

  const provider: MockProvider = {
    id,
    capabilities,
    calls,
    async createPayment(input: CreatePaymentInput) {
      record('createPayment', [input]);
      assertMinorUnits(input.amount.amount);
      const currency = normalizeCurrency(input.amount.currency);
      const key = input.idempotencyKey;
      const existing = key ? idempotent.get(key) : undefined;
      if (existing) return { ...existing };
      const paymentId = `mock_${++counter}`;
      const url = `${checkoutUrl}/${paymentId}`;
      const payment: Payment = {
        provider: id,
        id: paymentId,
        status: 'requires_action',
        rawStatus: 'requires_action',
        amount: { amount: input.amount.amount, currency },
        amountCaptured: 0,
        amountRefunded: 0,
        reference: input.reference,
        redirectUrl: url,
        nextAction: { type: 'redirect', url, method: 'GET' },
        ...(input.savePaymentMethod
          ? {
              savedMethod: {
                id: `mock_card_${counter}`,
                usage:
                  input.savePaymentMethod === 'on_session'
                    ? ('on_session' as const)
                    : ('off_session' as const),
                maskedPan: '400000******0001',
              },
            }
          : {}),
        raw: { manual: input.capture === 'manual' },
      };
      payments.set(paymentId, payment);
      if (key) idempotent.set(key, payment);
      return { ...payment };
    },
    async getPayment(paymentId) {
      record('getPayment', [paymentId]);
      return { ...find(paymentId) };
    },
    async refund(paymentId, input: RefundInput = {}) {
      record('refund', [paymentId, input]);
      if (!capabilities.refund) unsupported('refunds');
      if (input.amount !== undefined && !capabilities.partialRefund) unsupported('partial refunds');
      const payment = find(paymentId);
      const remaining = payment.amountCaptured - payment.amountRefunded;
      const amount = input.amount ?? remaining;
      assertMinorUnits(amount, 'refund amount');
      if (amount <= 0 || amount > remaining) {
        throw new InvalidRequestError(`Refund of ${amount} exceeds the refundable ${remaining}.`, {
          provider: id,
        });
      }
      payment.amountRefunded += amount;
      move(payment, payment.amountRefunded === payment.amountCaptured ? 'refunded' : 'partially_refunded');
      const refund: Refund = {
        provider: id,
        id: `${paymentId}_refund_${payment.amountRefunded}`,
        paymentId,
        status: 'succeeded',
        rawStatus: 'succeeded',
        amount,
        currency: payment.amount.currency,
        raw: {},
      };
      return refund;
    },
    async capture(paymentId, input: CaptureInput = {}) {
      record('capture', [paymentId, input]);
      if (!capabilities.manualCapture) unsupported('manual capture');
      if (input.amount !== undefined && !capabilities.partialCapture) unsupported('partial capture');
      const payment = find(paymentId);
      if (payment.status !== 'authorized') {
        throw new InvalidRequestError(`Mock payment ${paymentId} is ${payment.status}, not authorized.`, {
          provider: id,
        });
      }
      const amount = input.amount ?? payment.amount.amount;
      assertMinorUnits(amount, 'capture amount');
      if (amount > payment.amount.amount) {
        throw new InvalidRequestError('Capture amount exceeds the authorized amount.', { provider: id });
      }
      payment.amountCaptured = amount;
      return move(payment, 'captured');
    },
    async cancel(paymentId) {
      record('cancel', [paymentId]);
      if (!capabilities.cancel) unsupported('cancel');
      return move(find(paymentId), 'canceled');
    },
    async chargeSavedMethod(input: ChargeSavedMethodInput) {
      record('chargeSavedMethod', [input]);
      if (!capabilities.savedMethods) unsupported('saved payment methods');
      assertMinorUnits(input.amount.amount);
      const paymentId = `mock_${++counter}`;
      const payment: Payment = {
        provider: id,
        id: paymentId,
        status: 'captured',
        rawStatus: 'captured',
        amount: { amount: input.amount.amount, currency: normalizeCurrency(input.amount.currency) },
        amountCaptured: input.amount.amount,
        amountRefunded: 0,
        reference: input.reference,
        savedMethod: { ...input.savedMethod },
        raw: {},
      };
      payments.set(paymentId, payment);
      return { ...payment };
    },
    async verifyWebhook(request) {
      record('verifyWebhook', [request]);
      const bytes = requireRawBody(request.rawBody, id);
      const signature = getHeader(request.headers, 'x-mock-signature');
      if (!signature) {
        throw new SignatureVerificationError('Missing X-Mock-Signature header.', { provider: id });
      }
      if (!(await verifyHmacSha256(bytes, secret, signature))) {
        throw new SignatureVerificationError('X-Mock-Signature does not match the body.', { provider: id });
      }
      const data = JSON.parse(bodyText(request.rawBody)) as {
        paymentId: string;
        status: PaymentStatus;
        reference?: string;
      };
      const event: WebhookEvent = {
        provider: id,
        type: 'payment.updated',
        paymentId: data.paymentId,
        reference: data.reference,
        status: data.status,
        rawStatus: data.status,
        signed: true,
        raw: data,
      };
      return event;
    },
    simulate(paymentId, outcome) {
      const payment = find(paymentId);
      if (typeof outcome === 'object') {
        payment.failure = outcome.failed;
        return move(payment, 'failed');
      }
      if (outcome === 'captured') payment.amountCaptured = payment.amount.amount;
      return move(payment, outcome);
    },
    failNext(method, error) {
      failures.set(method, error);
    },
    signWebhook(paymentId) {
      const payment = find(paymentId);
      const rawBody = JSON.stringify({ paymentId, status: payment.status, reference: payment.reference });
      return {
        rawBody,
        headers: { 'content-type': 'application/json', 'x-mock-signature': hmacSha256(secret, rawBody) },
      };
    },
    reset() {
      payments.clear();
      calls.length = 0;
      failures.clear();
      idempotent.clear();
      counter = 0;
    },
  };
  return provider;
}
