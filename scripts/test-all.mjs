#!/usr/bin/env node
// The README's test command runs this: lint, typecheck, every test (with core coverage), the
// package checks (publint --strict, attw --pack), the pack-and-install smoke test, and the core
// and provider tests again under Node 22 and 24. Each step's tests are counted; the last line
// printed is the plain `N passed, N failed` that CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = join(root, '.tmp');
mkdirSync(tmp, { recursive: true });
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick'); // skip the extra Node versions (local iteration)

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(title, command, commandArgs, options = {}) {
  console.log(`\n▶ ${title}\n  $ ${[command, ...commandArgs].join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...options.env },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: result.status === 0, seconds };
}

function record(title, passed, failed, skipped = 0, note = '') {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  lines.push(
    `${failed ? '✗' : '✓'} ${title}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${note ? ` (${note})` : ''}`,
  );
}

function step(title, command, commandArgs, options) {
  const { ok, seconds } = run(title, command, commandArgs, options);
  record(title, ok ? 1 : 0, ok ? 0 : 1, 0, `${seconds}s`);
  return ok;
}

function vitest(title, nodeCommand, extraArgs, outputName) {
  const output = join(tmp, outputName);
  rmSync(output, { force: true });
  const vitestBin = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const { ok, seconds } = run(title, nodeCommand[0], [
    ...nodeCommand.slice(1),
    vitestBin,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${output}`,
    ...extraArgs,
  ]);
  if (!existsSync(output)) {
    record(title, 0, 1, 0, `vitest wrote no report, ${seconds}s`);
    return;
  }
  const report = JSON.parse(readFileSync(output, 'utf8'));
  const failed = report.numFailedTests + suitesThatFailedToLoad(report);
  // A red exit with no failed test (coverage threshold, unhandled error) still fails the step.
  const extra = !ok && failed === 0 ? 1 : 0;
  record(
    title,
    report.numPassedTests,
    failed + extra,
    report.numPendingTests + (report.numTodoTests ?? 0),
    `${seconds}s${extra ? ', vitest exited non-zero' : ''}`,
  );
}

// A test file that failed to load has no failed tests of its own; count it as one failure.
function suitesThatFailedToLoad(report) {
  return (report.testResults ?? []).filter(
    (suite) =>
      suite.status === 'failed' && !(suite.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
}

const pnpm = ['npx', ['-y', 'pnpm@10.34.9']];

step('lint (biome)', 'npx', ['biome', 'check', '.']);
step('typecheck', pnpm[0], [...pnpm[1], 'run', 'typecheck']);
step('build packages', pnpm[0], [...pnpm[1], 'run', 'build']);
vitest(
  `tests on Node ${process.versions.node} (with coverage)`,
  ['node'],
  ['--coverage'],
  'vitest-node20.json',
);
{
  // Every TypeScript block in the guides and READMEs, type-checked against the packages.
  const file = join(tmp, 'doc-snippets.json');
  rmSync(file, { force: true });
  const { seconds } = run('doc snippets type-check', 'node', ['scripts/check-doc-snippets.mjs']);
  const counts = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { passed: 0, failed: 1 };
  record('doc snippets type-check', counts.passed, counts.failed, 0, `${seconds}s`);
}
{
  // BOG, ioka and the Stripe adapter bundled from dist as Workers (no node:, no undici), each run in
  // an Edge Runtime VM against the sandbox; ProCredit must refuse to construct there.
  const title = 'edge bundles (Worker builds run in an Edge Runtime VM)';
  const file = join(tmp, 'edge-bundles.json');
  rmSync(file, { force: true });
  const { seconds } = run(title, 'node', ['scripts/check-edge-bundles.mjs']);
  const counts = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { passed: 0, failed: 1 };
  record(title, counts.passed, counts.failed, 0, `${seconds}s`);
}
// The gateway scaffold generates a package into a temp dir, type-checks it, lints it, builds its
// API docs and runs its contract suite.
step('new-gateway scaffold self-test', 'node', ['scripts/new-gateway.mjs', '--self-test']);
// The API reference: typedoc over every package with validation on and warnings as errors
// (no undocumented export, no broken link).
step('API reference builds without warnings (typedoc)', 'npx', ['typedoc']);
step('package checks (publint --strict, attw --pack)', 'node', ['scripts/check-packages.mjs']);
step('pack-and-install smoke test (ESM import + CJS require)', 'node', ['scripts/pack-smoke.mjs']);
if (!quick) {
  // The libraries support Node >= 20.18.1 and are also run on 22 and 24 (the npm package `node@N`
  // ships the binary). The example apps and browser tests run once, above.
  const libraryProjects = ['core', 'sandbox', 'bog', 'procredit', 'ioka', 'stripe-adapter'].filter((name) =>
    existsSync(join(root, 'packages', name, 'vitest.config.ts')),
  );
  for (const major of ['22', '24']) {
    vitest(
      `core and provider tests on Node ${major}`,
      ['npx', '-y', `node@${major}`],
      libraryProjects.flatMap((p) => ['--project', p]),
      `vitest-node${major}.json`,
    );
  }
}

console.log('\nSummary');
for (const line of lines) console.log(`  ${line}`);
const summary = `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`;
writeFileSync(join(tmp, 'summary.txt'), `${summary}\n`);
console.log(summary);
process.exit(totals.failed === 0 ? 0 : 1);
