import type { SandboxClock } from '../clock.js';
import { invalidRequest, missingParam, noSuch, StripeApiError } from './stripe-api-error.js';
import type { StripeEvents } from './stripe-events.js';
import { listParam, metadataParam, recordParam, type StripeParams, stringParam } from './stripe-form.js';
import type { StripeObject, StripeStore } from './stripe-store.js';
import {
  brandOf,
  findTestCard,
  findTestPaymentMethod,
  luhnValid,
  type StripeCardBehaviour,
} from './stripe-test-cards.js';

/** The API request that caused a change (for `event.request`). */
export interface StripeRequestContext {
  id: string;
  idempotencyKey?: string | undefined;
}

/** What a hosted-page payment attempt led to. */
export type CheckoutAttempt =
  | { kind: 'completed'; redirectUrl: string }
  | { kind: 'challenge'; intentId: string }
  | { kind: 'declined'; message: string };

// Uncaptured PaymentIntents are canceled 7 days after creation by default
// (https://docs.stripe.com/payments/place-a-hold-on-a-payment-method).
const HOLD_DAYS = 7;
const DAY_SECONDS = 86_400;
const CAPTURE_METHODS = new Set(['automatic', 'automatic_async', 'manual']);
const CANCELABLE = new Set([
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
]);
const CONFIRMABLE = new Set(['requires_payment_method', 'requires_confirmation', 'requires_action']);
const CANCELLATION_REASONS = new Set(['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned']);
const REFUND_REASONS = new Set(['duplicate', 'fraudulent', 'requested_by_customer']);

function integerParam(
  params: StripeParams,
  name: string,
  options: { required?: boolean } = {},
): number | undefined {
  const raw = stringParam(params, name);
  if (raw === undefined || raw === '') {
    if (options.required) throw missingParam(name);
    return undefined;
  }
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw invalidRequest(`Invalid integer: ${raw}`, name, 'parameter_invalid_integer');
  }
  return Number(raw);
}

