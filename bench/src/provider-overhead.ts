/**
 * Provider overhead (issue 8, benchmark 2): `getPayment` of every gateway package against the
 * sandbox, next to a hand-written minimal raw-undici call doing the same HTTP exchange (same
 * method, URL, credentials and number of requests; the cached token where the gateway uses one;
 * mutual TLS for ProCredit), followed by `JSON.parse`. The difference is what the package adds:
 * the HTTP client, authentication, zod parsing of the answer and the mapping to a `Payment`.
 */
import { createBog } from '@colchis/bog';
import { createIpay } from '@colchis/bog/ipay';
import type { Payment } from '@colchis/core';
import { defaultTransport } from '@colchis/core';
import { createIoka } from '@colchis/ioka';
import { createProCredit, decodeProCreditPaymentId } from '@colchis/procredit';
import { createStripeAdapter } from '@colchis/stripe-adapter';
import Stripe from 'stripe';
import { Agent, request } from 'undici';
import type { Benchmark, BenchmarkContext, Measurement } from './harness/benchmark.js';
import { type ChildSandbox, startChildSandbox } from './harness/child-sandbox.js';
import { collectGarbage } from './harness/interleaved-rounds.js';
import { type LoadRoundFigures, runPairedSequential } from './harness/load-loops.js';
import { median } from './harness/statistics.js';
import { createStripeHttpClientOverTransport } from './harness/stripe-http-client-over-transport.js';

const sizes = {
  full: { rounds: 8, calls: 250, warmUpCalls: 300 },
  quick: { rounds: 3, calls: 60, warmUpCalls: 60 },
};
const TARGET = { on: 'ratio', comparison: '<=', value: 1.2 } as const;
const RETURN_URL = 'https://shop.example/return/order-1';
const WEBHOOK_URL = 'https://shop.example/webhooks';

/** One gateway: our `getPayment` and the raw exchange it is compared with. */
interface GatewayCase {
  readonly id: string;
  readonly name: string;
  /** What the raw side does, for the table. */
  readonly referenceName: string;
  /** The latency target; none for an informational comparison. Default ≤ 1.20×. */
  readonly target?: Measurement['target'];
  readonly note?: string | undefined;
  ours(): Promise<Payment>;
  raw(): Promise<unknown>;
  /** Checks that both sides read the same payment (run once before measuring). */
  check(payment: Payment, raw: unknown): void;
  close(): Promise<void>;
}

/** The provider overhead benchmark, registered in `benchmark-registry.ts`. */
export const providerOverhead: Benchmark = {
  id: 'provider',
  title: 'Provider overhead: getPayment vs a minimal raw-undici exchange',
  method:
    "The sandbox (`@colchis/sandbox`) runs in its own process, pinned to the server CPU. For each gateway a payment is created first, then every round alternates call by call between the package's `getPayment(id)` and a hand-written raw `undici.request` doing the same HTTP exchange, each call followed by `JSON.parse` of the answer: BOG `GET /receipt/{id}` with the cached bearer token; iPay its two `GET`s (payment details and order details, in parallel as the provider sends them) with the cached token; ioka `GET /v2/orders/{id}` with `API-KEY`; ProCredit `GET /order/{id}?password=…` over mutual TLS (an undici `Agent` with the client certificate, key and CA); Stripe `GET /v1/payment_intents/{id}?expand[0]=latest_charge` with the secret key. The package's side adds its HTTP client, authentication, zod validation and the mapping to a `Payment`; for the Stripe adapter, stripe-node itself (its default `node:http` client), which the adapter is built on. Reported: the median latency per round (target ≤ 1.20× the raw exchange) and the client CPU per call.",
  run,
};

