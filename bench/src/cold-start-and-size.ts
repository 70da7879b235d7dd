/**
 * Cold start and size (issue 8, benchmark 6). Serverless functions pay for every module a client
 * loads on each cold start, and edge platforms cap the bundle. Measured on the packages as a user
 * installs them (built, packed, installed from the tarball; see `harness/packed-install.ts`) next
 * to stripe-node installed the same way.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Benchmark, BenchmarkContext, Measurement } from './harness/benchmark.js';
import { startChildServer } from './harness/child-server.js';
import { type InstalledPackage, preparePackedInstalls } from './harness/packed-install.js';
import { median } from './harness/statistics.js';

const runFile = promisify(execFile);
const STRIPE_VERSION = '23.1.0';
const sizes = { full: { rounds: 10 }, quick: { rounds: 3 } };

/** A package measured: how a fresh process gets one payment, and a function that creates one. */
interface Contender {
  /** Installed package name. */
  readonly name: string;
  readonly label: string;
  /** Cold start and bundle are judged against stripe-node; otherwise informational. */
  readonly targets: boolean;
  /** Why there is no target, for the table. */
  readonly note?: string | undefined;
  /** ES module source run as a fresh process: import, create a client, one getPayment. */
  coldStart(origin: string): string;
  /** ES module source of the bundled function (`export async function handler()`). */
  handler: string;
  /** Bundle for edge runtimes too (fetch + WebCrypto). */
  readonly edge: boolean;
}

// The fresh process: time since the process started (performance.now(), from its time origin) at
// the start of the script, after the import, and once the payment is read.
const timing = (importLine: string, body: string) => `const started = performance.now();
${importLine}
const imported = performance.now();
${body}
const done = performance.now();
process.stdout.write(JSON.stringify({ started, imported, done, check }) + '\\n');
process.exit(0);
`;

const contenders: Contender[] = [
  {
    name: '@colchis/bog',
    label: '@colchis/bog',
    targets: true,
    edge: true,
    coldStart: (origin) =>
      timing(
        "const { createBog } = await import('@colchis/bog');",
        `const bog = createBog({ environment: 'sandbox', clientId: 'bench-client', clientSecret: 'bench-secret-0123456789', tokenUrl: '${origin}/bog/token', apiUrl: '${origin}/bog/payments/v1' });
const payment = await bog.getPayment('order-1');
const check = payment.rawStatus;`,
      ),
    handler: `import { createBog } from '@colchis/bog';
export async function handler() {
  const bog = createBog({ environment: 'production', callbackUrl: 'https://shop.example/bog/callback' });
  return bog.createPayment({ amount: { amount: 2500, currency: 'GEL' }, reference: 'order-1', returnUrl: 'https://shop.example/return' });
}
`,
  },
  {
    name: '@colchis/ioka',
    label: '@colchis/ioka',
    targets: true,
    edge: true,
    coldStart: (origin) =>
      timing(
        "const { createIoka } = await import('@colchis/ioka');",
        `const ioka = createIoka({ apiKey: 'bench-api-key', baseUrl: '${origin}/ioka' });
const payment = await ioka.getPayment('ord_test');
const check = payment.rawStatus;`,
      ),
    handler: `import { createIoka } from '@colchis/ioka';
export async function handler() {
  const ioka = createIoka({ environment: 'production' });
  return ioka.createPayment({ amount: { amount: 500000, currency: 'KZT' }, reference: 'order-1', returnUrl: 'https://shop.example/return' });
}
`,
  },
  {
    name: '@colchis/stripe-adapter',
    label: '@colchis/stripe-adapter',
    targets: false,
    note: 'Informational: the adapter is built on stripe-node (a peer dependency), so it loads stripe-node plus core.',
    edge: true,
    coldStart: (origin) => {
      const { hostname, port } = new URL(origin);
      return timing(
        "const { createStripeAdapter } = await import('@colchis/stripe-adapter');",
        `const stripe = createStripeAdapter({ apiKey: 'sk_test_colchis_bench_0123456789', stripeOptions: { host: '${hostname}', port: ${port}, protocol: 'http' } });
const payment = await stripe.getPayment('pi_3MtwBwLkdIwHu7ix28a3tqPa');
const check = payment.rawStatus;`,
      );
    },
    handler: `import { createStripeAdapter } from '@colchis/stripe-adapter';
export async function handler() {
  const stripe = createStripeAdapter({ defaultMode: 'payment_intent' });
  return stripe.createPayment({ amount: { amount: 2500, currency: 'USD' }, reference: 'order-1', returnUrl: 'https://shop.example/return' });
}
`,
  },
  {
    name: '@colchis/procredit',
    label: '@colchis/procredit',
    targets: false,
    note: 'Informational: ProCredit needs Node and mutual TLS, so it has no edge bundle and no plain-HTTP cold start to compare.',
    edge: false,
    coldStart: () => '',
    handler: `import { createProCredit } from '@colchis/procredit';
export async function handler() {
  const procredit = createProCredit({ environment: 'production' });
  return procredit.createPayment({ amount: { amount: 2500, currency: 'GEL' }, reference: 'order-1', returnUrl: 'https://shop.example/return' });
}
`,
  },
];

