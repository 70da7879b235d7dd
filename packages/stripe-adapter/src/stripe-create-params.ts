import {
  assertMinorUnits,
  type ChargeSavedMethodInput,
  type CreatePaymentInput,
  InvalidRequestError,
  normalizeCurrency,
} from '@colchis/core';
import type Stripe from 'stripe';
import { SAVED_METHOD_CHARGE_KEY } from './stripe-payment.js';

/** `providerOptions.stripe`: Stripe-only choices and parameters passed through untouched. */
export interface StripeProviderOptions {
  /** `checkout` (hosted page, the default) or `payment_intent` (your own page with Stripe.js). */
  mode?: 'checkout' | 'payment_intent' | undefined;
  /** Extra Checkout Session parameters, merged over the adapter's (e.g. `payment_method_types`). */
  checkoutSession?: Partial<Stripe.Checkout.SessionCreateParams> | undefined;
  /** Extra PaymentIntent parameters, merged over the adapter's (e.g. `statement_descriptor_suffix`). */
  paymentIntent?: Partial<Stripe.PaymentIntentCreateParams> | undefined;
}

// Stripe's documented limits (https://docs.stripe.com/api/metadata,
// https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-client_reference_id):
// checked before sending so the message says what to fix.
const METADATA_MAX_KEYS = 50;
const METADATA_KEY_MAX = 40;
const METADATA_VALUE_MAX = 500;
const REFERENCE_MAX = 200;
// Stripe accepts 255 characters; the adapter derives sub-keys (`<key>:customer`) from yours.
const IDEMPOTENCY_KEY_MAX = 240;

// Checkout's `locale` values (Stripe API 2026-10). A language Stripe lacks falls back to `auto`,
// which lets Checkout follow the browser: a hint, not an error.
const CHECKOUT_LOCALES = new Set([
  'auto',
  'bg',
  'cs',
  'da',
  'de',
  'el',
  'en',
  'en-GB',
  'es',
  'es-419',
  'et',
  'fi',
  'fil',
  'fr',
  'fr-CA',
  'hi-IN',
  'hr',
  'hu',
  'id',
  'it',
  'ja',
  'ko',
  'lt',
  'lv',
  'ms',
  'mt',
  'nb',
  'nl',
  'pl',
  'pt',
  'pt-BR',
  'ro',
  'ru',
  'sk',
  'sl',
  'sv',
  'th',
  'tr',
  'vi',
  'zh',
  'zh-HK',
  'zh-TW',
]);

/** The checked amount of a payment: integer minor units and Stripe's lower-case currency. */
export interface StripeAmount {
  amount: number;
  currency: string;
}

/** Validates amount, currency and reference shared by createPayment and chargeSavedMethod. */
export function validatePaymentBasics(input: {
  amount?: { amount: number; currency: string } | undefined;
  reference?: string | undefined;
}): StripeAmount {
  if (!input || typeof input !== 'object') {
    throw new InvalidRequestError('Stripe: pass an input object with amount and reference.', {
      provider: 'stripe',
    });
  }
  if (!input.amount || typeof input.amount !== 'object') {
    throw new InvalidRequestError(
      'Stripe: `amount` is required: { amount: 1050, currency: "USD" } (integer minor units).',
      { provider: 'stripe' },
    );
  }
  assertMinorUnits(input.amount.amount, 'amount.amount');
  if (input.amount.amount === 0) {
    throw new InvalidRequestError('Stripe: amount.amount must be greater than zero.', { provider: 'stripe' });
  }
  const currency = normalizeCurrency(input.amount.currency).toLowerCase();
  validateReference(input.reference);
  return { amount: input.amount.amount, currency };
}

/** Checks the merchant reference against Stripe's `client_reference_id` limit. */
export function validateReference(reference: unknown): asserts reference is string {
  if (typeof reference !== 'string' || reference.trim() === '') {
    throw new InvalidRequestError(
      'Stripe: `reference` is required: your order, enrollment or donation id, so the payment and its webhooks can be matched to it.',
      { provider: 'stripe' },
    );
  }
  if (reference.length > REFERENCE_MAX) {
    throw new InvalidRequestError(
      `Stripe: \`reference\` is ${reference.length} characters; Stripe keeps at most ${REFERENCE_MAX} (client_reference_id).`,
      { provider: 'stripe' },
    );
  }
}

/** Checks an idempotency key against Stripe's limit. */
export function validateIdempotencyKey(key: string): string {
  if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX) {
    throw new InvalidRequestError(
      `Stripe: idempotency keys must be 1 to ${IDEMPOTENCY_KEY_MAX} characters (Stripe allows 255; the adapter derives sub-keys from yours), got ${key.length}.`,
      { provider: 'stripe' },
    );
  }
  return key;
}

