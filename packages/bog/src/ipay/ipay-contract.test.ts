import { readFileSync } from 'node:fs';
import { describeProviderContract, type RecordedRequest } from '@colchis/core/testing';
import { createIpay } from './ipay-provider.js';
import { IPAY_STATUSES, mapIpayStatus } from './map-ipay-status.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

const SECRET_KEY = 'contract-secret-key-5f1e9a7c';
const CLIENT_ID = 'contract-client';
const PAYMENT_HASH = 'd7936f718c2b0ec2517a28c9de76966bcbecfe29';
const cardPayment = {
  ...(fixture('payment-details-card-payment.json') as Record<string, unknown>),
  order_id: 'order-1',
  payment_hash: PAYMENT_HASH,
};

// The fault server's normal answers, shaped like iPay's documented ones.
function serve(request: RecordedRequest) {
  if (request.method === 'POST' && request.url === '/oauth2/token') {
    return {
      status: 200,
      body: {
        access_token: `contract-token-${request.body.length}-${Date.now()}`,
        token_type: 'Bearer',
        expires_in: Date.now() + 600_000,
      },
    };
  }
  if (request.method === 'GET' && request.url === '/checkout/payment/order-1')
    return { status: 200, body: cardPayment };
  if (request.method === 'GET' && request.url === '/checkout/orders/order-1') {
    return { status: 200, body: fixture('order-details.json') };
  }
  // A return answers 200 with no body.
  if (request.method === 'POST' && request.url === '/checkout/refund') return { status: 200 };
  return undefined;
}

describeProviderContract({
  name: 'ipay',
  createProvider: (context) =>
    createIpay({
      baseUrl: context.baseUrl,
      clientId: CLIENT_ID,
      secretKey: SECRET_KEY,
      timeoutMs: context.timeoutMs,
      maxRetries: context.maxRetries,
      retry: context.retry,
      hooks: context.hooks,
      dispatcher: context.dispatcher,
      lookupOrder: () => ({ paymentHash: PAYMENT_HASH, amount: { amount: 1000, currency: 'GEL' } }),
    }),
  serve,
  statuses: { documented: IPAY_STATUSES, map: (raw) => mapIpayStatus(raw) },
  read: {
    run: (provider) => provider.getPayment('order-1'),
    matches: (request) => request.method === 'GET' && request.url.startsWith('/checkout/payment/'),
  },
  write: {
    run: (provider) => provider.refund('order-1', { amount: 100 }),
    matches: (request) => request.method === 'POST' && request.url === '/checkout/refund',
    // iPay documents no idempotency key: a refund is never repeated once it may have arrived.
    idempotencyHeader: undefined,
  },
  auth: 'oauth',
  isTokenRequest: (request) => request.url === '/oauth2/token',
  secrets: [SECRET_KEY],
});
