import { readFileSync } from 'node:fs';
import { describeProviderContract, type RecordedRequest } from '@colchis/core/testing';
import { startSandbox } from '@colchis/sandbox';
import { Agent } from 'undici';
import { afterAll } from 'vitest';
import { mapProCreditStatus, PROCREDIT_STATUSES } from './map-procredit-status.js';
import { encodeProCreditPaymentId } from './procredit-payment-id.js';
import { createProCredit } from './procredit-provider.js';

// The fault server runs real mutual TLS with the sandbox's generated certificates: the provider
// presents the merchant's client certificate and trusts only the sandbox CA.
const sandbox = await startSandbox();
afterAll(() => sandbox.close());
const { certificates } = sandbox.procredit;

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as { body: unknown };

const ORDER_PASSWORD = 'contractpass77';
const PAYMENT_ID = encodeProCreditPaymentId({
  orderId: '1027',
  password: ORDER_PASSWORD,
  expected: { amount: 2000, currency: 'EUR' },
});

function serve(request: RecordedRequest) {
  if (request.method === 'GET' && request.url.startsWith('/order/1027?')) {
    return { status: 200, body: fixture('order-fully-paid-quipu.json').body };
  }
  if (request.method === 'POST' && request.url.startsWith('/order/1027/exec-tran')) {
    return { status: 200, body: fixture('exec-tran-response.json').body };
  }
  return undefined;
}

describeProviderContract({
  name: 'procredit',
  createProvider: (context) =>
    createProCredit({
      baseUrl: context.baseUrl,
      tls: {
        certificate: certificates.client.certificate,
        privateKey: certificates.client.privateKey,
        ca: certificates.ca,
      },
      timeoutMs: context.timeoutMs,
      maxRetries: context.maxRetries,
      retry: context.retry,
      hooks: context.hooks,
    }),
  serve,
  tls: {
    server: {
      key: certificates.server.privateKey,
      cert: certificates.server.certificate,
      ca: [certificates.ca],
      requestCert: true,
      rejectUnauthorized: true,
    },
    dispatcher: new Agent({
      connect: {
        ca: certificates.ca,
        cert: certificates.client.certificate,
        key: certificates.client.privateKey,
      },
    }),
  },
  statuses: { documented: PROCREDIT_STATUSES, map: mapProCreditStatus },
  read: {
    run: (provider) => provider.getPayment(PAYMENT_ID),
    matches: (request) => request.method === 'GET' && request.url.startsWith('/order/1027'),
  },
  write: {
    // A partial refund: exec-tran has no idempotency key, so it must never be repeated.
    run: (provider) => provider.refund(PAYMENT_ID, { amount: 500 }),
    matches: (request) => request.method === 'POST' && request.url.includes('/exec-tran'),
  },
  auth: 'static',
  secrets: [certificates.client.privateKey, ORDER_PASSWORD, PAYMENT_ID],
});