/**
 * Merges your metadata with the merchant reference (which wins under `reference`) and checks
 * Stripe's limits: 50 keys, keys up to 40 characters without square brackets, values up to 500.
 */
export function buildMetadata(
  metadata: Record<string, string> | undefined,
  reference: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const merged: Record<string, string> = { ...metadata, ...extra, reference };
  const keys = Object.keys(merged);
  if (keys.length > METADATA_MAX_KEYS) {
    throw new InvalidRequestError(
      `Stripe: metadata has ${keys.length} keys with the reference; Stripe allows ${METADATA_MAX_KEYS}.`,
      { provider: 'stripe' },
    );
  }
  for (const key of keys) {
    const value = merged[key];
    if (key.length > METADATA_KEY_MAX || /[[\]]/.test(key)) {
      throw new InvalidRequestError(
        `Stripe: metadata key ${JSON.stringify(key)} must be at most ${METADATA_KEY_MAX} characters and contain no square brackets.`,
        { provider: 'stripe' },
      );
    }
    if (typeof value !== 'string') {
      throw new InvalidRequestError(`Stripe: metadata value of ${JSON.stringify(key)} must be a string.`, {
        provider: 'stripe',
      });
    }
    if (value.length > METADATA_VALUE_MAX) {
      throw new InvalidRequestError(
        `Stripe: metadata value of ${JSON.stringify(key)} is ${value.length} characters; Stripe allows ${METADATA_VALUE_MAX}.`,
        { provider: 'stripe' },
      );
    }
  }
  return merged;
}

/** `setup_future_usage` for a `savePaymentMethod` choice. */
export function setupFutureUsage(
  save: CreatePaymentInput['savePaymentMethod'],
): 'on_session' | 'off_session' | undefined {
  if (save === undefined || save === false) return undefined;
  return save === 'on_session' ? 'on_session' : 'off_session';
}

/** Maps a BCP 47 tag onto a Checkout locale (`ka` has none yet: `auto`). */
export function checkoutLocale(locale: string | undefined): string | undefined {
  if (!locale) return undefined;
  if (CHECKOUT_LOCALES.has(locale)) return locale;
  const [language = '', region] = locale.replace('_', '-').split('-');
  const regional = region ? `${language.toLowerCase()}-${region.toUpperCase()}` : undefined;
  if (regional && CHECKOUT_LOCALES.has(regional)) return regional;
  if (CHECKOUT_LOCALES.has(language.toLowerCase())) return language.toLowerCase();
  return 'auto';
}

/**
 * Checkout line items: yours (which must add up to the amount exactly) or one line for the
 * whole amount named after the description or the reference.
 */
export function checkoutLineItems(
  input: CreatePaymentInput,
  amount: StripeAmount,
): Stripe.Checkout.SessionCreateParams.LineItem[] {
  const items = input.lineItems;
  if (!items || items.length === 0) {
    return [
      {
        quantity: 1,
        price_data: {
          currency: amount.currency,
          unit_amount: amount.amount,
          product_data: { name: input.description || `Order ${input.reference}` },
        },
      },
    ];
  }
  let total = 0;
  const lines = items.map((item, index) => {
    if (!item.name) {
      throw new InvalidRequestError(`Stripe: lineItems[${index}].name is required by Checkout.`, {
        provider: 'stripe',
      });
    }
    assertMinorUnits(item.unitAmount, `lineItems[${index}].unitAmount`);
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 1) {
      throw new InvalidRequestError(
        `Stripe: lineItems[${index}].quantity must be a positive integer, got ${item.quantity}.`,
        { provider: 'stripe' },
      );
    }
    // Integer minor units times an integer count: exact while it stays a safe integer.
    total += item.unitAmount * item.quantity;
    return {
      quantity: item.quantity,
      price_data: {
        currency: amount.currency,
        unit_amount: item.unitAmount,
        product_data: {
          name: item.name,
          ...(item.description ? { description: item.description } : {}),
          ...(item.imageUrl ? { images: [item.imageUrl] } : {}),
          ...(item.id ? { metadata: { id: item.id } } : {}),
        },
      },
    };
  });
  if (!Number.isSafeInteger(total) || total !== amount.amount) {
    throw new InvalidRequestError(
      `Stripe: lineItems add up to ${total} but amount.amount is ${amount.amount}. Checkout charges the sum of the line items, so they must match.`,
      { provider: 'stripe' },
    );
  }
  return lines;
}

