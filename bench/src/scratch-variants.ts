// TEMPORARY scratch (will be deleted): variant timing.
import { createHttpClient } from '@colchis/core';
import { undiciTransport } from '../../packages/core/src/undici-transport.js';
import { request } from 'undici';
import { startChildServer } from './harness/child-server.js';
import { runSequential, runConcurrent } from './harness/load-loops.js';
import { median } from './harness/statistics.js';

const server = await startChildServer();
const path = '/payments/pay_x';
const url = server.origin + path;
const client = createHttpClient({ provider: 'bench', baseUrl: server.origin });
const transport = undiciTransport();
const variants: Record<string, () => Promise<unknown>> = {
  raw: async () => { const r = await request(url); return JSON.parse(await r.body.text()); },
  rawHeaders: async () => { const r = await request(url, { headers: { 'user-agent': '@colchis/core/0.0.0-dev node/v20.20.2', accept: 'application/json' } }); return JSON.parse(await r.body.text()); },
  rawMethodBody: async () => { const r = await request(url, { method: 'GET', body: null, signal: null }); return JSON.parse(await r.body.text()); },
  rawSignal: async () => {
    const c = new AbortController(); const t = setTimeout(() => c.abort(), 30000);
    try { const r = await request(url, { signal: c.signal }); return JSON.parse(await r.body.text()); } finally { clearTimeout(t); }
  },
  rawController: async () => { const c = new AbortController(); const r = await request(url); return JSON.parse(await r.body.text()); },
  rawTimer: async () => { const t = setTimeout(() => {}, 30000); try { const r = await request(url); return JSON.parse(await r.body.text()); } finally { clearTimeout(t); } },
  rawSignalOnly: async () => { const c = new AbortController(); const r = await request(url, { signal: c.signal }); return JSON.parse(await r.body.text()); },
  rawTimeoutSignal: async () => { const r = await request(url, { signal: AbortSignal.timeout(30000) }); return JSON.parse(await r.body.text()); },
  rawUndiciTimeouts: async () => { const r = await request(url, { headersTimeout: 30000, bodyTimeout: 30000 }); return JSON.parse(await r.body.text()); },
  transport: async () => JSON.parse((await transport.request({ method: 'GET', url, headers: {} })).body),
  ours: async () => (await client.request({ operation: 'g', method: 'GET', path })).data,
};
const names = (process.argv[2] ?? Object.keys(variants).join(',')).split(',');
for (const n of names) { await runSequential(variants[n]!, 2000); await runConcurrent(variants[n]!, 2000, 32); }
const results: Record<string, number[][]> = {};
for (let round = 0; round < 6; round++) {
  for (const n of round % 2 ? [...names].reverse() : names) {
    (globalThis as any).gc?.();
    const s = await runSequential(variants[n]!, 1000);
    const c = await runConcurrent(variants[n]!, 2000, 32);
    (results[n] ??= []).push([s.medianLatencyUs, s.cpuUsPerCall, c.callsPerSecond, c.cpuUsPerCall]);
  }
}
for (const n of names) {
  const r = results[n]!;
  console.log(n.padEnd(14), ['seq µs', 'seq cpu', 'c32 rps', 'c32 cpu'].map((label, i) => `${label} ${median(r.map((x) => x[i]!)).toFixed(1)}`).join('  '));
}
await server.close();
process.exit(0);
