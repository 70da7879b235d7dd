import { readFileSync } from 'node:fs';
import { describeProviderContract, type RecordedRequest } from '@colchis/core/testing';
import { createBog } from './bog-provider.js';
import { createBogTestKeyPair, signBogTestCallback } from './bog-test-signing.js';
import { BOG_ORDER_STATUS_MAP, mapBogStatus } from './map-bog-status.js';

const CLIENT_ID = 'contract-client';
const CLIENT_SECRET = 'contract-client-secret-7f3a91';
const keys = await createBogTestKeyPair();
const otherKeys = await createBogTestKeyPair();
const receipt = readFileSync(new URL('./__fixtures__/receipt-refunded.json', import.meta.url), 'utf8');
const completed = JSON.stringify({
  ...JSON.parse(receipt),
  order_status: { key: 'completed', value: 'Completed' },
  purchase_units: {
    request_amount: '100.5',
    transfer_amount: '100.5',
    refund_amount: '0.0',
    currency_code: 'GEL',
  },
});

describeProviderContract({
  name: 'bog',
  createProvider: (context) =>
    createBog({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      environment: 'sandbox',
      tokenUrl: `${context.baseUrl}/auth/realms/bog/protocol/openid-connect/token`,
      apiUrl: `${context.baseUrl}/payments/v1`,
      callbackPublicKey: keys.publicKey,
      timeoutMs: context.timeoutMs,
      maxRetries: context.maxRetries,
      retry: context.retry,
      hooks: context.hooks,
      dispatcher: context.dispatcher,
    }),
  serve(request: RecordedRequest) {
    if (request.url.endsWith('/openid-connect/token')) {
      return {
        status: 200,
        body: {
          access_token: `token-${globalThis.crypto.randomUUID()}`,
          token_type: 'Bearer',
          expires_in: Date.now() + 600_000,
        },
      };
    }
    if (request.method === 'GET' && request.url.startsWith('/payments/v1/receipt/')) {
      return { status: 200, body: completed };
    }
    if (request.method === 'POST' && request.url.startsWith('/payments/v1/payment/refund/')) {
      return {
        status: 200,
        body: {
          key: 'request_received',
          message: 'Refund request received',
          action_id: globalThis.crypto.randomUUID(),
        },
      };
    }
    return undefined;
  },
  statuses: { documented: BOG_ORDER_STATUS_MAP, map: (raw) => mapBogStatus(raw) },
  read: {
    run: (provider) => provider.getPayment('a767a276-cddd-43ec-9db3-9f9b39eee02d'),
    matches: (request) => request.method === 'GET' && request.url.startsWith('/payments/v1/receipt/'),
  },
  write: {
    run: (provider) => provider.refund('a767a276-cddd-43ec-9db3-9f9b39eee02d', { amount: 1050 }),
    matches: (request) => request.method === 'POST' && request.url.startsWith('/payments/v1/payment/refund/'),
    idempotencyHeader: 'Idempotency-Key',
  },
  auth: 'oauth',
  isTokenRequest: (request) => request.url.endsWith('/openid-connect/token'),
  secrets: [CLIENT_SECRET],
  webhook: {
    body: JSON.stringify({
      event: 'order_payment',
      zoned_request_time: '2022-11-23T18:06:37.240559Z',
      body: JSON.parse(completed),
    }),
    signatureHeader: 'Callback-Signature',
    sign: async (body, options) => ({
      'callback-signature': await signBogTestCallback(
        body,
        options?.wrongKey ? otherKeys.privateKey : keys.privateKey,
      ),
    }),
    check(event) {
      if (event.status !== 'captured' || event.paymentId !== 'a767a276-cddd-43ec-9db3-9f9b39eee02d') {
        throw new Error(`unexpected event ${JSON.stringify({ status: event.status, id: event.paymentId })}`);
      }
    },
  },
});
