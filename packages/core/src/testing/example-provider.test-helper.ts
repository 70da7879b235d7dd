// A minimal gateway built on core's HTTP client, used to check the contract suite itself.

import { GatewayError, SignatureVerificationError } from '../errors.js';
import { getHeader } from '../headers.js';
import { createHttpClient } from '../http-client.js';
import type { PaymentStatus } from '../payment-status.js';
import type { Payment, PaymentProvider, ProviderCapabilities } from '../payment-types.js';
import { bodyText, requireRawBody } from '../raw-body.js';
import { createTokenCache } from '../token-cache.js';
import { unsupportedOperation } from '../unsupported-operation.js';
import { verifyHmacSha256 } from '../webhook-crypto.js';
import type { ContractContext } from './describe-provider-contract.js';

export const EXAMPLE_STATUSES: Record<string, PaymentStatus> = {
  created: 'requires_action',
  pending: 'processing',
  held: 'authorized',
  paid: 'captured',
  refunded: 'refunded',
  declined: 'failed',
};

export function mapExampleStatus(raw: string): PaymentStatus {
  return EXAMPLE_STATUSES[raw] ?? 'processing';
}

export const EXAMPLE_SECRET = 'example-client-secret-123456';
export const EXAMPLE_WEBHOOK_KEY = 'example-webhook-key';

export function createExampleProvider(
  context: ContractContext,
  options: {
    keyed: boolean;
    oauth: boolean;
    capabilities?: Partial<ProviderCapabilities>;
    notExecuted?: number[];
  },
): PaymentProvider {
  const tokens = createTokenCache({
    fetchToken: async (signal) => {
      const result = await http.request<{ access_token: string; expires_in: number }>({
        operation: 'token',
        method: 'POST',
        path: '/token',
        form: { grant_type: 'client_credentials' },
        headers: { authorization: `Basic ${btoa(`client:${EXAMPLE_SECRET}`)}` },
        idempotent: true,
        options: { signal },
      });
      return { accessToken: result.data.access_token, expiresIn: result.data.expires_in };
    },
  });
  const notExecuted = new Set(options.notExecuted ?? []);
  // OAuth tokens refresh on 401; a static key travels as a plain header and is never retried.
  const auth = options.oauth
    ? async (force: boolean) => ({
        authorization: `Bearer ${await tokens.getToken({ forceRefresh: force })}`,
      })
    : undefined;
  const keyHeader = options.oauth ? {} : { 'api-key': EXAMPLE_SECRET };
  const http = createHttpClient({
    provider: 'example',
    baseUrl: context.baseUrl,
    timeoutMs: context.timeoutMs,
    retry: { ...context.retry, maxRetries: context.maxRetries },
    hooks: context.hooks,
    dispatcher: context.dispatcher,
    secrets: () => [EXAMPLE_SECRET],
    errorDetails: (data) => ({ message: (data as { message?: string })?.message }),
    headers: keyHeader,
    classifyError: ({ response }) =>
      notExecuted.has(response.status)
        ? new GatewayError(`example did not execute the request (${response.status}).`, {
            provider: 'example',
            statusCode: response.status,
            retryable: true,
          })
        : undefined,
  });
  const capabilities: ProviderCapabilities = {
    manualCapture: false,
    partialCapture: false,
    cancel: false,
    refund: true,
    partialRefund: true,
    savedMethods: false,
    webhooks: 'signed',
    ...options.capabilities,
  };
  const toPayment = (data: { id: string; status: string; amount: number }): Payment => ({
    provider: 'example',
    id: data.id,
    status: mapExampleStatus(data.status),
    rawStatus: data.status,
    amount: { amount: data.amount, currency: 'GEL' },
    amountCaptured: data.amount,
    amountRefunded: 0,
    raw: data,
  });
  return {
    id: 'example',
    capabilities,
    async createPayment() {
      return unsupportedOperation('example', 'createPayment');
    },
    async getPayment(id, requestOptions) {
      const result = await http.request<{ id: string; status: string; amount: number }>({
        operation: 'getPayment',
        method: 'GET',
        path: `/orders/${encodeURIComponent(id)}`,
        ...(auth ? { auth } : {}),
        options: requestOptions,
      });
      return toPayment(result.data);
    },
    async refund(id, input = {}, requestOptions) {
      const result = await http.request<{ id: string }>({
        operation: 'refund',
        method: 'POST',
        path: `/orders/${encodeURIComponent(id)}/refund`,
        json: { amount: input.amount },
        ...(auth ? { auth } : {}),
        ...(options.keyed ? { idempotencyHeader: 'Idempotency-Key' } : {}),
        options: requestOptions,
      });
      return {
        provider: 'example',
        id: result.data.id,
        paymentId: id,
        status: 'succeeded',
        rawStatus: 'ok',
        amount: input.amount,
        raw: result.data,
      };
    },
    async capture() {
      return unsupportedOperation('example', 'capture');
    },
    async cancel() {
      return unsupportedOperation('example', 'cancel');
    },
    async chargeSavedMethod() {
      return unsupportedOperation('example', 'saved payment methods');
    },
    async verifyWebhook(request) {
      const bytes = requireRawBody(request.rawBody, 'example');
      const signature = getHeader(request.headers, 'x-example-signature');
      if (!signature)
        throw new SignatureVerificationError('Missing X-Example-Signature header.', { provider: 'example' });
      if (!(await verifyHmacSha256(bytes, EXAMPLE_WEBHOOK_KEY, signature))) {
        throw new SignatureVerificationError('X-Example-Signature does not match.', { provider: 'example' });
      }
      const data = JSON.parse(bodyText(request.rawBody)) as { id: string; status: string };
      return {
        provider: 'example',
        type: 'payment.updated',
        paymentId: data.id,
        status: mapExampleStatus(data.status),
        rawStatus: data.status,
        signed: true,
        raw: data,
      };
    },
  };
}