function booleanParam(params: StripeParams, name: string): boolean | undefined {
  const raw = stringParam(params, name);
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${raw}`, name);
}

function currencyParam(params: StripeParams, name = 'currency'): string {
  const currency = stringParam(params, name);
  if (!currency) throw missingParam(name);
  if (!/^[a-zA-Z]{3}$/.test(currency)) throw invalidRequest(`Invalid currency: ${currency}.`, name);
  return currency.toLowerCase();
}

/** The emulated Stripe account: objects, their transitions and the events they emit. */
export class StripeBackend {
  constructor(
    private readonly store: StripeStore,
    private readonly clock: SandboxClock,
    private readonly events: StripeEvents,
    /** The sandbox's base URL (hosted pages live under `${baseUrl}/stripe`). */
    private readonly baseUrl: string,
  ) {}

  private now(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  // ---- rendering -------------------------------------------------------------------------

  /**
   * A copy of a stored object with `expand` applied: each path (`latest_charge`,
   * `payment_intent.latest_charge`) replaces an id by the object, as Stripe does.
   */
  render(object: StripeObject, expand: readonly string[] = []): StripeObject {
    const copy = structuredClone(this.publicCopy(object));
    for (const path of expand) this.expandPath(copy, path.split('.'), path);
    return copy;
  }

  private expandPath(target: Record<string, unknown>, segments: string[], path: string): void {
    const [field, ...rest] = segments;
    if (!field) return;
    if (!(field in target)) throw invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
    let value = target[field];
    if (value === null) return;
    if (typeof value === 'string') {
      const found = this.store.find(value);
      if (!found) throw invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
      value = structuredClone(this.publicCopy(found));
      target[field] = value;
    }
    if (rest.length > 0 && typeof value === 'object' && value !== null) {
      this.expandPath(value as Record<string, unknown>, rest, path);
    }
  }

  /** A Stripe list object. */
  listOf(items: StripeObject[], url: string, limit = 10): StripeObject {
    return {
      id: '',
      object: 'list',
      data: items.slice(0, limit),
      has_more: items.length > limit,
      url,
    };
  }

  get(id: string, object: string, resource: string, param = 'id'): StripeObject {
    const found = this.store.find(id, object);
    if (!found) throw noSuch(resource, id, param);
    return found;
  }

  // ---- customers -------------------------------------------------------------------------

  createCustomer(params: StripeParams, request: StripeRequestContext): StripeObject {
    const customer = this.store.put({
      id: this.store.newId('cus', 14),
      object: 'customer',
      address: null,
      balance: 0,
      created: this.now(),
      currency: null,
      default_source: null,
      delinquent: false,
      description: stringParam(params, 'description') ?? null,
      email: stringParam(params, 'email') ?? null,
      invoice_settings: {
        custom_fields: null,
        default_payment_method: null,
        footer: null,
        rendering_options: null,
      },
      livemode: false,
      metadata: metadataParam(params) ?? {},
      name: stringParam(params, 'name') ?? null,
      phone: stringParam(params, 'phone') ?? null,
      preferred_locales: [],
      shipping: null,
      tax_exempt: 'none',
      test_clock: null,
    });
    this.events.emit('customer.created', customer, request);
    const paymentMethod = stringParam(params, 'payment_method');
    if (paymentMethod) this.attach(paymentMethod, customer.id, request);
    return customer;
  }

  updateCustomer(id: string, params: StripeParams, request: StripeRequestContext): StripeObject {
    const customer = this.get(id, 'customer', 'customer');
    for (const field of ['email', 'name', 'phone', 'description'] as const) {
      const value = stringParam(params, field);
      if (value !== undefined) customer[field] = value === '' ? null : value;
    }
    const metadata = metadataParam(params);
    if (metadata) customer.metadata = mergeMetadata(customer.metadata, metadata);
    const settings = recordParam(params, 'invoice_settings');
    const defaultMethod = settings ? stringParam(settings, 'default_payment_method') : undefined;
    if (defaultMethod !== undefined) {
      if (defaultMethod !== '') this.get(defaultMethod, 'payment_method', 'PaymentMethod');
      (customer.invoice_settings as Record<string, unknown>).default_payment_method = defaultMethod || null;
    }
    this.events.emit('customer.updated', customer, request);
    return customer;
  }

  // ---- payment methods -------------------------------------------------------------------

  /** Creates a card PaymentMethod from a number (hosted page, or `card[number]` on the API). */
  createCardPaymentMethod(
    card: { number: string; expMonth: number; expYear: number },
    billingEmail: string | null = null,
  ): StripeObject {
    const number = card.number.replace(/[\s-]/g, '');
    if (!luhnValid(number)) {
      throw new StripeApiError(402, {
        type: 'card_error',
        code: 'incorrect_number',
        message: 'Your card number is incorrect.',
        param: 'card[number]',
        doc_url: 'https://stripe.com/docs/error-codes/incorrect-number',
      });
    }
    const brand = brandOf(number);
    const method = this.store.put({
      id: this.store.newId('pm'),
      object: 'payment_method',
      allow_redisplay: 'unspecified',
      billing_details: {
        address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
        email: billingEmail,
        name: null,
        phone: null,
      },
      card: {
        brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: 'US',
        display_brand: brand,
        exp_month: card.expMonth,
        exp_year: card.expYear,
        fingerprint: `fp${number.slice(-8)}`,
        funding: 'credit',
        generated_from: null,
        last4: number.slice(-4),
        networks: { available: [brand], preferred: null },
        three_d_secure_usage: { supported: true },
        wallet: null,
      },
      created: this.now(),
      customer: null,
      livemode: false,
      metadata: {},
      type: 'card',
    });
    this.store.cardNumbers.set(method.id, number);
    return method;
  }

  createPaymentMethod(params: StripeParams): StripeObject {
    const type = stringParam(params, 'type');
    if (!type) throw missingParam('type');
    if (type !== 'card')
      throw invalidRequest(`The sandbox only emulates card PaymentMethods, not ${type}.`, 'type');
    const card = recordParam(params, 'card');
    if (!card) throw missingParam('card');
    const token = stringParam(card, 'token');
    if (token) {
      const test = findTestPaymentMethod(`pm_card_${token.replace(/^tok_/, '')}`);
      if (!test) throw noSuch('token', token, 'card[token]');
      return this.createCardPaymentMethod({ number: test.number, expMonth: 12, expYear: 2034 });
    }
    const number = stringParam(card, 'number');
    if (!number) throw missingParam('card[number]');
    const expMonth = integerParam(card, 'exp_month', { required: true }) as number;
    const expYear = integerParam(card, 'exp_year', { required: true }) as number;
    return this.createCardPaymentMethod({
      number,
      expMonth,
      expYear: expYear < 100 ? 2000 + expYear : expYear,
    });
  }

  /** A stored PaymentMethod, or a fresh one for Stripe's test ids (`pm_card_visa`). */
  resolvePaymentMethod(id: string, param = 'payment_method'): StripeObject {
    const test = findTestPaymentMethod(id);
    if (test) return this.createCardPaymentMethod({ number: test.number, expMonth: 12, expYear: 2034 });
    return this.get(id, 'payment_method', 'PaymentMethod', param);
  }

  attach(id: string, customerId: string, request: StripeRequestContext): StripeObject {
    const customer = this.get(customerId, 'customer', 'customer', 'customer');
    const method = this.resolvePaymentMethod(id, 'payment_method');
    if (method.customer && method.customer !== customer.id) {
      throw invalidRequest(
        'The payment method you provided has already been attached to a customer.',
        'payment_method',
        'payment_method_unexpected_state',
      );
    }
    const behaviour = this.behaviourOf(method);
    if (behaviour.kind === 'decline') {
      // Stripe checks a card when it is attached: cards that always decline cannot be saved.
      throw this.cardError(behaviour, method, undefined, undefined);
    }
    if (method.customer !== customer.id) {
      method.customer = customer.id;
      this.events.emit('payment_method.attached', method, request);
    }
    return method;
  }

  detach(id: string, request: StripeRequestContext): StripeObject {
    const method = this.get(id, 'payment_method', 'PaymentMethod');
    if (!method.customer) {
      throw invalidRequest(
        'The payment method you provided is not attached to a customer so detachment is impossible.',
        undefined,
        'payment_method_unexpected_state',
      );
    }
    method.customer = null;
    this.store.setUpForOffSession.delete(method.id);
    this.events.emit('payment_method.detached', method, request);
    return method;
  }

  private behaviourOf(method: StripeObject): StripeCardBehaviour {
    const number = this.store.cardNumbers.get(method.id) ?? '';
    return findTestCard(number)?.behaviour ?? { kind: 'success' };
  }

  // ---- payment intents -------------------------------------------------------------------

  createPaymentIntent(params: StripeParams, request: StripeRequestContext): StripeObject {
    const amount = integerParam(params, 'amount', { required: true }) as number;
    const currency = currencyParam(params);
    if (amount < 1) throw invalidRequest('This value must be greater than or equal to 1.', 'amount');
    if (currency === 'usd' && amount < 50) {
      throw invalidRequest('Amount must be at least $0.50 usd', 'amount', 'amount_too_small');
    }
    const captureMethod = stringParam(params, 'capture_method') ?? 'automatic_async';
    if (!CAPTURE_METHODS.has(captureMethod)) {
      throw invalidRequest(
        `Invalid capture_method: must be one of automatic, automatic_async or manual`,
        'capture_method',
      );
    }
    const confirm = booleanParam(params, 'confirm') ?? false;
    const offSession = this.offSessionParam(params);
    if (offSession !== undefined && !confirm) {
      throw invalidRequest('off_session can only be used when confirm=true.', 'off_session');
    }
    const customerId = stringParam(params, 'customer') || null;
    if (customerId) this.get(customerId, 'customer', 'customer', 'customer');
    const setupFutureUsage = this.setupFutureUsageParam(params);
    const methodTypes = listParam(params, 'payment_method_types').filter(
      (item): item is string => typeof item === 'string',
    );
    const automatic = recordParam(params, 'automatic_payment_methods');
    const allowRedirects = automatic ? (stringParam(automatic, 'allow_redirects') ?? 'always') : undefined;
    const paymentMethodId = stringParam(params, 'payment_method');
    const method = paymentMethodId ? this.resolvePaymentMethod(paymentMethodId) : undefined;
    if (method && customerId && method.customer && method.customer !== customerId) {
      throw invalidRequest(
        `The provided PaymentMethod ${method.id} was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again.`,
        'payment_method',
      );
    }
    const id = this.store.newId('pi');
    const intent = this.store.put({
      id,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods:
        methodTypes.length > 0 ? null : { allow_redirects: allowRedirects ?? 'always', enabled: true },
      canceled_at: null,
      cancellation_reason: null,
      capture_method: captureMethod,
      client_secret: `${id}_secret_${this.store.newId('s').slice(2)}`,
      confirmation_method: stringParam(params, 'confirmation_method') ?? 'automatic',
      created: this.now(),
      currency,
      customer: customerId,
      description: stringParam(params, 'description') ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: metadataParam(params) ?? {},
      next_action: null,
      on_behalf_of: null,
      payment_method: method?.id ?? null,
      payment_method_options: {
        card: {
          installments: null,
          mandate_options: null,
          network: null,
          request_three_d_secure: 'automatic',
        },
      },
      payment_method_types: methodTypes.length > 0 ? methodTypes : ['card'],
      processing: null,
      receipt_email: stringParam(params, 'receipt_email') ?? null,
      review: null,
      setup_future_usage: setupFutureUsage,
      shipping: null,
      source: null,
      statement_descriptor: stringParam(params, 'statement_descriptor') ?? null,
      statement_descriptor_suffix: stringParam(params, 'statement_descriptor_suffix') ?? null,
      status: method ? 'requires_confirmation' : 'requires_payment_method',
      transfer_data: null,
      transfer_group: null,
    });
    this.events.emit('payment_intent.created', intent, request);
    if (confirm) {
      this.confirmPaymentIntent(intent, params, request);
    }
    return intent;
  }

  updatePaymentIntent(id: string, params: StripeParams, request: StripeRequestContext): StripeObject {
    const intent = this.get(id, 'payment_intent', 'payment_intent');
    if (!CONFIRMABLE.has(intent.status as string) && stringParam(params, 'amount') !== undefined) {
      throw invalidRequest(
        `This PaymentIntent's amount could not be updated because it has a status of ${intent.status}.`,
        'amount',
        'payment_intent_unexpected_state',
      );
    }
    const amount = integerParam(params, 'amount');
    if (amount !== undefined) intent.amount = amount;
    const description = stringParam(params, 'description');
    if (description !== undefined) intent.description = description || null;
    const metadata = metadataParam(params);
    if (metadata) intent.metadata = mergeMetadata(intent.metadata, metadata);
    this.events.emit('payment_intent.updated' as string, intent, request);
    return intent;
  }

  private offSessionParam(params: StripeParams): boolean | undefined {
    const raw = stringParam(params, 'off_session');
    if (raw === undefined || raw === '') return undefined;
    if (raw === 'one_off' || raw === 'recurring') return true;
    return booleanParam(params, 'off_session');
  }

  private setupFutureUsageParam(params: StripeParams): string | null {
    const value = stringParam(params, 'setup_future_usage');
    if (value === undefined || value === '') return null;
    if (value !== 'on_session' && value !== 'off_session') {
      throw invalidRequest(
        'Invalid setup_future_usage: must be one of on_session or off_session',
        'setup_future_usage',
      );
    }
    return value;
  }

  /**
   * Confirms a PaymentIntent with its (or the given) card. Throws the 402 card error Stripe
   * returns for a declined attempt (with the PaymentIntent in it).
   */
  confirmPaymentIntent(
    intent: StripeObject,
    params: StripeParams,
    request: StripeRequestContext,
  ): StripeObject {
    if (!CONFIRMABLE.has(intent.status as string)) {
      throw invalidRequest(
        `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_action, requires_payment_method.`,
        undefined,
        'payment_intent_unexpected_state',
      );
    }
    const paymentMethodId = stringParam(params, 'payment_method');
    if (paymentMethodId) intent.payment_method = this.resolvePaymentMethod(paymentMethodId).id;
    if (!intent.payment_method) {
      throw invalidRequest(
        'You cannot confirm this PaymentIntent because it’s missing a payment method. To confirm the PaymentIntent with a payment method, pass the payment_method parameter.',
        'payment_method',
        'payment_intent_unexpected_state',
      );
    }
    const returnUrl = stringParam(params, 'return_url');
    const automatic = intent.automatic_payment_methods as { allow_redirects?: string } | null;
    if (!returnUrl && automatic && automatic.allow_redirects !== 'never') {
      // Stripe's rule since API version 2023-08-16: automatic payment methods may redirect.
      throw invalidRequest(
        'This PaymentIntent is configured to accept payment methods enabled in your Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents. If you do want to accept redirect-based payment methods, set the `return_url` parameter when confirming the PaymentIntent.',
        'return_url',
      );
    }
    const setupFutureUsage = stringParam(params, 'setup_future_usage');
    if (setupFutureUsage) intent.setup_future_usage = this.setupFutureUsageParam(params);
    const offSession = this.offSessionParam(params) ?? false;
    const method = this.get(
      intent.payment_method as string,
      'payment_method',
      'PaymentMethod',
      'payment_method',
    );
    if (offSession && !intent.customer) {
      throw invalidRequest(
        'A PaymentIntent confirmed with off_session=true needs a customer the payment method is attached to.',
        'customer',
      );
    }
    return this.attempt(intent, method, { offSession, returnUrl, authenticated: false }, request);
  }

  /** Runs one payment attempt with the card's test behaviour. */
  private attempt(
    intent: StripeObject,
    method: StripeObject,
    options: {
      offSession: boolean;
      returnUrl: string | undefined;
      authenticated: boolean;
      checkoutSessionId?: string;
    },
    request: StripeRequestContext,
  ): StripeObject {
    const behaviour = this.behaviourOf(method);
    intent.payment_method = method.id;
    if (behaviour.kind === 'decline') return this.fail(intent, method, behaviour, request);
    if (behaviour.kind === 'charge_fails_after_attach') {
      return this.fail(
        intent,
        method,
        {
          kind: 'decline',
          code: 'card_declined',
          declineCode: 'generic_decline',
          message: 'Your card was declined.',
        },
        request,
      );
    }
    const needsAuthentication =
      !options.authenticated &&
      (behaviour.kind === 'authenticate_always' ||
        (behaviour.kind === 'authenticate_unless_set_up' &&
          !(options.offSession && this.store.setUpForOffSession.has(method.id))));
    if (needsAuthentication) {
      if (options.offSession) {
        return this.fail(
          intent,
          method,
          {
            kind: 'decline',
            code: 'authentication_required',
            declineCode: 'authentication_required',
            message: 'Your card was declined. This transaction requires authentication.',
          },
          request,
        );
      }
      const url = options.checkoutSessionId
        ? `${this.baseUrl}/stripe/checkout/${options.checkoutSessionId}/authenticate`
        : `${this.baseUrl}/stripe/3ds/${intent.id}`;
      intent.status = 'requires_action';
      intent.next_action = options.returnUrl
        ? { type: 'redirect_to_url', redirect_to_url: { url, return_url: options.returnUrl } }
        : { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url } };
      intent.__return_url = options.returnUrl ?? null;
      this.events.emit('payment_intent.requires_action', this.publicCopy(intent), request);
      return intent;
    }
    return this.succeed(intent, method, options.authenticated, request);
  }

  /** Objects may carry sandbox bookkeeping fields (`__...`) that never leave the sandbox. */
  publicCopy(object: StripeObject): StripeObject {
    const copy: StripeObject = { ...object };
    for (const key of Object.keys(copy)) if (key.startsWith('__')) delete copy[key];
    return copy;
  }

  private newCharge(
    intent: StripeObject,
    method: StripeObject,
    fields: Record<string, unknown>,
  ): StripeObject {
    const card = method.card as Record<string, unknown>;
    return this.store.put({
      id: this.store.newId('ch'),
      object: 'charge',
      amount: intent.amount,
      amount_captured: 0,
      amount_refunded: 0,
      application: null,
      application_fee: null,
      application_fee_amount: null,
      balance_transaction: null,
      billing_details: method.billing_details,
      calculated_statement_descriptor: 'COLCHIS SANDBOX',
      captured: false,
      created: this.now(),
      currency: intent.currency,
      customer: intent.customer,
      description: intent.description,
      disputed: false,
      failure_balance_transaction: null,
      failure_code: null,
      failure_message: null,
      fraud_details: {},
      livemode: false,
      // Stripe copies the PaymentIntent's metadata onto the charge when confirming.
      metadata: structuredClone(intent.metadata),
      on_behalf_of: null,
      outcome: null,
      paid: false,
      payment_intent: intent.id,
      payment_method: method.id,
      payment_method_details: {
        card: {
          brand: card.brand,
          checks: card.checks,
          country: card.country,
          exp_month: card.exp_month,
          exp_year: card.exp_year,
          fingerprint: card.fingerprint,
          funding: card.funding,
          installments: null,
          last4: card.last4,
          mandate: null,
          network: card.brand,
          three_d_secure: null,
          wallet: null,
        },
        type: 'card',
      },
      receipt_email: intent.receipt_email,
      receipt_number: null,
      receipt_url: null,
      refunded: false,
      review: null,
      shipping: null,
      source_transfer: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status: 'pending',
      transfer_data: null,
      transfer_group: null,
      ...fields,
    });
  }

  private fail(
    intent: StripeObject,
    method: StripeObject,
    behaviour: Extract<StripeCardBehaviour, { kind: 'decline' }>,
    request: StripeRequestContext,
  ): never {
    const charge = this.newCharge(intent, method, {
      status: 'failed',
      failure_code: behaviour.code,
      failure_message: behaviour.message,
      outcome: {
        network_status: 'declined_by_network',
        reason: behaviour.declineCode ?? behaviour.code,
        risk_level: 'normal',
        seller_message: 'The bank did not return any further details with this decline.',
        type: 'issuer_declined',
      },
    });
    intent.status = 'requires_payment_method';
    intent.payment_method = null;
    intent.next_action = null;
    intent.latest_charge = charge.id;
    intent.last_payment_error = {
      charge: charge.id,
      code: behaviour.code,
      ...(behaviour.declineCode ? { decline_code: behaviour.declineCode } : {}),
      doc_url: `https://stripe.com/docs/error-codes/${behaviour.code.replace(/_/g, '-')}`,
      message: behaviour.message,
      payment_method: structuredClone(method),
      type: 'card_error',
    };
    this.events.emit('charge.failed', charge, request);
    this.events.emit('payment_intent.payment_failed', this.publicCopy(intent), request);
    throw this.cardError(behaviour, method, intent, charge);
  }

  private cardError(
    behaviour: Extract<StripeCardBehaviour, { kind: 'decline' }>,
    method: StripeObject,
    intent: StripeObject | undefined,
    charge: StripeObject | undefined,
  ): StripeApiError {
    return new StripeApiError(402, {
      type: 'card_error',
      code: behaviour.code,
      ...(behaviour.declineCode ? { decline_code: behaviour.declineCode } : {}),
      message: behaviour.message,
      doc_url: `https://stripe.com/docs/error-codes/${behaviour.code.replace(/_/g, '-')}`,
      ...(charge ? { charge: charge.id } : {}),
      ...(intent ? { payment_intent: this.publicCopy(structuredClone(intent)) } : {}),
      payment_method: structuredClone(method),
    });
  }

  private succeed(
    intent: StripeObject,
    method: StripeObject,
    authenticated: boolean,
    request: StripeRequestContext,
  ): StripeObject {
    const manual = intent.capture_method === 'manual';
    const charge = this.newCharge(intent, method, {
      status: 'succeeded',
      paid: true,
      captured: !manual,
      amount_captured: manual ? 0 : intent.amount,
      outcome: {
        network_status: 'approved_by_network',
        reason: null,
        risk_level: 'normal',
        risk_score: 12,
        seller_message: 'Payment complete.',
        type: 'authorized',
      },
    });
    if (authenticated) {
      (charge.payment_method_details as { card: Record<string, unknown> }).card.three_d_secure = {
        authentication_flow: 'challenge',
        result: 'authenticated',
        version: '2.2.0',
      };
    }
    intent.latest_charge = charge.id;
    intent.next_action = null;
    intent.last_payment_error = null;
    delete intent.__return_url;
    const saving = intent.setup_future_usage === 'off_session' || intent.setup_future_usage === 'on_session';
    if (saving && intent.customer && method.customer !== intent.customer) {
      method.customer = intent.customer;
      this.events.emit('payment_method.attached', method, request);
    }
    if (intent.setup_future_usage === 'off_session') this.store.setUpForOffSession.add(method.id);
    this.events.emit('charge.succeeded', charge, request);
    if (manual) {
      intent.status = 'requires_capture';
      intent.amount_capturable = intent.amount;
      this.events.emit('payment_intent.amount_capturable_updated', this.publicCopy(intent), request);
    } else {
      intent.status = 'succeeded';
      intent.amount_received = intent.amount;
      this.events.emit('payment_intent.succeeded', this.publicCopy(intent), request);
    }
    return intent;
  }

  /** Ends a 3-D Secure challenge (hosted page); a failure returns the PaymentIntent to the customer. */
  authenticate(
    intent: StripeObject,
    passed: boolean,
    request: StripeRequestContext,
    checkoutSessionId?: string,
  ): StripeObject {
    if (intent.status !== 'requires_action') return intent;
    const method = this.get(intent.payment_method as string, 'payment_method', 'PaymentMethod');
    if (!passed) {
      try {
        this.fail(
          intent,
          method,
          {
            kind: 'decline',
            code: 'payment_intent_authentication_failure',
            message:
              'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
          },
          request,
        );
      } catch (error) {
        if (!(error instanceof StripeApiError)) throw error;
      }
      return intent;
    }
    return this.attempt(
      intent,
      method,
      {
        offSession: false,
        returnUrl: undefined,
        authenticated: true,
        ...(checkoutSessionId ? { checkoutSessionId } : {}),
      },
      request,
    );
  }

  capturePaymentIntent(id: string, params: StripeParams, request: StripeRequestContext): StripeObject {
    const intent = this.get(id, 'payment_intent', 'payment_intent', 'intent');
    if (intent.status !== 'requires_capture') {
      throw invalidRequest(
        `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
        undefined,
        'payment_intent_unexpected_state',
      );
    }
    const capturable = intent.amount_capturable as number;
    const amount = integerParam(params, 'amount_to_capture') ?? capturable;
    if (amount < 1 || amount > capturable) {
      throw invalidRequest(
        `The amount to capture (${amount}) must be positive and at most the amount capturable (${capturable}).`,
        'amount_to_capture',
        'amount_too_large',
      );
    }
    const charge = this.get(intent.latest_charge as string, 'charge', 'charge');
    // Since API version 2025-03-31 a partial capture creates no Refund: the charge simply
    // records what was captured.
    charge.captured = true;
    charge.amount_captured = amount;
    intent.status = 'succeeded';
    intent.amount_received = amount;
    intent.amount_capturable = 0;
    this.events.emit('charge.captured', charge, request);
    this.events.emit('payment_intent.succeeded', this.publicCopy(intent), request);
    return intent;
  }

  cancelPaymentIntent(
    id: string,
    params: StripeParams,
    request: StripeRequestContext,
    reason?: string,
  ): StripeObject {
    const intent = this.get(id, 'payment_intent', 'payment_intent', 'intent');
    if (!CANCELABLE.has(intent.status as string)) {
      throw invalidRequest(
        `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
        undefined,
        'payment_intent_unexpected_state',
      );
    }
    const requested = stringParam(params, 'cancellation_reason');
    if (requested !== undefined && !CANCELLATION_REASONS.has(requested)) {
      throw invalidRequest(
        'Invalid cancellation_reason: must be one of duplicate, fraudulent, requested_by_customer or abandoned',
        'cancellation_reason',
      );
    }
    intent.status = 'canceled';
    intent.canceled_at = this.now();
    intent.cancellation_reason = reason ?? requested ?? null;
    intent.amount_capturable = 0;
    intent.next_action = null;
    delete intent.__return_url;
    this.events.emit('payment_intent.canceled', this.publicCopy(intent), request);
    return intent;
  }

  // ---- refunds ---------------------------------------------------------------------------

  createRefund(params: StripeParams, request: StripeRequestContext): StripeObject {
    const intentId = stringParam(params, 'payment_intent');
    const chargeId = stringParam(params, 'charge');
    if (!intentId && !chargeId) {
      throw invalidRequest(
        'One of the following params should be provided for this request: payment_intent or charge.',
        undefined,
        'parameter_missing',
      );
    }
    let charge: StripeObject | undefined;
    let intent: StripeObject | undefined;
    if (intentId) {
      intent = this.get(intentId, 'payment_intent', 'payment_intent', 'payment_intent');
      if (intent.status !== 'succeeded' || !intent.latest_charge) {
        throw invalidRequest(
          `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
          'payment_intent',
          'charge_not_refundable',
        );
      }
      charge = this.get(intent.latest_charge as string, 'charge', 'charge');
    } else {
      charge = this.get(chargeId as string, 'charge', 'charge', 'charge');
      intent = charge.payment_intent ? this.store.find(charge.payment_intent as string) : undefined;
    }
    if (!charge.captured) {
      throw invalidRequest(
        'This charge has not been captured: cancel the PaymentIntent to release the authorization instead.',
        undefined,
        'charge_not_refundable',
      );
    }
    const refundable = (charge.amount_captured as number) - (charge.amount_refunded as number);
    if (refundable <= 0) {
      throw invalidRequest(
        `Charge ${charge.id} has already been refunded.`,
        undefined,
        'charge_already_refunded',
      );
    }
    const amount = integerParam(params, 'amount') ?? refundable;
    if (amount < 1) throw invalidRequest('This value must be greater than or equal to 1.', 'amount');
    if (amount > refundable) {
      throw invalidRequest(
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${refundable})`,
        'amount',
        'amount_too_large',
      );
    }
    const reason = stringParam(params, 'reason');
    if (reason !== undefined && !REFUND_REASONS.has(reason)) {
      throw invalidRequest(
        'Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer',
        'reason',
      );
    }
    const refund = this.store.put({
      id: this.store.newId('re'),
      object: 'refund',
      amount,
      balance_transaction: null,
      charge: charge.id,
      created: this.now(),
      currency: charge.currency,
      destination_details: {
        card: {
          reference: null,
          reference_status: 'pending',
          reference_type: 'acquirer_reference_number',
          type: 'refund',
        },
        type: 'card',
      },
      metadata: metadataParam(params) ?? {},
      payment_intent: intent?.id ?? null,
      reason: reason ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      // Card refunds in test mode succeed at once.
      status: 'succeeded',
      transfer_reversal: null,
    });
    const previous = charge.amount_refunded;
    charge.amount_refunded = (charge.amount_refunded as number) + amount;
    charge.refunded = charge.amount_refunded === charge.amount_captured;
    this.events.emit('refund.created', refund, request);
    this.events.emit('charge.refunded', charge, request, { amount_refunded: previous, refunded: false });
    return refund;
  }

  // ---- checkout sessions -----------------------------------------------------------------

  /** Creates a payment-mode Checkout Session (Stripe emits no event for this). */
  createCheckoutSession(params: StripeParams): StripeObject {
    const mode = stringParam(params, 'mode');
    if (!mode) throw missingParam('mode');
    if (mode !== 'payment') {
      throw invalidRequest(
        `The Colchis sandbox emulates Checkout in payment mode only, not ${mode}.`,
        'mode',
      );
    }
    const uiMode = stringParam(params, 'ui_mode') ?? 'hosted';
    if (uiMode !== 'hosted')
      throw invalidRequest(`The Colchis sandbox emulates hosted Checkout only, not ${uiMode}.`, 'ui_mode');
    const successUrl = stringParam(params, 'success_url');
    if (!successUrl) throw missingParam('success_url');
    const items = listParam(params, 'line_items');
    if (items.length === 0) {
      throw invalidRequest(
        'You must provide at least one line item when using payment mode.',
        'line_items',
        'parameter_missing',
      );
    }
    let currency: string | undefined;
    let total = 0;
    const lineItems: StripeObject[] = items.map((item, index) => {
      if (typeof item !== 'object' || Array.isArray(item))
        throw invalidRequest('Invalid line item.', `line_items[${index}]`);
      const price = stringParam(item, 'price');
      if (price) throw noSuch('price', price, `line_items[${index}][price]`);
      const data = recordParam(item, 'price_data');
      if (!data) throw missingParam(`line_items[${index}][price_data]`);
      const itemCurrency = currencyParam(data, 'currency');
      if (currency && itemCurrency !== currency) {
        throw invalidRequest(
          'All line items must share the same currency.',
          `line_items[${index}][price_data][currency]`,
        );
      }
      currency = itemCurrency;
      const unitAmount = integerParam(data, 'unit_amount', { required: true }) as number;
      const quantity = integerParam(item, 'quantity', { required: true }) as number;
      const product = recordParam(data, 'product_data');
      const name = product ? stringParam(product, 'name') : undefined;
      if (!name) throw missingParam(`line_items[${index}][price_data][product_data][name]`);
      total += unitAmount * quantity;
      return {
        id: this.store.newId('li'),
        object: 'item',
        amount_discount: 0,
        amount_subtotal: unitAmount * quantity,
        amount_tax: 0,
        amount_total: unitAmount * quantity,
        currency: itemCurrency,
        description: name,
        price: {
          id: this.store.newId('price'),
          object: 'price',
          currency: itemCurrency,
          product: this.store.newId('prod', 14),
          type: 'one_time',
          unit_amount: unitAmount,
          unit_amount_decimal: String(unitAmount),
        },
        quantity,
      };
    });
    const customerId = stringParam(params, 'customer') || null;
    if (customerId) this.get(customerId, 'customer', 'customer', 'customer');
    const customerEmail = stringParam(params, 'customer_email') ?? null;
    if (customerId && customerEmail) {
      throw invalidRequest(
        'You may only specify one of these parameters: customer, customer_email.',
        'customer_email',
      );
    }
    const reference = stringParam(params, 'client_reference_id') ?? null;
    if (reference && reference.length > 200) {
      throw invalidRequest(
        'Invalid string: client_reference_id must be at most 200 characters',
        'client_reference_id',
      );
    }
    const intentData = recordParam(params, 'payment_intent_data') ?? {};
    const captureMethod = stringParam(intentData, 'capture_method');
    if (captureMethod && !CAPTURE_METHODS.has(captureMethod)) {
      throw invalidRequest('Invalid capture_method', 'payment_intent_data[capture_method]');
    }
    this.setupFutureUsageParam(intentData);
    const created = this.now();
    const expiresAt = integerParam(params, 'expires_at') ?? created + DAY_SECONDS;
    if (expiresAt < created + 1800 || expiresAt > created + DAY_SECONDS) {
      throw invalidRequest(
        'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
        'expires_at',
      );
    }
    const id = this.store.newId('cs_test', 58);
    const session = this.store.put({
      id,
      object: 'checkout.session',
      after_expiration: null,
      allow_promotion_codes: null,
      amount_subtotal: total,
      amount_total: total,
      automatic_tax: { enabled: false, liability: null, status: null },
      billing_address_collection: null,
      cancel_url: stringParam(params, 'cancel_url') ?? null,
      client_reference_id: reference,
      client_secret: null,
      created,
      currency,
      customer: customerId,
      customer_creation: customerId ? null : (stringParam(params, 'customer_creation') ?? 'if_required'),
      customer_details: null,
      customer_email: customerEmail,
      expires_at: expiresAt,
      invoice: null,
      livemode: false,
      locale: stringParam(params, 'locale') ?? null,
      metadata: metadataParam(params) ?? {},
      mode,
      payment_intent: null,
      payment_link: null,
      payment_method_collection: 'if_required',
      payment_method_options: {},
      payment_method_types: ['card'],
      payment_status: 'unpaid',
      recovered_from: null,
      setup_intent: null,
      status: 'open',
      submit_type: null,
      subscription: null,
      success_url: successUrl,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: 'hosted',
      url: `${this.baseUrl}/stripe/checkout/${id}`,
      __payment_intent_data: {
        capture_method: captureMethod ?? 'automatic_async',
        setup_future_usage: stringParam(intentData, 'setup_future_usage') || null,
        metadata: metadataParam(intentData) ?? {},
        description: stringParam(intentData, 'description') ?? null,
        receipt_email: stringParam(intentData, 'receipt_email') ?? null,
      },
    });
    this.store.lineItems.set(id, lineItems);
    return session;
  }

  /** A payment attempt on the hosted page with a card the customer typed. */
  payCheckoutSession(
    session: StripeObject,
    card: { number: string; expiry: string; cvc: string; email?: string | undefined },
    request: StripeRequestContext,
  ): CheckoutAttempt {
    if (session.status !== 'open')
      return { kind: 'declined', message: `This Checkout Session is ${session.status}.` };
    const expiry = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(card.expiry);
    if (!expiry) return { kind: 'declined', message: "Your card's expiration date is incomplete." };
    const month = Number(expiry[1]);
    const year = (expiry[2] as string).length === 2 ? 2000 + Number(expiry[2]) : Number(expiry[2]);
    const today = new Date(this.clock.now());
    if (month < 1 || month > 12)
      return { kind: 'declined', message: "Your card's expiration month is invalid." };
    if (
      year < today.getUTCFullYear() ||
      (year === today.getUTCFullYear() && month < today.getUTCMonth() + 1)
    ) {
      return { kind: 'declined', message: "Your card's expiration year is in the past." };
    }
    if (!/^\d{3,4}$/.test(card.cvc.trim()))
      return { kind: 'declined', message: "Your card's security code is incomplete." };
    const email = card.email || (session.customer_email as string | null);
    let method: StripeObject;
    try {
      method = this.createCardPaymentMethod(
        { number: card.number, expMonth: month, expYear: year },
        email ?? null,
      );
    } catch (error) {
      if (error instanceof StripeApiError) return { kind: 'declined', message: error.message };
      throw error;
    }
    const data = session.__payment_intent_data as Record<string, unknown>;
    if (!session.customer && session.customer_creation === 'always') {
      const customer = this.createCustomer(email ? { email } : {}, request);
      session.customer = customer.id;
    }
    let intent = session.payment_intent ? this.store.find(session.payment_intent as string) : undefined;
    if (!intent) {
      // Checkout creates the PaymentIntent when the customer submits (API 2022-08-01 and later).
      intent = this.createPaymentIntent(
        {
          amount: String(session.amount_total),
          currency: session.currency as string,
          capture_method: data.capture_method as string,
          ...(data.setup_future_usage ? { setup_future_usage: data.setup_future_usage as string } : {}),
          ...(data.description ? { description: data.description as string } : {}),
          ...(data.receipt_email ? { receipt_email: data.receipt_email as string } : {}),
          ...(session.customer ? { customer: session.customer as string } : {}),
          metadata: data.metadata as Record<string, string>,
          payment_method_types: ['card'],
        },
        request,
      );
      session.payment_intent = intent.id;
    }
    try {
      this.attempt(
        intent,
        method,
        {
          offSession: false,
          returnUrl: undefined,
          authenticated: false,
          checkoutSessionId: session.id as string,
        },
        request,
      );
    } catch (error) {
      if (error instanceof StripeApiError) return { kind: 'declined', message: error.message };
      throw error;
    }
    if (intent.status === 'requires_action') return { kind: 'challenge', intentId: intent.id };
    return { kind: 'completed', redirectUrl: this.completeCheckoutSession(session, intent, request) };
  }

  /** Marks a session complete after its PaymentIntent succeeded or was authorized. */
  completeCheckoutSession(
    session: StripeObject,
    intent: StripeObject,
    request: StripeRequestContext,
  ): string {
    const method = this.store.find(intent.payment_method as string);
    session.status = 'complete';
    // Funds are only "available" once captured: an authorization-only session stays unpaid.
    session.payment_status = intent.status === 'succeeded' ? 'paid' : 'unpaid';
    session.url = null;
    session.customer_details = {
      address: null,
      email:
        ((method?.billing_details as { email?: string | null } | undefined)?.email ??
          session.customer_email) ||
        null,
      name: null,
      phone: null,
      tax_exempt: 'none',
      tax_ids: [],
    };
    this.events.emit('checkout.session.completed', this.publicCopy(session), request);
    return (session.success_url as string).replace(/\{CHECKOUT_SESSION_ID\}/g, session.id);
  }

  expireCheckoutSession(id: string, request: StripeRequestContext | undefined): StripeObject {
    const session = this.get(id, 'checkout.session', 'checkout.session', 'session');
    if (session.status !== 'open') {
      throw invalidRequest(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
        undefined,
        'checkout_session_unexpected_state' as string,
      );
    }
    session.status = 'expired';
    session.url = null;
    const intent = session.payment_intent ? this.store.find(session.payment_intent as string) : undefined;
    if (intent && CANCELABLE.has(intent.status as string)) {
      this.cancelPaymentIntent(intent.id, {}, request ?? { id: '' }, 'abandoned');
    }
    this.events.emit('checkout.session.expired', this.publicCopy(session), request);
    return session;
  }

  /** Clock moved: expire open sessions past `expires_at`, release holds older than 7 days. */
  sweep(): void {
    const now = this.now();
    for (const session of this.store.list('checkout.session', (item) => item.status === 'open')) {
      if ((session.expires_at as number) <= now) this.expireCheckoutSession(session.id, undefined);
    }
    for (const intent of this.store.list('payment_intent', (item) => item.status === 'requires_capture')) {
      if ((intent.created as number) + HOLD_DAYS * DAY_SECONDS <= now) {
        const charge = this.store.find(intent.latest_charge as string);
        if (charge) this.events.emit('charge.expired', charge, undefined);
        this.cancelPaymentIntent(intent.id, {}, { id: '' }, 'expired');
      }
    }
  }
}

function mergeMetadata(current: unknown, update: Record<string, string>): Record<string, string> {
  const merged: Record<string, string> = { ...(current as Record<string, string>) };
  for (const [key, value] of Object.entries(update)) {
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
