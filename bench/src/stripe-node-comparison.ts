/**
 * Against the incumbent (issue 8, benchmark 3): the same "retrieve one payment" exchange through
 * stripe-node (its default `node:http` client) and through Colchis' transport (core's HTTP
 * client over undici), against the same local endpoint answering Stripe's documented
 * PaymentIntent.
 */
import Stripe from 'stripe';
import type { Benchmark, BenchmarkContext, Measurement } from './harness/benchmark.js';
import { startChildServer } from './harness/child-server.js';
import { collectGarbage, runInterleavedRounds } from './harness/interleaved-rounds.js';
import { loadCore } from './harness/load-core.js';
import { type LoadRoundFigures, runConcurrent, runPairedSequential } from './harness/load-loops.js';
import { median } from './harness/statistics.js';

const CONCURRENCY = 32;
const INTENT_ID = 'pi_3MtwBwLkdIwHu7ix28a3tqPa';
const API_KEY = 'sk_test_colchis_bench_0123456789';
const REFERENCE_NAME = 'stripe-node (node:http)';
const sizes = {
  full: { rounds: 8, warmUpCalls: 500, sequentialCalls: 300, concurrentCalls: 1500 },
  quick: { rounds: 3, warmUpCalls: 100, sequentialCalls: 80, concurrentCalls: 300 },
};

/** The stripe-node comparison, registered in `benchmark-registry.ts`. */
export const stripeNodeComparison: Benchmark = {
  id: 'stripe-node',
  title: 'Against the incumbent: retrieve one payment, Colchis transport vs stripe-node',
  method: `Both clients retrieve the same PaymentIntent (\`GET /v1/payment_intents/{id}\`, answered with the example from Stripe's API reference by the local server) and hand back the parsed object. stripe-node is \`new Stripe(key, { host, port, protocol: 'http' })\` with its defaults (the \`node:http\` client, keep-alive agent, its own telemetry and user-agent headers, \`maxNetworkRetries\`); \`paymentIntents.retrieve(id)\` is timed. Ours is core's \`createHttpClient\` (the transport every Colchis gateway package uses: undici, the deadline, retries, typed errors) sending the same request with the same bearer key. Throughput at concurrency ${CONCURRENCY} is the target (≥ 2× stripe-node's), in interleaved rounds; sequential latency (alternating call by call) and client CPU per call are shown too.`,
  run,
};

async function run(context: BenchmarkContext): Promise<Measurement[]> {
  const size = context.quick ? sizes.quick : sizes.full;
  const { createHttpClient } = await loadCore();
  const server = await startChildServer();
  try {
    const { hostname, port } = new URL(server.origin);
    const stripe = new Stripe(API_KEY, { host: hostname, port: Number(port), protocol: 'http' });
    const client = createHttpClient({ provider: 'stripe', baseUrl: server.origin });
    const headers = { authorization: `Bearer ${API_KEY}` };
    const path = `/v1/payment_intents/${INTENT_ID}`;

    const ours = async (): Promise<unknown> =>
      (await client.request<{ id: string }>({ operation: 'getPayment', method: 'GET', path, headers })).data;
    const incumbent = (): Promise<unknown> => stripe.paymentIntents.retrieve(INTENT_ID);

    const [ourIntent, theirIntent] = (await Promise.all([ours(), incumbent()])) as {
      id: string;
      amount: number;
    }[];
    if (ourIntent?.id !== theirIntent?.id || ourIntent?.amount !== theirIntent?.amount) {
      throw new Error('Colchis and stripe-node read different PaymentIntents');
    }

    context.log(`warm-up: ${size.warmUpCalls} calls each`);
    for (const call of [ours, incumbent]) {
      await runConcurrent(call, size.warmUpCalls, CONCURRENCY);
      await runConcurrent(call, size.warmUpCalls / 5, 1);
    }
    context.log(`sequential: ${size.rounds} rounds x ${size.sequentialCalls} pairs`);
    const sequential: { first: LoadRoundFigures[]; second: LoadRoundFigures[] } = { first: [], second: [] };
    for (let round = 0; round < size.rounds; round++) {
      collectGarbage();
      const figures = await runPairedSequential(ours, incumbent, size.sequentialCalls);
      sequential.first.push(figures.first);
      sequential.second.push(figures.second);
    }
    context.log(`concurrency ${CONCURRENCY}: ${size.rounds} rounds x ${size.concurrentCalls} calls each`);
    const concurrent = await runInterleavedRounds<LoadRoundFigures>(
      { name: 'colchis', runRound: () => runConcurrent(ours, size.concurrentCalls, CONCURRENCY) },
      { name: 'stripe-node', runRound: () => runConcurrent(incumbent, size.concurrentCalls, CONCURRENCY) },
      { rounds: size.rounds, beforeRound: collectGarbage },
    );

    const compare = (
      figures: { first: LoadRoundFigures[]; second: LoadRoundFigures[] },
      name: keyof LoadRoundFigures,
    ) => {
      const oursRounds = figures.first.map((f) => f[name]);
      const referenceRounds = figures.second.map((f) => f[name]);
      return {
        ours: median(oursRounds),
        reference: median(referenceRounds),
        rounds: { ours: oursRounds, reference: referenceRounds },
      };
    };
    return [
      {
        id: 'stripe-node.throughput-c32',
        label: `Stripe retrieve: throughput at concurrency ${CONCURRENCY}`,
        unit: 'req/s',
        ...compare(concurrent, 'callsPerSecond'),
        referenceName: REFERENCE_NAME,
        higherIsBetter: true,
        target: { on: 'ratio', comparison: '>=', value: 2 },
        chart: true,
      },
      {
        id: 'stripe-node.sequential-latency',
        label: 'Stripe retrieve: sequential median latency',
        unit: 'µs',
        ...compare(sequential, 'medianLatencyUs'),
        referenceName: REFERENCE_NAME,
        higherIsBetter: false,
        chart: true,
      },
      {
        id: 'stripe-node.concurrent-cpu',
        label: `Stripe retrieve: client CPU per call at concurrency ${CONCURRENCY}`,
        unit: 'µs',
        ...compare(concurrent, 'cpuUsPerCall'),
        referenceName: REFERENCE_NAME,
        higherIsBetter: false,
      },
    ];
  } finally {
    await server.close();
  }
}
