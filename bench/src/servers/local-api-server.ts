/**
 * The local API the benchmarks call, run as a child process of the benchmark (see
 * `../harness/child-server.ts`): on this 2-core machine the server then works on the other core
 * and its CPU time is never charged to the client being measured.
 *
 * Answers are prepared once at start-up so the server does as little per request as it can: the
 * benchmarks measure the client, and a slow server would hide the client's differences.
 *
 * Talks to its parent over IPC: `ready` (with the port) once listening, and `counts` / `reset`
 * on request, so request counting never goes through the HTTP connections being measured.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** A message from the benchmark process. */
export type ServerCommand = { id: number; command: 'counts' | 'reset' };
/** A message to the benchmark process. */
export type ServerReply =
  | { type: 'ready'; port: number }
  | { type: 'reply'; id: number; counts: Record<string, number> };

// A payment as a gateway's "get payment" returns it: small, nested, a few strings and numbers.
const paymentDocument = {
  id: 'pay_7f3c2a9e41b04d6f',
  object: 'payment',
  status: 'succeeded',
  amount: { value: '125.50', currency: 'GEL' },
  amount_minor: 12550,
  captured: true,
  created_at: '2026-03-14T09:26:53.589Z',
  updated_at: '2026-03-14T09:27:01.112Z',
  description: 'Course enrollment: TypeScript for backend developers',
  reference: 'order-2026-000481',
  customer: { id: 'cus_48d1', email: 'nino@example.ge', name: 'Nino Beridze' },
  payment_method: { type: 'card', brand: 'visa', last4: '4242', expiry: '12/29' },
  metadata: { course: 'ts-backend', cohort: '2026-spring' },
};
const paymentBody = Buffer.from(JSON.stringify(paymentDocument));
const tokenBody = Buffer.from(
  JSON.stringify({ access_token: 'bench-access-token-0123456789', token_type: 'Bearer', expires_in: 3600 }),
);
const notFoundBody = Buffer.from(JSON.stringify({ error: 'not_found' }));

// Gateway-shaped answers, from the payloads the gateways document (the packages' recorded
// fixtures), so a gateway client parses exactly what the real API sends.
function fixture(packageName: string, file: string): Buffer {
  return readFileSync(new URL(`../../../packages/${packageName}/src/__fixtures__/${file}`, import.meta.url));
}
/** BOG token answer: the documented one, with a token usable as a bearer value. */
const bogTokenBody = Buffer.from(
  JSON.stringify({ access_token: 'bench-bog-access-token', token_type: 'Bearer', expires_in: 3600 }),
);
/** BOG `GET /receipt/{order_id}`: the documented payment-details example. */
const bogReceiptBody = fixture('bog', 'receipt-refunded.json');
/** ioka `GET /v2/orders/{order_id}`: the documented order. */
const iokaOrderBody = Buffer.from(
  JSON.stringify(
    (JSON.parse(fixture('ioka', 'create-order-response.json').toString()) as { order: unknown }).order,
  ),
);
/** Stripe `GET /v1/payment_intents/{id}`: Stripe's API reference example. */
const stripeIntentBody = fixture('stripe-adapter', 'payment-intent.json');

// Raw header arrays skip Node's per-request header object handling.
const jsonHeaders = (body: Buffer): string[] => [
  'content-type',
  'application/json',
  'content-length',
  String(body.length),
  'x-request-id',
  'req_bench_0001',
];
const paymentHeaders = jsonHeaders(paymentBody);
const tokenHeaders = jsonHeaders(tokenBody);
const notFoundHeaders = jsonHeaders(notFoundBody);
const bogTokenHeaders = jsonHeaders(bogTokenBody);
const bogReceiptHeaders = jsonHeaders(bogReceiptBody);
const iokaOrderHeaders = jsonHeaders(iokaOrderBody);
const stripeIntentHeaders = [
  ...jsonHeaders(stripeIntentBody),
  'request-id',
  'req_bench_0001',
  'stripe-version',
  '2026-10-28.endive',
];

/** Route families the server counts: generic payments and tokens, and each gateway's shape. */
const counts: Record<string, number> = { payments: 0, tokens: 0, bog: 0, ioka: 0, stripe: 0, other: 0 };

function answer(
  family: string,
  request: IncomingMessage,
  response: ServerResponse,
  headers: string[],
  body: Buffer,
): void {
  counts[family] = (counts[family] ?? 0) + 1;
  // Read any request body to the end, as a real API would, before answering.
  if (request.method === 'GET') {
    response.writeHead(200, headers);
    response.end(body);
    return;
  }
  request.resume();
  request.on('end', () => {
    response.writeHead(200, headers);
    response.end(body);
  });
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = request.url ?? '/';
  if (request.method === 'GET' && url.startsWith('/payments/')) {
    counts.payments = (counts.payments ?? 0) + 1;
    response.writeHead(200, paymentHeaders);
    response.end(paymentBody);
    return;
  }
  if (request.method === 'POST' && url === '/oauth2/token') {
    counts.tokens = (counts.tokens ?? 0) + 1;
    // Read the form body to the end, as a real token endpoint would, before answering.
    request.resume();
    request.on('end', () => {
      response.writeHead(200, tokenHeaders);
      response.end(tokenBody);
    });
    return;
  }
  if (request.method === 'GET' && url.startsWith('/v1/payment_intents/')) {
    answer('stripe', request, response, stripeIntentHeaders, stripeIntentBody);
    return;
  }
  if (request.method === 'GET' && url.startsWith('/bog/payments/v1/receipt/')) {
    answer('bog', request, response, bogReceiptHeaders, bogReceiptBody);
    return;
  }
  if (request.method === 'POST' && url === '/bog/token') {
    answer('bog', request, response, bogTokenHeaders, bogTokenBody);
    return;
  }
  if (request.method === 'GET' && url.startsWith('/ioka/v2/orders/')) {
    answer('ioka', request, response, iokaOrderHeaders, iokaOrderBody);
    return;
  }
  counts.other = (counts.other ?? 0) + 1;
  request.resume();
  response.writeHead(404, notFoundHeaders);
  response.end(notFoundBody);
}

const server = createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, handle);
// Longer than any benchmark round, so no keep-alive connection is closed mid-measurement.
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  process.send?.({ type: 'ready', port: address.port } satisfies ServerReply);
});

process.on('message', (message: ServerCommand) => {
  if (message.command === 'reset') for (const name of Object.keys(counts)) counts[name] = 0;
  process.send?.({ type: 'reply', id: message.id, counts: { ...counts } } satisfies ServerReply);
});

// The parent going away (normally or not) ends the server: no orphaned processes.
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close();
  process.exit(0);
});
