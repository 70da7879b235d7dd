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

const counts: Record<string, number> = { payments: 0, tokens: 0, other: 0 };

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
