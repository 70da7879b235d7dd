import { hmacSha256 } from '../webhook-crypto.js';
import { describeProviderContract, type ProviderContract } from './describe-provider-contract.js';
import {
  createExampleProvider,
  EXAMPLE_SECRET,
  EXAMPLE_STATUSES,
  EXAMPLE_WEBHOOK_KEY,
  mapExampleStatus,
} from './example-provider.test-helper.js';
import type { RecordedRequest } from './fault-server.js';

const serve = (request: RecordedRequest) => {
  if (request.url === '/token')
    return { status: 200, body: { access_token: `token-${Date.now()}`, expires_in: 3600 } };
  const order = /^\/orders\/([^/]+)$/.exec(request.url);
  if (order && request.method === 'GET')
    return { status: 200, body: { id: order[1], status: 'paid', amount: 1000 } };
  if (/^\/orders\/[^/]+\/refund$/.test(request.url)) return { status: 200, body: { id: 'refund-1' } };
  return undefined;
};

const base = (keyed: boolean, oauth: boolean, notExecuted: number[] = []): ProviderContract => ({
  name: `example (${keyed ? 'keyed' : 'unkeyed'}, ${oauth ? 'oauth' : 'api key'}${notExecuted.length ? ', 503 not executed' : ''})`,
  createProvider: (context) => createExampleProvider(context, { keyed, oauth, notExecuted }),
  serve,
  statuses: { documented: EXAMPLE_STATUSES, map: mapExampleStatus },
  read: {
    run: (provider) => provider.getPayment('order-1'),
    matches: (request) => request.method === 'GET' && request.url.startsWith('/orders/'),
  },
  write: {
    run: (provider) => provider.refund('order-1', { amount: 100 }),
    matches: (request) => request.method === 'POST' && request.url.endsWith('/refund'),
    idempotencyHeader: keyed ? 'Idempotency-Key' : undefined,
    notExecutedStatuses: notExecuted,
  },
  auth: oauth ? 'oauth' : 'static',
  isTokenRequest: (request) => request.url === '/token',
  secrets: [EXAMPLE_SECRET],
  webhook: {
    body: JSON.stringify({ id: 'order-1', status: 'paid', amount: 1000 }),
    signatureHeader: 'X-Example-Signature',
    sign: (body, options) => ({
      'x-example-signature': hmacSha256(options?.wrongKey ? 'another-key' : EXAMPLE_WEBHOOK_KEY, body),
    }),
    check: (event) => {
      if (event.status !== 'captured') throw new Error('expected captured');
    },
  },
});

// The suite must pass for a well-behaved provider in each retry/auth regime.
describeProviderContract(base(true, true));
describeProviderContract(base(false, false));
describeProviderContract(base(false, false, [503]));
