import { readFileSync } from 'node:fs';
import { describeProviderContract, type RecordedRequest } from '@colchis/core/testing';
import { expect } from 'vitest';
import { createIoka } from './ioka-provider.js';
import { signIokaTestWebhookAsync } from './ioka-webhook-signing.js';
import { IOKA_STATUS_MAP, mapIokaStatus } from './map-ioka-status.js';

const API_KEY = 'ioka-contract-api-key-7f3e9c21';
const WEBHOOK_KEY = 'ioka-contract-webhook-key-51ab0d';
const ORDER_ID = 'ord_CONTRACT01';

// The order in the current docs' shape (payments embedded), captured, with one partial refund.
const order = {
  id: ORDER_ID,
  shop_id: 'shp_test',
  status: 'PAID',
  created_at: '2024-03-01T10:00:00.123456',
  amount: 50000,
  currency: 'KZT',
  capture_method: 'AUTO',
  external_id: 'contract-ref-1',
  attempts: 9,
  checkout_url: `https://test.ioka.kz/orders/${ORDER_ID}`,
  access_token: `${ORDER_ID}_secret_abcdef`,
  payments: [
    {
      id: 'pay_CONTRACT01',
      order_id: ORDER_ID,
      status: 'CAPTURED',
      created_at: '2024-03-01T10:01:00.000001',
      approved_amount: 50000,
      captured_amount: 50000,
      refunded_amount: 10000,
      processing_fee: 0.0,
      payer: { pan_masked: '555555******5599', expiry_date: '12/30', payment_system: 'MASTERCARD' },
    },
  ],
};

const recorded = JSON.parse(
  readFileSync(new URL('./__fixtures__/webhook-payment-captured.json', import.meta.url), 'utf8'),
) as { body: string };

describeProviderContract({
  name: 'ioka',
  createProvider: (context) =>
    createIoka({
      apiKey: API_KEY,
      webhookKey: WEBHOOK_KEY,
      baseUrl: context.baseUrl,
      timeoutMs: context.timeoutMs,
      maxRetries: context.maxRetries,
      retry: context.retry,
      hooks: context.hooks,
      dispatcher: context.dispatcher,
    }),
  serve(request: RecordedRequest) {
    if (request.headers['api-key'] !== API_KEY) {
      return { status: 401, body: { code: 'Unauthorized', message: 'Invalid API key' } };
    }
    if (request.method === 'GET' && request.url === `/v2/orders/${ORDER_ID}`)
      return { status: 200, body: order };
    if (request.method === 'POST' && request.url === `/v2/orders/${ORDER_ID}/refunds`) {
      const { amount } = JSON.parse(request.body) as { amount: number };
      return {
        status: 200,
        body: {
          id: 'rfd_CONTRACT01',
          payment_id: 'pay_CONTRACT01',
          order_id: ORDER_ID,
          status: 'APPROVED',
          amount,
        },
      };
    }
    return undefined;
  },
  statuses: { documented: IOKA_STATUS_MAP, map: mapIokaStatus },
  read: {
    run: async (provider) => {
      const payment = await provider.getPayment(ORDER_ID);
      expect(payment.status).toBe('partially_refunded');
      return payment;
    },
    matches: (request) => request.method === 'GET' && request.url === `/v2/orders/${ORDER_ID}`,
  },
  write: {
    run: async (provider) => {
      const refund = await provider.refund(ORDER_ID, { amount: 15000 });
      expect(refund).toMatchObject({ id: 'rfd_CONTRACT01', amount: 15000, status: 'succeeded' });
      return refund;
    },
    matches: (request) => request.method === 'POST' && request.url === `/v2/orders/${ORDER_ID}/refunds`,
    // ioka honours no idempotency key; its 503 is documented as "guaranteed not executed".
    notExecutedStatuses: [503],
  },
  auth: 'static',
  secrets: [API_KEY, WEBHOOK_KEY],
  webhook: {
    body: recorded.body,
    signatureHeader: 'X-Signature',
    // The async signer works on every runtime: this suite also runs in the edge project.
    sign: async (body, options) =>
      (await signIokaTestWebhookAsync(body, options?.wrongKey ? 'some-other-webhook-key' : WEBHOOK_KEY))
        .headers,
    check: (event) => {
      expect(event).toMatchObject({
        type: 'payment.updated',
        paymentId: 'ord_QDNUK6JH11',
        reference: 'hqH2B2rkqiWJDPH7X',
        status: 'captured',
        signed: true,
      });
    },
  },
});