const reference = {
  name: 'stripe',
  coldStart: (origin: string) => {
    const { hostname, port } = new URL(origin);
    return timing(
      "const { default: Stripe } = await import('stripe');",
      `const stripe = new Stripe('sk_test_colchis_bench_0123456789', { host: '${hostname}', port: ${port}, protocol: 'http' });
const intent = await stripe.paymentIntents.retrieve('pi_3MtwBwLkdIwHu7ix28a3tqPa');
const check = intent.status;`,
    );
  },
  handler: `import Stripe from 'stripe';
export async function handler() {
  const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');
  return stripe.paymentIntents.create({ amount: 2500, currency: 'usd' });
}
`,
};

/** The cold start and size benchmark, registered in `benchmark-registry.ts`. */
export const coldStartAndSize: Benchmark = {
  id: 'cold-start',
  title: 'Cold start and size: installed packages vs stripe-node',
  method: `Each Colchis package is built with its own tsup configuration (in a private copy of the package), packed with \`npm pack\` (\`workspace:\` ranges rewritten as \`pnpm pack\` does) and installed from the tarball with pnpm (offline, from the local store) into an empty project outside the repository; stripe-node ${STRIPE_VERSION} is installed the same way. **Cold start**: a fresh \`node\` process (no loader, no flags) imports the package, creates a client and completes one \`getPayment\` against the local server (BOG: token + payment details, ioka: the order, Stripe: the PaymentIntent, from the gateways' documented payloads); the time is from the process's own start (\`performance.now()\`, Node's bootstrap included) to the payment in hand, and the import's share is reported. The reference does the same with stripe-node (\`paymentIntents.retrieve\`). Contenders take turns within each round, in rotating order; the figure is the median over the rounds. **Installed size**: every file under the project's \`node_modules\` (hard links counted once). **Bundle**: esbuild (minified, ESM, tree-shaken) of a function that creates one payment, gzip level 9; for Node (\`platform: 'node'\`) and for edge runtimes (\`platform: 'browser'\`, \`worker\` condition: Cloudflare Workers, Vercel Edge), the reference being the same function with stripe-node.`,
  run,
};

