import { ConfigurationError } from '@colchis/core';
import { createIoka } from '@colchis/ioka';
import { encodeProCreditPaymentId } from '@colchis/procredit';
import { type Sandbox, startSandbox } from '@colchis/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderFactory } from './app-options.js';
import { createProviderSetup, hasGatewayCredentials, readProviderName } from './create-provider.js';
import type { ProviderStorage } from './provider-storage.js';

function memoryStorage(): ProviderStorage & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return { entries, get: (key) => entries.get(key), set: (key, value) => void entries.set(key, value) };
}

describe('choosing the gateway', () => {
  it('reads COLCHIS_PROVIDER, defaulting to bog, and names the choices on a typo', () => {
    expect(readProviderName({})).toBe('bog');
    expect(readProviderName({ COLCHIS_PROVIDER: ' IOKA ' })).toBe('ioka');
    expect(() => readProviderName({ COLCHIS_PROVIDER: 'paypal' })).toThrow(
      'COLCHIS_PROVIDER must be one of bog, ipay, procredit, ioka, stripe; got "paypal".',
    );
  });

  it('uses the gateway only when all of its credentials are set', () => {
    expect(hasGatewayCredentials('bog', { BOG_CLIENT_ID: 'id' })).toBe(false);
    expect(hasGatewayCredentials('bog', { BOG_CLIENT_ID: 'id', BOG_CLIENT_SECRET: 'secret' })).toBe(true);
    expect(hasGatewayCredentials('stripe', { STRIPE_SECRET_KEY: 'sk_test_1' })).toBe(true);
    expect(hasGatewayCredentials('procredit', { PROCREDIT_CERTIFICATE_FILE: '/c.pem' })).toBe(false);
  });

  it('with credentials, talks to the gateway on the wall clock and starts no sandbox', async () => {
    const setup = await createProviderSetup({
      name: 'bog',
      environment: { BOG_CLIENT_ID: 'id', BOG_CLIENT_SECRET: 'secret' },
    });
    expect(setup.mode).toBe('gateway-test');
    expect(setup.sandbox).toBeUndefined();
    expect(setup.appOptions.currency).toBe('GEL');
    const before = Date.now();
    expect(setup.appOptions.clock?.now()).toBeGreaterThanOrEqual(before);
    await setup.close();
  });

  it('refuses a live Stripe key: the examples run in test mode only', async () => {
    const setup = await createProviderSetup({
      name: 'stripe',
      environment: { STRIPE_SECRET_KEY: 'sk_live_123' },
    });
    const factory = setup.appOptions.provider as ProviderFactory;
    await expect(
      factory({ webhookUrl: 'https://shop.example/webhooks', storage: memoryStorage() }),
    ).rejects.toSatisfy(
      (error) => ConfigurationError.isInstance(error) && /sk_test_/.test((error as Error).message),
    );
  });

  it('shows only the bank order id of a ProCredit payment id (it holds the order password)', async () => {
    const setup = await createProviderSetup({
      name: 'procredit',
      environment: { PROCREDIT_BASE_URL: 'https://bank.example', PROCREDIT_CERTIFICATE_FILE: '/c.pem' },
    });
    const id = encodeProCreditPaymentId({ orderId: '4711', password: 'topsecret' });
    const shown = setup.appOptions.displayPaymentId?.(id) ?? id;
    expect(shown).toBe('order 4711');
    expect(setup.appOptions.resendUnansweredCharges).toBe(false);
  });
});

describe('in the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('starts (and closes) its own sandbox when none is given', async () => {
    const setup = await createProviderSetup({ name: 'ioka', environment: {} });
    expect(setup.mode).toBe('sandbox');
    expect(setup.appOptions.currency).toBe('KZT');
    const response = await fetch(`${setup.sandbox?.url}/_control`);
    expect(response.status).toBe(200);
    await setup.close();
    await expect(fetch(`${setup.sandbox?.url}/_control`)).rejects.toThrow();
  });

  it('registers one ioka webhook per app URL and reuses it after a restart', async () => {
    const setup = await createProviderSetup({ name: 'ioka', sandbox });
    const factory = setup.appOptions.provider as ProviderFactory;
    const context = { webhookUrl: 'http://127.0.0.1:9/webhooks/payments', storage: memoryStorage() };
    await factory(context);
    await factory(context);
    const webhooks = await createIoka({ ...sandbox.ioka.settings }).client.webhooks.list();
    expect(webhooks.filter((webhook) => webhook.url === context.webhookUrl)).toHaveLength(1);
  });

  it('creates one Stripe webhook endpoint per app and keeps its secret for restarts', async () => {
    const setup = await createProviderSetup({ name: 'stripe', sandbox });
    const factory = setup.appOptions.provider as ProviderFactory;
    const storage = memoryStorage();
    const context = { webhookUrl: 'http://127.0.0.1:9/webhooks/payments', storage };
    await factory(context);
    const stored = storage.entries.get('stripe:webhook-endpoint');
    expect(stored).toMatch(/"secret":"whsec_/);
    await factory(context);
    expect(storage.entries.get('stripe:webhook-endpoint')).toBe(stored);
    const moved = { ...context, webhookUrl: 'http://127.0.0.1:9/other' };
    await factory(moved);
    expect(storage.entries.get('stripe:webhook-endpoint')).not.toBe(stored);
  });
});
