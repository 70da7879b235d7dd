import { type ColchisError, ConfigurationError } from '@colchis/core';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createStripeAdapter } from './stripe-adapter.js';

async function rejection(promise: Promise<unknown>): Promise<ColchisError> {
  try {
    await promise;
  } catch (error) {
    return error as ColchisError;
  }
  throw new Error('expected the call to fail');
}

describe('stripe adapter settings', () => {
  it('refuses contradictory or meaningless settings when created', () => {
    const client = new Stripe('sk_test_settings000000000000');
    expect(() => createStripeAdapter({ stripe: client, apiKey: 'sk_test_other' })).toThrow(
      ConfigurationError,
    );
    expect(() => createStripeAdapter({ dispatcher: {} as never })).toThrow(/stripeOptions\.httpAgent/);
    expect(() => createStripeAdapter({ defaultMode: 'elements' as never })).toThrow(/defaultMode/);
  });

  it('checks the API key on first use and says which key it got', async () => {
    const publishable = await rejection(createStripeAdapter({ apiKey: 'pk_test_51Abc' }).getPayment('pi_1'));
    expect(ConfigurationError.isInstance(publishable)).toBe(true);
    expect(publishable.message).toMatch(/publishable key/);
    const webhook = await rejection(createStripeAdapter({ apiKey: 'whsec_abc123456' }).getPayment('pi_1'));
    expect(webhook.message).toMatch(/webhookSecret/);
    expect(webhook.message).not.toContain('whsec_abc123456');
  });

  it('uses a configured stripe instance as is and exposes it', () => {
    const client = new Stripe('sk_test_settings000000000000');
    const adapter = createStripeAdapter({ stripe: client });
    expect(adapter.client).toBe(client);
    expect(adapter.id).toBe('stripe');
    expect(adapter.capabilities).toMatchObject({
      manualCapture: true,
      savedMethods: true,
      webhooks: 'signed',
    });
  });

  it('identifies itself to Stripe with appInfo, including the user agent suffix', () => {
    const adapter = createStripeAdapter({
      apiKey: 'sk_test_settings000000000000',
      userAgentSuffix: 'school/1.2',
    });
    expect(adapter.client.getAppInfoAsString()).toMatch(/^Colchis\/\S+ school\/1\.2 \(https:/);
  });
});