async function run(context: BenchmarkContext): Promise<Measurement[]> {
  const { rounds } = context.quick ? sizes.quick : sizes.full;
  const installs = await preparePackedInstalls({
    packages: ['bog', 'ioka', 'stripe-adapter', 'procredit'],
    references: [`stripe@${STRIPE_VERSION}`],
    declarations: !context.quick,
    log: context.log,
  });
  const installOf = (name: string): InstalledPackage => {
    const found = installs.find((install) => install.name === name);
    if (!found) throw new Error(`${name} was not installed`);
    return found;
  };
  const stripeInstall = installOf('stripe');
  const measurements: Measurement[] = [];

  // Cold start.
  const server = await startChildServer();
  try {
    const coldContenders = contenders.filter((contender) => contender.coldStart(server.origin) !== '');
    const scripts = new Map<string, string>();
    for (const contender of [...coldContenders, reference]) {
      const directory = installOf(contender.name).projectDirectory;
      const script = join(directory, 'cold-start.mjs');
      writeFileSync(script, contender.coldStart(server.origin));
      scripts.set(contender.name, script);
    }
    const names = [...scripts.keys()];
    const figures = new Map(names.map((name) => [name, [] as ColdStartFigures[]]));
    // One untimed pass: the first process after an install pays for cold disk caches.
    for (const name of names) await coldStart(scripts.get(name) as string);
    context.log(`cold start: ${rounds} rounds x ${names.length} fresh processes`);
    for (let round = 0; round < rounds; round++) {
      const offset = round % names.length;
      for (const name of [...names.slice(offset), ...names.slice(0, offset)]) {
        figures.get(name)?.push(await coldStart(scripts.get(name) as string));
      }
    }
    const stripeFigures = figures.get('stripe') as ColdStartFigures[];
    for (const contender of coldContenders) {
      const ours = figures.get(contender.name) as ColdStartFigures[];
      const total = { ours: ours.map((f) => f.totalMs), reference: stripeFigures.map((f) => f.totalMs) };
      const imports = { ours: ours.map((f) => f.importMs), reference: stripeFigures.map((f) => f.importMs) };
      const share = median(ours.map((f) => f.importMs / f.totalMs));
      const stripeShare = median(stripeFigures.map((f) => f.importMs / f.totalMs));
      measurements.push(
        {
          id: `cold-start.${contender.label.replace('@colchis/', '')}.total`,
          label: `Cold start: ${contender.label}, from process start to one getPayment`,
          unit: 'ms',
          ours: median(total.ours),
          reference: median(total.reference),
          referenceName: 'stripe-node',
          higherIsBetter: false,
          target: contender.targets ? { on: 'ratio', comparison: '<=', value: 1 } : undefined,
          rounds: total,
          chart: true,
          note: `${contender.note ? `${contender.note} ` : ''}Import share of the cold start: ${(share * 100).toFixed(0)} % (stripe-node: ${(stripeShare * 100).toFixed(0)} %).`,
        },
        {
          id: `cold-start.${contender.label.replace('@colchis/', '')}.import`,
          label: `Cold start: ${contender.label}, the import alone`,
          unit: 'ms',
          ours: median(imports.ours),
          reference: median(imports.reference),
          referenceName: 'import stripe',
          higherIsBetter: false,
          rounds: imports,
        },
      );
    }
  } finally {
    await server.close();
  }

  // Installed size.
  for (const contender of contenders) {
    const install = installOf(contender.name);
    measurements.push({
      id: `size.${contender.label.replace('@colchis/', '')}.installed`,
      label: `Installed size: ${contender.label} with its dependencies`,
      unit: 'MB',
      ours: install.installedBytes / 1_000_000,
      reference: stripeInstall.installedBytes / 1_000_000,
      referenceName: 'stripe-node',
      higherIsBetter: false,
      note: `The package alone: ${(install.packageBytes / 1_000_000).toFixed(2)} MB installed, ${((install.tarballBytes ?? 0) / 1000).toFixed(0)} kB packed.`,
    });
  }

  // Bundles.
  const stripeBundles = {
    node: await bundleSize(stripeInstall.projectDirectory, reference.handler, 'node'),
    edge: await bundleSize(stripeInstall.projectDirectory, reference.handler, 'edge'),
  };
  for (const contender of contenders) {
    const directory = installOf(contender.name).projectDirectory;
    for (const platform of contender.edge ? (['node', 'edge'] as const) : (['node'] as const)) {
      const bytes = await bundleSize(directory, contender.handler, platform);
      measurements.push({
        id: `size.${contender.label.replace('@colchis/', '')}.bundle-${platform}`,
        label: `Bundle (${platform === 'node' ? 'Node' : 'edge'}): ${contender.label} createPayment, min+gzip`,
        unit: 'kB',
        ours: bytes.gzip / 1000,
        reference: stripeBundles[platform].gzip / 1000,
        referenceName: 'stripe-node',
        higherIsBetter: false,
        target: contender.targets ? { on: 'ratio', comparison: '<=', value: 0.5 } : undefined,
        chart: contender.targets,
        note: `Minified before gzip: ${(bytes.minified / 1000).toFixed(0)} kB (stripe-node: ${(stripeBundles[platform].minified / 1000).toFixed(0)} kB).${bytes.largest ? ` Largest inputs: ${bytes.largest}.` : ''}`,
      });
    }
  }
  return measurements;
}

interface ColdStartFigures {
  importMs: number;
  totalMs: number;
}

async function coldStart(script: string): Promise<ColdStartFigures> {
  const { stdout } = await runFile(process.execPath, [script], {
    cwd: join(script, '..'),
    // Nothing from the benchmark's own process: no loader, no conditions, no inspector.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    timeout: 60_000,
  });
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
    started: number;
    imported: number;
    done: number;
    check?: unknown;
  };
  if (typeof result.check !== 'string') throw new Error(`cold start of ${script} read no payment status`);
  return { importMs: result.imported - result.started, totalMs: result.done };
}

async function bundleSize(
  directory: string,
  handler: string,
  platform: 'node' | 'edge',
): Promise<{ minified: number; gzip: number; largest: string }> {
  const entry = join(directory, `handler-${platform}.mjs`);
  writeFileSync(entry, handler);
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: directory,
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    ...(platform === 'node'
      ? { platform: 'node', target: 'node20' }
      : { platform: 'browser', target: 'es2022', conditions: ['worker'] }),
  });
  const output = result.outputFiles[0]?.contents;
  if (!output) throw new Error(`esbuild produced no bundle for ${entry}`);
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  const byPackage = new Map<string, number>();
  for (const [file, info] of Object.entries(inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(file);
    const name = match?.[1] ?? 'handler';
    byPackage.set(name, (byPackage.get(name) ?? 0) + info.bytesInOutput);
  }
  const largest = [...byPackage]
    .sort((left, right) => right[1] - left[1])
    .slice(0, 3)
    .map(([name, bytes]) => `${name} ${(bytes / 1000).toFixed(0)} kB`)
    .join(', ');
  return { minified: output.length, gzip: gzipSync(output, { level: 9 }).length, largest };
}
