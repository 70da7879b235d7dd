/**
 * Transport overhead (issue 2 item 6, issue 8 benchmark 1): core's HTTP client doing a GET and
 * parsing the JSON answer, against raw `undici.request` + `JSON.parse(await body.text())` doing
 * the same exchange with the same server, the same global undici dispatcher and the same warm
 * keep-alive connections.
 */
import { request } from 'undici';
import type { Benchmark, BenchmarkContext, Measurement } from './harness/benchmark.js';
import { startChildServer } from './harness/child-server.js';
import { collectGarbage, runInterleavedRounds } from './harness/interleaved-rounds.js';
import { loadCore } from './harness/load-core.js';
import {
  type LoadRoundFigures,
  runConcurrent,
  runPairedSequential,
  runSequential,
} from './harness/load-loops.js';
import { median } from './harness/statistics.js';

const CONCURRENCY = 32;
const PAYMENT_PATH = '/payments/pay_7f3c2a9e41b04d6f';
const REFERENCE_NAME = 'raw undici.request';

const sizes = {
  full: { warmUpCalls: 3000, rounds: 16, sequentialCalls: 1500, concurrentCalls: 4000 },
  quick: { warmUpCalls: 300, rounds: 4, sequentialCalls: 300, concurrentCalls: 1000 },
};

/** The transport benchmark, registered in `benchmark-registry.ts`. */
export const transportOverhead: Benchmark = {
  id: 'transport',
  title: 'Transport overhead: core HTTP client vs raw undici',
  method:
    "`createHttpClient` from `@colchis/core` (default transport: undici, global keep-alive dispatcher) sends `GET /payments/:id` and parses the JSON; the reference is `undici.request(url)` followed by `JSON.parse(await body.text())`. Both run in the same process against the same server, after a warm-up of both. Sequential: each round makes N calls per contender one after the other, alternating between the contenders call by call (so both sample the same moments of a machine whose scheduling latency drifts), times each call and keeps the round's median latency. Concurrency 32: each round runs N calls with 32 in flight and divides by the wall time. Client CPU per call (`process.cpuUsage`, all threads) is shown too: it is the most direct measure of the client's own work, and it stays meaningful if the server ever becomes the bottleneck.",
  run,
};

async function run(context: BenchmarkContext): Promise<Measurement[]> {
  const size = context.quick ? sizes.quick : sizes.full;
  const { createHttpClient } = await loadCore();
  const server = await startChildServer();
  try {
    const client = createHttpClient({ provider: 'bench', baseUrl: server.origin });
    const url = `${server.origin}${PAYMENT_PATH}`;

    const ours = async (): Promise<unknown> => {
      const result = await client.request<{ id: string }>({
        operation: 'getPayment',
        method: 'GET',
        path: PAYMENT_PATH,
      });
      return result.data;
    };
    const raw = async (): Promise<unknown> => {
      const response = await request(url);
      const data: unknown = JSON.parse(await response.body.text());
      if (response.statusCode !== 200) throw new Error(`unexpected status ${response.statusCode}`);
      return data;
    };

    // Both must do the same exchange, or the comparison means nothing.
    const [ourDocument, rawDocument] = await Promise.all([ours(), raw()]);
    if (JSON.stringify(ourDocument) !== JSON.stringify(rawDocument)) {
      throw new Error('core and raw undici read different documents');
    }

    context.log(`warm-up: ${size.warmUpCalls} calls each, sequential and at concurrency ${CONCURRENCY}`);
    for (const call of [ours, raw]) {
      await runSequential(call, size.warmUpCalls);
      await runConcurrent(call, size.warmUpCalls, CONCURRENCY);
    }

    context.log(
      `sequential: ${size.rounds} rounds x ${size.sequentialCalls} calls per contender, alternating call by call`,
    );
    const sequential: { first: LoadRoundFigures[]; second: LoadRoundFigures[] } = { first: [], second: [] };
    for (let round = 0; round < size.rounds; round++) {
      collectGarbage();
      const figures = await runPairedSequential(ours, raw, size.sequentialCalls);
      sequential.first.push(figures.first);
      sequential.second.push(figures.second);
    }

    context.log(
      `concurrency ${CONCURRENCY}: ${size.rounds} rounds x ${size.concurrentCalls} calls per contender`,
    );
    const concurrent = await runInterleavedRounds<LoadRoundFigures>(
      { name: 'ours', runRound: () => runConcurrent(ours, size.concurrentCalls, CONCURRENCY) },
      { name: 'raw', runRound: () => runConcurrent(raw, size.concurrentCalls, CONCURRENCY) },
      { rounds: size.rounds, beforeRound: collectGarbage },
    );

    const counts = await server.counts();
    const expected =
      2 * (2 * size.warmUpCalls + size.rounds * (size.sequentialCalls + size.concurrentCalls)) + 2;
    if (counts.payments !== expected) {
      throw new Error(`the server saw ${counts.payments} payment requests, expected ${expected}`);
    }

    const pick = (figures: LoadRoundFigures[], name: keyof LoadRoundFigures) => figures.map((f) => f[name]);
    const compare = (
      figures: { first: LoadRoundFigures[]; second: LoadRoundFigures[] },
      name: keyof LoadRoundFigures,
    ) => {
      const oursRounds = pick(figures.first, name);
      const referenceRounds = pick(figures.second, name);
      return {
        ours: median(oursRounds),
        reference: median(referenceRounds),
        rounds: { ours: oursRounds, reference: referenceRounds },
      };
    };

    return [
      {
        id: 'transport.sequential-latency',
        label: 'Transport: sequential GET + JSON, median latency',
        unit: 'µs',
        ...compare(sequential, 'medianLatencyUs'),
        referenceName: REFERENCE_NAME,
        higherIsBetter: false,
        target: { on: 'ratio', comparison: '<=', value: 1.1 },
        chart: true,
      },
      {
        id: 'transport.throughput-c32',
        label: `Transport: throughput at concurrency ${CONCURRENCY}`,
        unit: 'req/s',
        ...compare(concurrent, 'callsPerSecond'),
        referenceName: REFERENCE_NAME,
        higherIsBetter: true,
        target: { on: 'ratio', comparison: '>=', value: 0.9 },
        chart: true,
      },
      {
        id: 'transport.sequential-cpu',
        label: 'Transport: client CPU per call, sequential',
        unit: 'µs',
        ...compare(sequential, 'cpuUsPerCall'),
        referenceName: REFERENCE_NAME,
        higherIsBetter: false,
        chart: true,
        note: 'Informational: CPU time of the client process per call; the difference is the work core adds.',
      },
      {
        id: 'transport.concurrent-cpu',
        label: `Transport: client CPU per call, concurrency ${CONCURRENCY}`,
        unit: 'µs',
        ...compare(concurrent, 'cpuUsPerCall'),
        referenceName: REFERENCE_NAME,
        higherIsBetter: false,
        chart: true,
      },
    ];
  } finally {
    await server.close();
  }
}
