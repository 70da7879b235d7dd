import { InvalidRequestError } from '@colchis/core';
import { describe, expect, it } from 'vitest';
import {
  buildCheckoutSessionParams,
  buildMetadata,
  buildPaymentIntentParams,
  buildSavedMethodChargeParams,
  checkoutLocale,
  validatePaymentBasics,
} from './stripe-create-params.js';

const amount = { amount: 4900, currency: 'usd' };

describe('stripe create params', () => {
  it('maps locales onto what Checkout supports, falling back to auto', () => {
    expect(checkoutLocale('en')).toBe('en');
    expect(checkoutLocale('pt_br')).toBe('pt-BR');
    expect(checkoutLocale('ru-KZ')).toBe('ru');
    expect(checkoutLocale('ka')).toBe('auto');
    expect(checkoutLocale(undefined)).toBeUndefined();
  });

  it('validates amounts, currencies and references before any request', () => {
    expect(validatePaymentBasics({ amount: { amount: 100, currency: 'GEL' }, reference: 'r' })).toEqual({
      amount: 100,
      currency: 'gel',
    });
    for (const bad of [
      { amount: { amount: 10.5, currency: 'USD' }, reference: 'r' },
      { amount: { amount: 100, currency: 'dollars' }, reference: 'r' },
      { amount: { amount: 100, currency: 'USD' }, reference: '' },
      { amount: { amount: 100, currency: 'USD' }, reference: 'x'.repeat(201) },
    ]) {
      expect(() => validatePaymentBasics(bad)).toThrow(InvalidRequestError);
    }
  });

  it('checks metadata against Stripe limits and keeps the reference authoritative', () => {
    expect(buildMetadata({ reference: 'spoofed', a: '1' }, 'order-1')).toEqual({
      reference: 'order-1',
      a: '1',
    });
    expect(() => buildMetadata({ 'bad[key]': 'x' }, 'r')).toThrow(/square brackets/);
    expect(() => buildMetadata({ k: 'x'.repeat(501) }, 'r')).toThrow(/500/);
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`k${index}`, 'v']));
    expect(() => buildMetadata(many, 'r')).toThrow(/50/);
  });

  it('builds a Checkout Session for an existing customer without customer_email', () => {
    const params = buildCheckoutSessionParams(
      {
        amount: { amount: 4900, currency: 'USD' },
        reference: 'r-1',
        returnUrl: 'https://x.example/ok',
        cancelUrl: 'https://x.example/cart',
        customer: { providerCustomerId: 'cus_1', email: 'ignored@example.com' },
        savePaymentMethod: 'on_session',
      },
      amount,
      {
        checkoutSession: {
          billing_address_collection: 'required',
          payment_intent_data: { statement_descriptor_suffix: 'EDU' },
        },
      },
    );
    expect(params).toMatchObject({
      customer: 'cus_1',
      cancel_url: 'https://x.example/cart',
      billing_address_collection: 'required',
      payment_intent_data: {
        setup_future_usage: 'on_session',
        statement_descriptor_suffix: 'EDU',
        metadata: { reference: 'r-1' },
      },
      line_items: [{ quantity: 1, price_data: { unit_amount: 4900, product_data: { name: 'Order r-1' } } }],
    });
    expect(params).not.toHaveProperty('customer_email');
    expect(params).not.toHaveProperty('customer_creation');
  });

  it('builds PaymentIntent and saved-card charge parameters', () => {
    expect(
      buildPaymentIntentParams(
        {
          amount: { amount: 4900, currency: 'USD' },
          reference: 'r',
          capture: 'manual',
          customer: { email: 'a@b.c' },
        },
        amount,
        'cus_1',
        { paymentIntent: { statement_descriptor_suffix: 'X' } },
      ),
    ).toEqual({
      amount: 4900,
      currency: 'usd',
      metadata: { reference: 'r' },
      capture_method: 'manual',
      customer: 'cus_1',
      receipt_email: 'a@b.c',
      statement_descriptor_suffix: 'X',
    });
    const onSession = buildSavedMethodChargeParams(
      {
        savedMethod: { id: 'pm_1', customerId: 'cus_1', usage: 'on_session' },
        amount: { amount: 4900, currency: 'USD' },
        reference: 'r',
        returnUrl: 'https://x.example/back',
      },
      amount,
      {},
    );
    expect(onSession).toMatchObject({
      off_session: false,
      return_url: 'https://x.example/back',
      confirm: true,
    });
    expect(onSession).not.toHaveProperty('automatic_payment_methods');
  });
});