/** Builds the Checkout Session parameters for {@link CreatePaymentInput}. */
export function buildCheckoutSessionParams(
  input: CreatePaymentInput,
  amount: StripeAmount,
  options: StripeProviderOptions,
): Stripe.Checkout.SessionCreateParams {
  if (!input.returnUrl) {
    throw new InvalidRequestError(
      'Stripe: `returnUrl` is required for Checkout (its success_url): the page the customer comes back to. You may include {CHECKOUT_SESSION_ID} in it.',
      { provider: 'stripe' },
    );
  }
  const metadata = buildMetadata(input.metadata, input.reference);
  const usage = setupFutureUsage(input.savePaymentMethod);
  const customer = input.customer;
  const locale = checkoutLocale(input.locale);
  const extra = options.checkoutSession ?? {};
  const paymentIntentData: Stripe.Checkout.SessionCreateParams.PaymentIntentData = {
    metadata,
    ...(input.description ? { description: input.description } : {}),
    ...(input.capture === 'manual' ? { capture_method: 'manual' as const } : {}),
    ...(usage ? { setup_future_usage: usage } : {}),
    ...extra.payment_intent_data,
  };
  return {
    mode: 'payment',
    success_url: input.returnUrl,
    cancel_url: input.cancelUrl ?? input.returnUrl,
    client_reference_id: input.reference,
    line_items: checkoutLineItems(input, amount),
    metadata,
    ...(customer?.providerCustomerId
      ? { customer: customer.providerCustomerId }
      : {
          ...(customer?.email ? { customer_email: customer.email } : {}),
          // Saving a card needs a Customer to attach it to: Checkout creates one.
          ...(usage ? { customer_creation: 'always' as const } : {}),
        }),
    ...(locale ? { locale: locale as Stripe.Checkout.SessionCreateParams.Locale } : {}),
    ...extra,
    payment_intent_data: paymentIntentData,
  };
}

/** Builds the PaymentIntent parameters for {@link CreatePaymentInput} (not confirmed). */
export function buildPaymentIntentParams(
  input: CreatePaymentInput,
  amount: StripeAmount,
  customerId: string | undefined,
  options: StripeProviderOptions,
): Stripe.PaymentIntentCreateParams {
  const usage = setupFutureUsage(input.savePaymentMethod);
  const email = input.customer?.email;
  return {
    amount: amount.amount,
    currency: amount.currency,
    metadata: buildMetadata(input.metadata, input.reference),
    ...(input.description ? { description: input.description } : {}),
    ...(input.capture === 'manual' ? { capture_method: 'manual' as const } : {}),
    ...(usage ? { setup_future_usage: usage } : {}),
    ...(customerId ? { customer: customerId } : {}),
    ...(email ? { receipt_email: email } : {}),
    ...options.paymentIntent,
  };
}

/** Builds the PaymentIntent that charges a saved card (created and confirmed in one call). */
export function buildSavedMethodChargeParams(
  input: ChargeSavedMethodInput,
  amount: StripeAmount,
  options: StripeProviderOptions,
): Stripe.PaymentIntentCreateParams {
  const saved = input.savedMethod;
  if (!saved || typeof saved.id !== 'string' || saved.id === '') {
    throw new InvalidRequestError(
      'Stripe: `savedMethod.id` is required: the payment method id (pm_...) from payment.savedMethod.',
      { provider: 'stripe' },
    );
  }
  const customerId = saved.customerId ?? input.customer?.providerCustomerId;
  if (!customerId) {
    throw new InvalidRequestError(
      'Stripe: a saved card can only be charged with the Customer it is attached to: pass `savedMethod.customerId` (cus_...), as returned in payment.savedMethod.',
      { provider: 'stripe' },
    );
  }
  const offSession = saved.usage !== 'on_session';
  return {
    amount: amount.amount,
    currency: amount.currency,
    customer: customerId,
    payment_method: saved.id,
    confirm: true,
    off_session: offSession,
    metadata: buildMetadata(input.metadata, input.reference, { [SAVED_METHOD_CHARGE_KEY]: 'true' }),
    ...(input.description ? { description: input.description } : {}),
    // With a return URL Stripe can hand back a 3-D Secure redirect; without one, payment methods
    // that would need a redirect are excluded (Stripe requires one of the two to confirm).
    ...(input.returnUrl
      ? { return_url: input.returnUrl }
      : { automatic_payment_methods: { enabled: true, allow_redirects: 'never' as const } }),
    ...options.paymentIntent,
  };
}
