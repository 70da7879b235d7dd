import { readFileSync } from 'node:fs';
import { describeProviderContract } from '@colchis/core/testing';
import { expect } from 'vitest';
import { mapStripeStatus, STRIPE_STATUS_MAP } from './map-stripe-status.js';
import { createStripeAdapter } from './stripe-adapter.js';
import { createStripeTestWebhook } from './stripe-test-webhook.js';

// The adapter's stripe-node client is pointed at the contract suite's fault server through its
// own host/port/protocol settings: every fault is served to the official client.
const API_KEY = 'sk_test_contractKey0123456789abcdef';
const WEBHOOK_SECRET = 'whsec_contractSecret0123456789abcdef';
const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const intent = { ...JSON.parse(fixture('payment-intent-captured.json')), id: 'pi_contract' };
const charge = { ...JSON.parse(fixture('charge.json')), payment_intent: 'pi_contract' };
const refund = { ...JSON.parse(fixture('refund.json')), amount: 500, payment_intent: 'pi_contract' };
const event = fixture('event-payment-intent-succeeded.json');

describeProviderContract({
  name: 'stripe',
  createProvider(context) {
    const url = new URL(context.baseUrl);
    return createStripeAdapter({
      apiKey: API_KEY,
      webhookSecret: WEBHOOK_SECRET,
      stripeOptions: { host: url.hostname, port: Number(url.port), protocol: 'http' },
      timeoutMs: context.timeoutMs,
      maxRetries: context.maxRetries,
      retry: context.retry,
      hooks: context.hooks,
    });
  },
  serve(request) {
    if (request.method === 'GET' && request.url.startsWith('/v1/payment_intents/pi_contract')) {
      return {
        status: 200,
        body: { ...intent, latest_charge: charge },
        headers: { 'request-id': 'req_read' },
      };
    }
    if (request.method === 'POST' && request.url === '/v1/refunds') {
      return { status: 200, body: refund, headers: { 'request-id': 'req_write' } };
    }
    return undefined;
  },
  statuses: { documented: STRIPE_STATUS_MAP, map: mapStripeStatus },
  read: {
    run: (provider) => provider.getPayment('pi_contract'),
    matches: (request) =>
      request.method === 'GET' && request.url.startsWith('/v1/payment_intents/pi_contract'),
  },
  write: {
    run: (provider) => provider.refund('pi_contract', { amount: 500 }),
    matches: (request) => request.method === 'POST' && request.url === '/v1/refunds',
    idempotencyHeader: 'Idempotency-Key',
  },
  auth: 'static',
  secrets: [API_KEY, WEBHOOK_SECRET],
  webhook: {
    body: event,
    signatureHeader: 'Stripe-Signature',
    async sign(body, options) {
      const secret = options?.wrongKey ? 'whsec_anotherEndpointSecret987654321' : WEBHOOK_SECRET;
      return (await createStripeTestWebhook({ event: body, secret })).headers;
    },
    check(verified) {
      expect(verified.type).toBe('payment.updated');
      expect(verified.status).toBe('captured');
      expect(verified.paymentId).toBe('pi_3MrPBM2eZvKYlo2C1TEMacFD');
      expect(verified.reference).toBe('enrollment-42');
      expect(verified.signed).toBe(true);
    },
  },
});