async function run(context: BenchmarkContext): Promise<Measurement[]> {
  const size = context.quick ? sizes.quick : sizes.full;
  const sandbox = await startChildSandbox();
  const cases: GatewayCase[] = [];
  try {
    cases.push(
      await bogCase(sandbox),
      await ipayCase(sandbox),
      await iokaCase(sandbox),
      await procreditCase(sandbox),
      ...(await stripeCases(sandbox)),
    );
    const measurements: Measurement[] = [];
    for (const gateway of cases) {
      const [payment, raw] = [await gateway.ours(), await gateway.raw()];
      gateway.check(payment, raw);
      context.log(
        `${gateway.id}: warm-up ${size.warmUpCalls} calls each, ${size.rounds} rounds x ${size.calls} pairs`,
      );
      await runPairedSequential(gateway.ours, gateway.raw, size.warmUpCalls);
      const ours: LoadRoundFigures[] = [];
      const reference: LoadRoundFigures[] = [];
      for (let round = 0; round < size.rounds; round++) {
        collectGarbage();
        // Who goes first alternates inside runPairedSequential; the order of the pair per round too.
        const figures =
          round % 2 === 0
            ? await runPairedSequential(gateway.ours, gateway.raw, size.calls)
            : swap(await runPairedSequential(gateway.raw, gateway.ours, size.calls));
        ours.push(figures.first);
        reference.push(figures.second);
      }
      const pick = (figures: LoadRoundFigures[], name: keyof LoadRoundFigures) => figures.map((f) => f[name]);
      const latency = { ours: pick(ours, 'medianLatencyUs'), reference: pick(reference, 'medianLatencyUs') };
      const cpu = { ours: pick(ours, 'cpuUsPerCall'), reference: pick(reference, 'cpuUsPerCall') };
      measurements.push(
        {
          id: `provider.${gateway.id}.latency`,
          label: `Provider: ${gateway.name} getPayment, median latency`,
          unit: 'µs',
          ours: median(latency.ours),
          reference: median(latency.reference),
          referenceName: gateway.referenceName,
          higherIsBetter: false,
          target: 'target' in gateway ? gateway.target : TARGET,
          rounds: latency,
          chart: !('target' in gateway) || gateway.target !== undefined,
          note: gateway.note,
        },
        {
          id: `provider.${gateway.id}.cpu`,
          label: `Provider: ${gateway.name} getPayment, client CPU per call`,
          unit: 'µs',
          ours: median(cpu.ours),
          reference: median(cpu.reference),
          referenceName: gateway.referenceName,
          higherIsBetter: false,
          rounds: cpu,
        },
      );
    }
    return measurements;
  } finally {
    for (const gateway of cases) await gateway.close();
    await sandbox.close();
  }
}

function swap<T>(figures: { first: T; second: T }): { first: T; second: T } {
  return { first: figures.second, second: figures.first };
}

async function readJson(url: string, options: Parameters<typeof request>[1]): Promise<unknown> {
  const response = await request(url, options);
  const data: unknown = JSON.parse(await response.body.text());
  if (response.statusCode !== 200) throw new Error(`raw exchange: status ${response.statusCode} from ${url}`);
  return data;
}

function expectSame(gateway: string, ours: unknown, raw: unknown): void {
  if (ours !== raw)
    throw new Error(`${gateway}: the package read ${String(ours)}, the raw exchange ${String(raw)}`);
}

async function bogCase(sandbox: ChildSandbox): Promise<GatewayCase> {
  const bog = createBog({ ...sandbox.bog, callbackUrl: WEBHOOK_URL });
  const created = await bog.createPayment({
    amount: { amount: 2550, currency: 'GEL' },
    reference: 'bench-bog-1',
    returnUrl: RETURN_URL,
  });
  const token = await bog.client.getAccessToken();
  const url = `${sandbox.bog.apiUrl}/receipt/${encodeURIComponent(created.id)}`;
  const headers = { authorization: `Bearer ${token}` };
  return {
    id: 'bog',
    name: 'BOG',
    referenceName: 'raw undici: GET receipt',
    ours: () => bog.getPayment(created.id),
    raw: () => readJson(url, { headers }),
    check: (payment, raw) => expectSame('bog', payment.id, (raw as { order_id: string }).order_id),
    close: async () => {},
  };
}

async function ipayCase(sandbox: ChildSandbox): Promise<GatewayCase> {
  const ipay = createIpay({ ...sandbox.ipay });
  const created = await ipay.createPayment({
    amount: { amount: 2550, currency: 'GEL' },
    reference: 'bench-ipay-1',
    returnUrl: RETURN_URL,
  });
  const token = await ipay.client.getAccessToken();
  const id = encodeURIComponent(created.id);
  const headers = { authorization: `Bearer ${token}` };
  const paymentUrl = `${sandbox.ipay.baseUrl}/checkout/payment/${id}`;
  const orderUrl = `${sandbox.ipay.baseUrl}/checkout/orders/${id}`;
  return {
    id: 'ipay',
    name: 'iPay',
    referenceName: 'raw undici: 2 GETs in parallel',
    ours: () => ipay.getPayment(created.id),
    raw: () => Promise.all([readJson(paymentUrl, { headers }), readJson(orderUrl, { headers })]),
    check: (payment, raw) => expectSame('ipay', payment.id, (raw as [unknown, { id: string }])[1].id),
    close: async () => {},
  };
}

