#!/usr/bin/env node
// The edge-bundle check (issue 10). For each package that must run on edge runtimes (BOG, ioka,
// the Stripe adapter) it bundles a Worker-style entry (a module Worker with a create-payment route
// and a webhook route) from the BUILT packages, the way Wrangler does: esbuild, conditions
// workerd/worker/browser, platform neutral. It asserts that the bundle has no `node:` import and
// no undici, and prints its size. Then it runs each bundle in an Edge Runtime VM (no `process`, no
// `require`, no eval; fetch and WebCrypto only) against the sandbox: the Worker creates a payment,
// the script pays on the hosted page, and the gateway's own webhook, posted to the Worker, must
// verify. For ProCredit (client certificates need Node's TLS) the Worker bundle must fail at
// construction with a ConfigurationError. Needs `pnpm build` first. Exits non-zero on any failure.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputDirectory = join(root, '.tmp', 'edge-bundles');
// The docs workspace package depends on every Colchis package and on stripe: entries resolve
// `@colchis/*` from there, to the packages' dist through their package.json exports.
const resolveDir = join(root, 'docs');
const CONDITIONS = ['workerd', 'worker', 'browser'];

const required = ['core', 'sandbox', 'bog', 'ioka', 'stripe-adapter', 'procredit'].map((name) =>
  join(root, 'packages', name, 'dist', 'index.js'),
);
const missing = required.filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(
    `✗ Build the packages first (pnpm build): missing ${missing.map((file) => relative(root, file)).join(', ')}`,
  );
  process.exit(1);
}
mkdirSync(outputDirectory, { recursive: true });

/**
 * A module Worker around one provider: `POST /checkout` creates a payment from the JSON body,
 * `POST /webhooks` verifies the raw body (400 when the signature does not verify), `GET /runtime`
 * reports the transport core chose. `env.settings` are the provider's settings.
 */
function workerEntry(importLine, create) {
  return `
${importLine}
import { defaultTransport, SignatureVerificationError } from '@colchis/core';

let provider;
const json = (value, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

export default {
  async fetch(request, env) {
    provider ??= ${create};
    const { pathname } = new URL(request.url);
    if (request.method === 'GET' && pathname === '/runtime') {
      return json({ transport: defaultTransport().name, process: typeof process });
    }
    if (request.method === 'POST' && pathname === '/checkout') {
      return json(await provider.createPayment(await request.json()));
    }
    if (request.method === 'POST' && pathname === '/webhooks') {
      try {
        return json(await provider.verifyWebhook({ rawBody: await request.text(), headers: request.headers }));
      } catch (error) {
        if (SignatureVerificationError.isInstance(error)) return new Response('bad signature', { status: 400 });
        throw error;
      }
    }
    return new Response('not found', { status: 404 });
  },
};
`;
}

const GATEWAYS = [
  {
    name: 'bog',
    entry: workerEntry("import { createBog } from '@colchis/bog';", 'createBog(env.settings)'),
    settings: (sandbox) => ({ ...sandbox.bog.settings, callbackUrl: 'https://worker.example/webhooks' }),
    payment: {
      amount: { amount: 2550, currency: 'GEL' },
      reference: 'edge-bundle-bog',
      returnUrl: 'https://worker.example/done',
    },
    card: '4000000000000001',
  },
  {
    name: 'ioka',
    entry: workerEntry("import { createIoka } from '@colchis/ioka';", 'createIoka(env.settings)'),
    settings: async (sandbox) => {
      // ioka's webhooks are registered through its API; the answer's key signs the deliveries.
      const response = await fetch(`${sandbox.ioka.settings.baseUrl}/v2/webhooks`, {
        method: 'POST',
        headers: { 'api-key': sandbox.ioka.settings.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'https://worker.example/webhooks', events: ['PAYMENT_CAPTURED'] }),
      });
      const { key } = await response.json();
      return { ...sandbox.ioka.settings, webhookKey: key };
    },
    payment: {
      amount: { amount: 50000, currency: 'KZT' },
      reference: 'edge-bundle-ioka',
      returnUrl: 'https://worker.example/done',
    },
    card: '5555555555555599',
  },
  {
    name: 'stripe-adapter',
    entry: workerEntry(
      "import { createStripeAdapter } from '@colchis/stripe-adapter';",
      'createStripeAdapter(env.settings)',
    ),
    settings: (sandbox) => {
      const { host, port, protocol, apiKey, webhookSecret } = sandbox.stripe;
      sandbox.stripe.setWebhookUrl('https://worker.example/webhooks');
      return { apiKey, webhookSecret, stripeOptions: { host, port, protocol, telemetry: false } };
    },
    payment: {
      amount: { amount: 4900, currency: 'USD' },
      reference: 'edge-bundle-stripe',
      returnUrl: 'https://worker.example/done',
    },
    card: '4242424242424242',
  },
];

