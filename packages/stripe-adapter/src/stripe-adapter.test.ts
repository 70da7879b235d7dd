import { readFileSync } from 'node:fs';
import {
  type ColchisError,
  ConflictError,
  GatewayError,
  InvalidRequestError,
  PaymentDeclinedError,
  RateLimitError,
} from '@colchis/core';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStripeAdapter } from './stripe-adapter.js';
import { getStripeClientSecret } from './stripe-client-secret.js';

// Unit tests against stripe-node's own HTTP calls: stripe-node's Node client uses node:http(s),
// which nock intercepts, and answers come from Stripe's API reference (src/__fixtures__).
const API = 'https://api.stripe.com';
const API_KEY = 'sk_test_unitKey0123456789ABCDEFGH';
const fixture = <T = Record<string, unknown>>(name: string): T =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as T;

const adapter = createStripeAdapter({
  apiKey: API_KEY,
  webhookSecret: 'whsec_unitSecret0123456789',
  stripeOptions: { telemetry: false },
  retry: { initialDelayMs: 1, maxDelayMs: 2 },
});

async function rejection(promise: Promise<unknown>): Promise<ColchisError> {
  try {
    await promise;
  } catch (error) {
    return error as ColchisError;
  }
  throw new Error('expected the call to fail');
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks(), 'every mocked Stripe call was made').toEqual([]);
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('stripe adapter (nock): reading payments', () => {
  it('reads a PaymentIntent with its expanded charge', async () => {
    const charge = {
      ...fixture('charge.json'),
      amount: 1000,
      amount_captured: 1000,
      payment_intent: 'pi_3MrPBM2eZvKYlo2C1TEMacFD',
    };
    let authorization: string | undefined;
    nock(API)
      .get('/v1/payment_intents/pi_3MrPBM2eZvKYlo2C1TEMacFD')
      .query({ 'expand[0]': 'latest_charge' })
      .reply(function reply() {
        authorization = this.req.headers.authorization as string;
        return [
          200,
          { ...fixture('payment-intent-captured.json'), latest_charge: charge },
          { 'request-id': 'req_1' },
        ];
      });
    const payment = await adapter.getPayment('pi_3MrPBM2eZvKYlo2C1TEMacFD');
    expect(authorization).toBe(`Bearer ${API_KEY}`);
    expect(payment).toMatchObject({
      provider: 'stripe',
      id: 'pi_3MrPBM2eZvKYlo2C1TEMacFD',
      status: 'captured',
      rawStatus: 'succeeded',
      amount: { amount: 1000, currency: 'USD' },
      amountCaptured: 1000,
      amountRefunded: 0,
      card: { brand: 'visa', maskedPan: '****4242' },
      createdAt: new Date(1524505326 * 1000),
    });
    expect((payment.raw as { client_secret: string }).client_secret).toBe('[REDACTED]');
    expect(getStripeClientSecret(payment)).toBe(
      'pi_3MrPBM2eZvKYlo2C1TEMacFD_secret_9J35eTzWlxVmfbbQhmkNbewuL',
    );
  });

  it('reads a fresh PaymentIntent as requires_action without a redirect', async () => {
    nock(API)
      .get('/v1/payment_intents/pi_3MtwBwLkdIwHu7ix28a3tqPa')
      .query(true)
      .reply(200, fixture('payment-intent.json'));
    const payment = await adapter.getPayment('pi_3MtwBwLkdIwHu7ix28a3tqPa');
    expect(payment).toMatchObject({
      status: 'requires_action',
      rawStatus: 'requires_payment_method',
      amountCaptured: 0,
    });
    expect(payment.redirectUrl).toBeUndefined();
    expect(payment.reference).toBeUndefined();
  });

  it('reads an open Checkout Session as requires_action with its hosted page', async () => {
    const session = fixture<{ id: string; url: string }>('checkout-session.json');
    nock(API)
      .get(`/v1/checkout/sessions/${session.id}`)
      .query({ 'expand[0]': 'payment_intent', 'expand[1]': 'payment_intent.latest_charge' })
      .reply(200, session);
    const payment = await adapter.getPayment(session.id);
    expect(payment).toMatchObject({
      id: session.id,
      status: 'requires_action',
      rawStatus: 'open',
      amount: { amount: 2198, currency: 'USD' },
      redirectUrl: session.url,
      nextAction: { type: 'redirect', url: session.url, method: 'GET' },
    });
  });

  it('takes the capture reversal out of amount_refunded for API versions before 2025-03-31', async () => {
    // Old API version: a partial capture of 600 out of 1000 created a 400 "refund".
    const charge = { ...fixture('charge.json'), amount: 1000, amount_captured: 600, amount_refunded: 400 };
    const intent = {
      ...fixture('payment-intent-captured.json'),
      amount_received: 600,
      latest_charge: charge,
    };
    nock(API)
      .get('/v1/payment_intents/pi_3MrPBM2eZvKYlo2C1TEMacFD')
      .query(true)
      .reply(200, intent, { 'stripe-version': '2024-06-20' });
    expect(await adapter.getPayment('pi_3MrPBM2eZvKYlo2C1TEMacFD')).toMatchObject({
      status: 'captured',
      amountCaptured: 600,
      amountRefunded: 0,
    });
    // Current versions count only refunds: the same numbers mean 400 was refunded.
    nock(API)
      .get('/v1/payment_intents/pi_3MrPBM2eZvKYlo2C1TEMacFD')
      .query(true)
      .reply(200, intent, { 'stripe-version': '2026-10-28.endive' });
    expect(await adapter.getPayment('pi_3MrPBM2eZvKYlo2C1TEMacFD')).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 400,
    });
  });
});