async function iokaCase(sandbox: ChildSandbox): Promise<GatewayCase> {
  const ioka = createIoka({ ...sandbox.ioka });
  const created = await ioka.createPayment({
    amount: { amount: 500_000, currency: 'KZT' },
    reference: 'bench-ioka-1',
    returnUrl: RETURN_URL,
  });
  const url = `${sandbox.ioka.baseUrl}/v2/orders/${encodeURIComponent(created.id)}`;
  const headers = { 'api-key': sandbox.ioka.apiKey };
  return {
    id: 'ioka',
    name: 'ioka',
    referenceName: 'raw undici: GET order',
    ours: () => ioka.getPayment(created.id),
    raw: () => readJson(url, { headers }),
    check: (payment, raw) => expectSame('ioka', payment.id, (raw as { id: string }).id),
    close: async () => {},
  };
}

async function procreditCase(sandbox: ChildSandbox): Promise<GatewayCase> {
  const settings = sandbox.procredit;
  const procredit = createProCredit({
    baseUrl: settings.baseUrl,
    merchantId: settings.merchantId,
    typeRids: settings.typeRids,
    tls: settings.tls,
  });
  const created = await procredit.createPayment({
    amount: { amount: 2550, currency: 'GEL' },
    reference: 'bench-procredit-1',
    returnUrl: RETURN_URL,
  });
  const { orderId, password } = decodeProCreditPaymentId(created.id);
  const agent = new Agent({
    connect: { cert: settings.tls.certificate, key: settings.tls.privateKey, ca: settings.tls.ca },
  });
  const query = new URLSearchParams({
    password,
    orderDetailLevel: '2',
    tranDetailLevel: '1',
    tokenDetailLevel: '2',
  });
  const url = `${settings.baseUrl}/order/${orderId}?${query}`;
  return {
    id: 'procredit',
    name: 'ProCredit (mutual TLS)',
    referenceName: 'raw undici + mTLS Agent: GET order',
    ours: () => procredit.getPayment(created.id),
    raw: () => readJson(url, { dispatcher: agent }),
    check: (payment, raw) => {
      expectSame('procredit', orderId, String((raw as { order: { id: unknown } }).order.id));
      expectSame('procredit', payment.id, created.id);
    },
    close: async () => {
      await agent.close();
      await procredit.close();
    },
  };
}

async function stripeCases(sandbox: ChildSandbox): Promise<GatewayCase[]> {
  const { host, port, protocol, apiKey } = sandbox.stripe;
  const client = new Stripe(apiKey, { host, port, protocol });
  const intent = await client.paymentIntents.create({ amount: 2550, currency: 'usd' });
  const adapter = createStripeAdapter({ apiKey, stripeOptions: { host, port, protocol } });
  const url = `${sandbox.stripe.url}/v1/payment_intents/${intent.id}?expand%5B0%5D=latest_charge`;
  const headers = { authorization: `Bearer ${apiKey}` };
  const ours = () => adapter.getPayment(intent.id);
  // The experiment: the same adapter, its stripe-node client sending through Colchis' transport.
  const overTransport = createStripeAdapter({
    apiKey,
    stripeOptions: {
      host,
      port,
      protocol,
      httpClient: createStripeHttpClientOverTransport(defaultTransport()),
    },
  });
  const check = (payment: Payment, raw: unknown) =>
    expectSame('stripe', payment.id, (raw as { id: string }).id);
  return [
    {
      id: 'stripe',
      name: 'Stripe adapter',
      referenceName: 'raw undici: GET payment_intent',
      ours,
      raw: () => readJson(url, { headers }),
      check,
      close: async () => {},
    },
    {
      // The adapter is built on stripe-node by design: this row shows what it adds to stripe-node.
      id: 'stripe-over-stripe-node',
      name: 'Stripe adapter vs stripe-node',
      referenceName: 'stripe-node paymentIntents.retrieve',
      target: undefined,
      note: 'Informational: the same retrieve (with expand latest_charge) through stripe-node alone; the difference is what the adapter adds on top of stripe-node.',
      ours,
      raw: () => client.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] }),
      check,
      close: async () => {},
    },
    {
      id: 'stripe-over-colchis-transport',
      name: 'Stripe adapter on Colchis transport (experiment)',
      referenceName: 'raw undici: GET payment_intent',
      target: undefined,
      note: 'Informational: not the default. stripe-node given `httpClient` = a stripe-node HttpClient over core’s undici transport (bench/src/harness/stripe-http-client-over-transport.ts); see the Analysis.',
      ours: () => overTransport.getPayment(intent.id),
      raw: () => readJson(url, { headers }),
      check,
      close: async () => {},
    },
  ];
}