const PROCREDIT_ENTRY = `
import { createProCredit } from '@colchis/procredit';
export function construct(settings) {
  try {
    createProCredit(settings);
    return { constructed: true };
  } catch (error) {
    return { constructed: false, name: error?.name, kind: error?.constructor?.kind, message: String(error?.message) };
  }
}
`;

const results = [];
let failed = 0;
function check(title, ok, detail = '') {
  results.push(`${ok ? '✓' : '✗'} ${title}${detail ? ` (${detail})` : ''}`);
  console.log(results.at(-1));
  if (!ok) failed++;
  return ok;
}

function bundle(name, contents, format, extra = {}) {
  return build({
    stdin: { contents, resolveDir, sourcefile: `${name}-worker.js`, loader: 'js' },
    bundle: true,
    write: false,
    metafile: true,
    format,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: CONDITIONS,
    target: 'es2022',
    minify: format === 'esm',
    logLevel: 'silent',
    ...(format === 'iife' ? { globalName: '__colchisWorker' } : {}),
    ...extra,
  });
}

// Built-in modules (`node:x` and bare `x`) are left external so an import of one shows up in the
// metafile instead of failing the build with a less precise message.
const nodeBuiltinsExternal = {
  name: 'node-builtins-external',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
      isBuiltin(args.path) ? { path: args.path, external: true } : undefined,
    );
  },
};

/** node: imports and undici in a bundle, from esbuild's metafile. */
function nodeOnlyContent(metafile) {
  const found = [];
  for (const output of Object.values(metafile.outputs)) {
    for (const entry of output.imports) if (entry.external && isBuiltin(entry.path)) found.push(entry.path);
  }
  for (const input of Object.keys(metafile.inputs)) if (/[\\/]undici[\\/]/.test(input)) found.push(input);
  return [...new Set(found)];
}

