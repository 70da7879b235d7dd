import { readFileSync } from 'node:fs';
import { type ColchisError, ConfigurationError, SignatureVerificationError } from '@colchis/core';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createStripeAdapter } from './stripe-adapter.js';
import { createStripeTestWebhook } from './stripe-test-webhook.js';

// Webhook bodies are Stripe events built from the API reference payloads in __fixtures__,
// signed with stripe-node's own stripe.webhooks.generateTestHeaderString.
const SECRET = 'whsec_webhookTestSecret0123456789';
const stripe = new Stripe('sk_test_webhookTests000000000000');
const adapter = createStripeAdapter({ webhookSecret: SECRET });
const body = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

function signed(payload: string, options: { secret?: string; timestamp?: number } = {}) {
  const header = stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? SECRET,
    ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
  });
  return { rawBody: payload, headers: { 'Stripe-Signature': header, 'Content-Type': 'application/json' } };
}

async function rejection(promise: Promise<unknown>): Promise<ColchisError> {
  try {
    await promise;
  } catch (error) {
    return error as ColchisError;
  }
  throw new Error('expected the call to fail');
}

describe('stripe webhooks: mapping', () => {
  it('maps checkout.session.completed to a captured payment identified by the session', async () => {
    const event = await adapter.verifyWebhook(signed(body('event-checkout-session-completed.json')));
    expect(event).toMatchObject({
      provider: 'stripe',
      type: 'payment.updated',
      id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy',
      paymentId: 'cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u',
      reference: 'enrollment-42',
      status: 'captured',
      rawStatus: 'complete',
      signed: true,
      payment: { amountCaptured: 2198, amount: { amount: 2198, currency: 'USD' } },
    });
  });

  it('maps payment_intent.succeeded with the snapshot payment', async () => {
    const event = await adapter.verifyWebhook(signed(body('event-payment-intent-succeeded.json')));
    expect(event).toMatchObject({
      type: 'payment.updated',
      paymentId: 'pi_3MrPBM2eZvKYlo2C1TEMacFD',
      reference: 'enrollment-42',
      status: 'captured',
      rawStatus: 'succeeded',
      payment: { id: 'pi_3MrPBM2eZvKYlo2C1TEMacFD', amountCaptured: 1000 },
    });
    expect(JSON.stringify(event)).not.toContain('_secret_');
  });

  it('maps charge.refunded to partially_refunded on the PaymentIntent', async () => {
    const event = await adapter.verifyWebhook(signed(body('event-charge-refunded.json')));
    expect(event).toMatchObject({
      type: 'payment.updated',
      paymentId: 'pi_3MmlLrLkdIwHu7ix0Rsbaa6g',
      reference: 'order-7',
      status: 'partially_refunded',
      rawStatus: 'succeeded',
    });
  });

  it('maps refund.updated to refund.updated with the refund status', async () => {
    const event = await adapter.verifyWebhook(signed(body('event-refund-updated.json')));
    expect(event).toMatchObject({
      type: 'refund.updated',
      paymentId: 'pi_1GszsK2eZvKYlo2CfhZyoZLp',
      rawStatus: 'pending',
    });
    expect(event.status).toBeUndefined();
  });

  it('maps a failed charge of a customer-facing payment to requires_action, of a saved-card charge to failed', async () => {
    const charge = JSON.parse(body('charge.json'));
    const failed = {
      ...charge,
      status: 'failed',
      paid: false,
      failure_code: 'card_declined',
      payment_intent: 'pi_1',
    };
    const event = (metadata: Record<string, string>) =>
      JSON.stringify({
        id: 'evt_1',
        object: 'event',
        type: 'charge.failed',
        data: { object: { ...failed, metadata } },
      });
    expect((await adapter.verifyWebhook(signed(event({})))).status).toBe('requires_action');
    expect((await adapter.verifyWebhook(signed(event({ colchis_saved_method_charge: 'true' })))).status).toBe(
      'failed',
    );
  });

  it('returns unrelated events as unknown instead of failing', async () => {
    const event = await adapter.verifyWebhook(signed(body('event-customer-created.json')));
    expect(event).toMatchObject({
      provider: 'stripe',
      type: 'unknown',
      id: 'evt_1MuGs42eZvKYlo2CuVuUGOUN',
      signed: true,
    });
    expect(event.paymentId).toBeUndefined();
  });
});

describe('stripe webhooks: verification', () => {
  const payload = body('event-payment-intent-succeeded.json');

  it('enforces the timestamp tolerance', async () => {
    const old = Math.floor(Date.now() / 1000) - 301;
    const error = await rejection(adapter.verifyWebhook(signed(payload, { timestamp: old })));
    expect(SignatureVerificationError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/older than the 300 s tolerance/);
    const lenient = createStripeAdapter({ webhookSecret: SECRET, webhookToleranceSeconds: 600 });
    expect((await lenient.verifyWebhook(signed(payload, { timestamp: old }))).type).toBe('payment.updated');
  });

  it('accepts any of several secrets during a rotation', async () => {
    const rotating = createStripeAdapter({ webhookSecret: ['whsec_oldSecret0000000000', SECRET] });
    expect((await rotating.verifyWebhook(signed(payload))).type).toBe('payment.updated');
  });

  it('says what is wrong: another secret, a malformed header, a re-serialized body', async () => {
    const wrong = await rejection(
      adapter.verifyWebhook(signed(payload, { secret: 'whsec_otherEndpoint00000' })),
    );
    expect(wrong.message).toMatch(/raw request body.*webhook secret/s);
    const malformed = await rejection(
      adapter.verifyWebhook({ rawBody: payload, headers: { 'stripe-signature': 'v1=abc' } }),
    );
    expect(malformed.message).toMatch(/malformed/);
    const reserialized = JSON.stringify(JSON.parse(payload));
    const { headers } = signed(payload);
    expect(
      SignatureVerificationError.isInstance(
        await rejection(adapter.verifyWebhook({ rawBody: reserialized, headers })),
      ),
    ).toBe(true);
  });

  it('verifies bytes and the helper signs like Stripe', async () => {
    const { rawBody, headers } = await createStripeTestWebhook({ event: payload, secret: SECRET });
    expect(headers['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = await adapter.verifyWebhook({ rawBody: new TextEncoder().encode(rawBody), headers });
    expect(event.paymentId).toBe('pi_3MrPBM2eZvKYlo2C1TEMacFD');
  });

  it('needs a whsec_ secret and a positive tolerance', async () => {
    const missing = createStripeAdapter({ webhookSecret: [] });
    expect(ConfigurationError.isInstance(await rejection(missing.verifyWebhook(signed(payload))))).toBe(true);
    const apiKeyInstead = createStripeAdapter({ webhookSecret: 'sk_test_notAWebhookSecret' });
    const error = await rejection(apiKeyInstead.verifyWebhook(signed(payload)));
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect(error.message).not.toContain('sk_test_notAWebhookSecret');
    expect(() => createStripeAdapter({ webhookToleranceSeconds: 0 })).toThrow(/positive/);
  });
});