describe('stripe adapter (nock): money-moving calls', () => {
  it('creates a Checkout Session with the reference, line items, manual capture and an idempotency key', async () => {
    let body = '';
    let key: string | undefined;
    nock(API)
      .post('/v1/checkout/sessions', (sent: unknown) => {
        body = new URLSearchParams(sent as Record<string, string>).toString();
        return true;
      })
      .reply(function reply() {
        key = this.req.headers['idempotency-key'] as string;
        return [200, fixture('checkout-session.json')];
      });
    const payment = await adapter.createPayment({
      amount: { amount: 2198, currency: 'usd' },
      reference: 'order-1001',
      returnUrl: 'https://shop.example/return',
      capture: 'manual',
      savePaymentMethod: true,
      customer: { email: 'jenny@example.com' },
      locale: 'en-GB',
      lineItems: [
        { name: 'T-shirt', quantity: 2, unitAmount: 999, imageUrl: 'https://shop.example/t.png' },
        { name: 'Shipping', quantity: 1, unitAmount: 200 },
      ],
      metadata: { channel: 'web' },
    });
    expect(payment.status).toBe('requires_action');
    const params = new URLSearchParams(body);
    expect(Object.fromEntries(params)).toMatchObject({
      mode: 'payment',
      success_url: 'https://shop.example/return',
      cancel_url: 'https://shop.example/return',
      client_reference_id: 'order-1001',
      'metadata[reference]': 'order-1001',
      'metadata[channel]': 'web',
      'payment_intent_data[metadata][reference]': 'order-1001',
      'payment_intent_data[capture_method]': 'manual',
      'payment_intent_data[setup_future_usage]': 'off_session',
      customer_email: 'jenny@example.com',
      customer_creation: 'always',
      locale: 'en-GB',
      'line_items[0][quantity]': '2',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][price_data][unit_amount]': '999',
      'line_items[0][price_data][product_data][name]': 'T-shirt',
      'line_items[0][price_data][product_data][images][0]': 'https://shop.example/t.png',
      'line_items[1][price_data][unit_amount]': '200',
    });
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("refunds part of a payment and reports Stripe's refund", async () => {
    let sent: Record<string, string> = {};
    nock(API)
      .post('/v1/refunds', (body: Record<string, string>) => {
        sent = body;
        return true;
      })
      .reply(200, fixture('refund.json'));
    const refund = await adapter.refund('pi_1GszsK2eZvKYlo2CfhZyoZLp', {
      amount: 1000,
      reason: 'customer changed plan',
    });
    expect(sent).toEqual({
      payment_intent: 'pi_1GszsK2eZvKYlo2CfhZyoZLp',
      amount: '1000',
      'metadata[reason]': 'customer changed plan',
    });
    expect(refund).toEqual({
      provider: 'stripe',
      id: 're_1Nispe2eZvKYlo2Cd31jOCgZ',
      paymentId: 'pi_1GszsK2eZvKYlo2CfhZyoZLp',
      status: 'succeeded',
      rawStatus: 'succeeded',
      amount: 1000,
      currency: 'USD',
      raw: expect.objectContaining({ object: 'refund' }),
    });
  });

  it('returns a declined saved-card charge as a failed payment (402 carries the PaymentIntent)', async () => {
    nock(API).post('/v1/payment_intents').reply(402, fixture('card-declined-error.json'));
    const payment = await adapter.chargeSavedMethod({
      savedMethod: { id: 'pm_1NO6mA2eZvKYlo2CEydeHsJT', customerId: 'cus_NffrFeUfNV2Hib' },
      amount: { amount: 2000, currency: 'USD' },
      reference: 'renewal-2024-07',
    });
    expect(payment).toMatchObject({
      status: 'failed',
      rawStatus: 'requires_payment_method',
      reference: 'renewal-2024-07',
      failure: { code: 'card_declined', rawCode: 'generic_decline', message: 'Your card was declined.' },
      savedMethod: { id: 'pm_1NO6mA2eZvKYlo2CEydeHsJT', customerId: 'cus_NffrFeUfNV2Hib' },
    });
  });

  it('returns authentication_required as requires_action with the client secret for Stripe.js', async () => {
    let sent: Record<string, string> = {};
    nock(API)
      .post('/v1/payment_intents', (body: Record<string, string>) => {
        sent = body;
        return true;
      })
      .reply(402, fixture('authentication-required-error.json'));
    const payment = await adapter.chargeSavedMethod({
      savedMethod: {
        id: 'pm_1NO7a92eZvKYlo2CPjLUAfhA',
        customerId: 'cus_NffrFeUfNV2Hib',
        usage: 'off_session',
      },
      amount: { amount: 2000, currency: 'USD' },
      reference: 'renewal-2024-08',
    });
    expect(sent).toMatchObject({
      amount: '2000',
      currency: 'usd',
      customer: 'cus_NffrFeUfNV2Hib',
      payment_method: 'pm_1NO7a92eZvKYlo2CPjLUAfhA',
      confirm: 'true',
      off_session: 'true',
      'metadata[reference]': 'renewal-2024-08',
      'metadata[colchis_saved_method_charge]': 'true',
      'automatic_payment_methods[enabled]': 'true',
      'automatic_payment_methods[allow_redirects]': 'never',
      'expand[0]': 'latest_charge',
    });
    expect(payment).toMatchObject({
      status: 'requires_action',
      failure: { code: 'authentication_failed', rawCode: 'authentication_required' },
    });
    expect(getStripeClientSecret(payment)).toBe(
      'pi_3NO7aB2eZvKYlo2C0w6RlGG1_secret_8x6PmcB4wNvc3N1QTCXNZ9aUF',
    );
  });
});

describe('stripe adapter (nock): errors', () => {
  it('maps a 400 to InvalidRequestError naming the parameter', async () => {
    nock(API)
      .post('/v1/refunds')
      .reply(400, {
        error: {
          type: 'invalid_request_error',
          code: 'amount_too_large',
          message: 'Refund amount ($20.00) is greater than charge amount ($10.00)',
          param: 'amount',
        },
      });
    const error = await rejection(adapter.refund('pi_1GszsK2eZvKYlo2CfhZyoZLp', { amount: 2000 }));
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 400, code: 'amount_too_large', retryable: false });
    expect(error.message).toContain('parameter `amount`');
  });

  it('maps an idempotency conflict to ConflictError without retrying', async () => {
    nock(API)
      .post('/v1/refunds')
      .reply(400, {
        error: {
          type: 'idempotency_error',
          message:
            'Keys for idempotent requests can only be used with the same parameters they were first used with.',
        },
      });
    const error = await rejection(
      adapter.refund('pi_1GszsK2eZvKYlo2CfhZyoZLp', { idempotencyKey: 'refund-1' }),
    );
    expect(ConflictError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
  });

  it('throws PaymentDeclinedError for a card error without a PaymentIntent', async () => {
    nock(API)
      .post('/v1/payment_intents/pi_1GszsK2eZvKYlo2CfhZyoZLp/capture')
      .reply(402, {
        error: {
          type: 'card_error',
          code: 'card_declined',
          decline_code: 'do_not_honor',
          message: 'Your card was declined.',
        },
      });
    const error = await rejection(adapter.capture('pi_1GszsK2eZvKYlo2CfhZyoZLp'));
    expect(PaymentDeclinedError.isInstance(error)).toBe(true);
    expect((error as PaymentDeclinedError).declineCode).toBe('do_not_honor');
  });

  it('retries a 500 that Stripe marks retryable with the same key, and stops on Stripe-Should-Retry: false', async () => {
    const keys: string[] = [];
    nock(API)
      .post('/v1/refunds')
      .times(2)
      .reply(function reply() {
        keys.push(this.req.headers['idempotency-key'] as string);
        return keys.length === 1
          ? [500, { error: { type: 'api_error', message: 'An unknown error occurred' } }]
          : [200, fixture('refund.json')];
      });
    await adapter.refund('pi_1GszsK2eZvKYlo2CfhZyoZLp');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);

    nock(API)
      .post('/v1/refunds')
      .reply(
        500,
        { error: { type: 'api_error', message: 'An unknown error occurred' } },
        { 'stripe-should-retry': 'false' },
      );
    const error = await rejection(adapter.refund('pi_1GszsK2eZvKYlo2CfhZyoZLp'));
    expect(GatewayError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
  });

  it('reports a persistent 429 as RateLimitError with Retry-After', async () => {
    nock(API)
      .get('/v1/payment_intents/pi_1GszsK2eZvKYlo2CfhZyoZLp')
      .query(true)
      .reply(
        429,
        { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' } },
        { 'retry-after': '120' },
      );
    const error = await rejection(adapter.getPayment('pi_1GszsK2eZvKYlo2CfhZyoZLp', { maxRetries: 3 }));
    expect(RateLimitError.isInstance(error)).toBe(true);
    // 120 s is past the default 60 s ceiling: thrown at once rather than waited for.
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
  });

  it('keeps the API key out of errors even when a proxy echoes it', async () => {
    nock(API)
      .get('/v1/payment_intents/pi_1GszsK2eZvKYlo2CfhZyoZLp')
      .query(true)
      .reply(401, {
        error: {
          type: 'invalid_request_error',
          message: `Invalid API Key provided: ${API_KEY} (also tried sk_live_51HqLyjWDarjtT1zdp7dc)`,
        },
      });
    const error = await rejection(adapter.getPayment('pi_1GszsK2eZvKYlo2CfhZyoZLp'));
    const text = JSON.stringify({ message: error.message, error });
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain('sk_live_51HqLyjWDarjtT1zdp7dc');
    expect(error.message).toContain('Invalid API Key provided: [REDACTED] (also tried ');
  });
});