/** Fills the hosted page's card form like a shopper (hidden fields kept, card, expiry, CVC). */
async function payOnHostedPage(pageUrl, card) {
  const html = await (await fetch(pageUrl)).text();
  const form = /<form method="post" action="([^"]+)" id="card-form"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`no card form at ${pageUrl}`);
  const fields = new URLSearchParams();
  for (const input of form[2].matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
    fields.set(input[1], input[2]);
  }
  fields.set('card_number', card);
  fields.set('expiry', '12/34');
  fields.set('cvc', '123');
  const answer = await fetch(new URL(form[1].replaceAll('&#38;', '&'), pageUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  await answer.arrayBuffer();
  return answer.status;
}

/** Loads a bundle in a fresh Edge Runtime VM and returns what it exports. */
function loadInEdgeVm(code) {
  const vm = new EdgeVM();
  vm.evaluate(`${code}\n;globalThis.__colchisWorker = __colchisWorker;`);
  return { vm, exports: vm.context.__colchisWorker };
}

async function callWorker(vm, worker, env, method, path, body, headers = {}) {
  const request = new vm.context.Request(`https://worker.example${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const response = await worker.fetch(request, env);
  return { status: response.status, text: await response.text() };
}

const { startSandbox } = await import(
  pathToFileURL(join(root, 'packages', 'sandbox', 'dist', 'index.js')).href
);
const sandbox = await startSandbox();
sandbox.webhooks.setPolicy({ action: 'hold' });
const sizes = [];
try {
  for (const gateway of GATEWAYS) {
    const title = `${gateway.name}: Worker bundle`;
    let esm;
    try {
      esm = await bundle(gateway.name, gateway.entry, 'esm', { plugins: [nodeBuiltinsExternal] });
    } catch (error) {
      check(title, false, `esbuild failed: ${error.message.split('\n').slice(0, 4).join(' ')}`);
      continue;
    }
    const [output] = esm.outputFiles;
    writeFileSync(join(outputDirectory, `${gateway.name}-worker.js`), output.contents);
    const forbidden = nodeOnlyContent(esm.metafile);
    const size = `${(output.contents.byteLength / 1024).toFixed(1)} KiB minified, ${(gzipSync(output.contents).byteLength / 1024).toFixed(1)} KiB gzip`;
    sizes.push(`${gateway.name}: ${size}`);
    check(
      `${title} has no node: import and no undici`,
      forbidden.length === 0,
      forbidden.length ? forbidden.join(', ') : size,
    );

    // Run it: an IIFE of the same entry in an Edge Runtime VM.
    const script = await bundle(gateway.name, gateway.entry, 'iife');
    const { vm, exports } = loadInEdgeVm(script.outputFiles[0].text);
    const worker = exports.default;
    const env = { settings: await gateway.settings(sandbox) };
    try {
      const runtime = JSON.parse((await callWorker(vm, worker, env, 'GET', '/runtime')).text);
      check(
        `${gateway.name}: runs in the Edge Runtime VM on the fetch transport`,
        runtime.transport === 'fetch' && runtime.process === 'undefined',
        JSON.stringify(runtime),
      );
      const created = await callWorker(
        vm,
        worker,
        env,
        'POST',
        '/checkout',
        JSON.stringify(gateway.payment),
        { 'content-type': 'application/json' },
      );
      const payment = created.status === 200 ? JSON.parse(created.text) : undefined;
      if (
        !check(
          `${gateway.name}: the Worker creates a payment`,
          payment?.status === 'requires_action' && Boolean(payment.redirectUrl),
          `HTTP ${created.status} ${payment ? payment.status : created.text.slice(0, 200)}`,
        )
      )
        continue;
      const paid = await payOnHostedPage(payment.redirectUrl, gateway.card);
      await sandbox.webhooks.idle();
      const deliveries = sandbox.webhooks.list().filter((delivery) => delivery.body.includes(payment.id));
      const verified = [];
      for (const delivery of deliveries) {
        const answer = await callWorker(
          vm,
          worker,
          env,
          'POST',
          '/webhooks',
          delivery.body,
          delivery.headers,
        );
        verified.push(answer.status === 200 ? JSON.parse(answer.text) : { status: `HTTP ${answer.status}` });
      }
      const captured = verified.some(
        (event) => event.paymentId === payment.id && event.status === 'captured' && event.signed === true,
      );
      check(
        `${gateway.name}: the Worker verifies the gateway's signed webhook`,
        captured,
        `paid: HTTP ${paid}, ${deliveries.length} webhook(s): ${verified.map((event) => event.status).join(', ')}`,
      );
      const tampered =
        deliveries[0] &&
        (await callWorker(
          vm,
          worker,
          env,
          'POST',
          '/webhooks',
          deliveries[0].body.replace(payment.id, `${payment.id}x`),
          deliveries[0].headers,
        ));
      check(
        `${gateway.name}: the Worker rejects a tampered webhook`,
        tampered?.status === 400,
        `HTTP ${tampered?.status}`,
      );
    } catch (error) {
      check(
        `${gateway.name}: the Worker runs`,
        false,
        String(error?.stack ?? error)
          .split('\n')
          .slice(0, 3)
          .join(' '),
      );
    }
  }

  // ProCredit: the bundle must build and load on an edge runtime (its web build stubs the
  // transport, so bundlers never meet undici), and constructing the client there must throw
  // ConfigurationError.
  try {
    const procredit = await bundle('procredit', PROCREDIT_ENTRY, 'iife', { plugins: [nodeBuiltinsExternal] });
    const forbidden = nodeOnlyContent(procredit.metafile);
    check(
      'procredit: Worker bundle builds, with no node: import and no undici',
      forbidden.length === 0,
      forbidden.join(', '),
    );
    const { exports } = loadInEdgeVm(procredit.outputFiles[0].text);
    const outcome = exports.construct({ ...sandbox.procredit.settings });
    check(
      'procredit: construction on an edge runtime fails with ConfigurationError',
      outcome.constructed === false &&
        outcome.kind === 'ConfigurationError' &&
        /client certificate/.test(outcome.message),
      outcome.constructed ? 'it constructed' : `${outcome.kind}: ${outcome.message.slice(0, 120)}`,
    );
  } catch (error) {
    check(
      'procredit: Worker bundle',
      false,
      String(error?.message ?? error)
        .split('\n')
        .slice(0, 4)
        .join(' '),
    );
  }
} finally {
  await sandbox.close();
}

console.log(
  `\nEdge bundle sizes (conditions ${CONDITIONS.join(', ')}; written to ${relative(root, outputDirectory)}):`,
);
for (const line of sizes) console.log(`  ${line}`);
console.log(`${results.length - failed} passed, ${failed} failed (edge bundles)`);
writeFileSync(
  join(root, '.tmp', 'edge-bundles.json'),
  JSON.stringify({ passed: results.length - failed, failed, sizes }),
);
process.exit(failed ? 1 : 0);
