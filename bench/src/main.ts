/**
 * `pnpm bench`: runs the registered benchmarks, each in its own process, then prints the results
 * and (for a full run) rewrites docs/benchmarks.md, docs/benchmarks.svg and bench/results.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchmarkRegistry } from './benchmark-registry.js';
import { parseCliOptions, usage } from './harness/cli-options.js';
import { pinningAvailable } from './harness/cpu-affinity.js';
import { judgeMeasurement } from './harness/judge-measurement.js';
import { readMachineInfo } from './harness/machine-info.js';
import { runBenchmarkProcess } from './harness/run-benchmark-process.js';
import { type RunReport, targetSummary } from './harness/run-report.js';
import { renderConsoleReport } from './report/console-report.js';
import { renderMarkdownReport } from './report/markdown-report.js';
import { renderSvgChart } from './report/svg-chart.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const paths = {
  results: join(root, 'bench', 'results.json'),
  analysis: join(root, 'bench', 'analysis.md'),
  docs: join(root, 'docs'),
  markdown: join(root, 'docs', 'benchmarks.md'),
  chart: join(root, 'docs', 'benchmarks.svg'),
};

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const options = parseCliOptions(argv, join(os.tmpdir(), 'colchis-bench-profiles'));
  if (options.help) {
    console.log(usage);
    return 0;
  }
  if (options.render) {
    // The analysis is hand-written: after editing it, the report is re-rendered without a new run.
    const report = JSON.parse(readFileSync(paths.results, 'utf8')) as RunReport;
    writeReports(report);
    return 0;
  }
  const unknown = options.only.filter((id) => !benchmarkRegistry.some((entry) => entry.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown benchmark id(s): ${unknown.join(', ')}. Known: ${benchmarkRegistry.map((entry) => entry.id).join(', ')}.`,
    );
  }
  const selected = benchmarkRegistry.filter(
    (entry) => options.only.length === 0 || options.only.includes(entry.id),
  );
  if (options.dist && !existsSync(join(root, 'packages', 'core', 'dist', 'index.js'))) {
    throw new Error(
      '--dist measures the built packages, and packages/core/dist is missing: run `pnpm build` first.',
    );
  }
  if (options.profileDirectory) mkdirSync(options.profileDirectory, { recursive: true });

  const pin = options.pin && pinningAvailable();
  const started = new Date();
  const report: RunReport = {
    date: started.toISOString(),
    command: [
      process.env.npm_lifecycle_event === 'bench' ? 'pnpm bench' : 'node scripts/bench.mjs',
      ...argv,
    ].join(' '),
    quick: options.quick,
    dist: options.dist,
    pinned: pin,
    coreOverride: options.core ? resolve(options.core) : undefined,
    loadAverage: { before: os.loadavg()[0] ?? 0, after: 0 },
    durationSeconds: 0,
    machine: readMachineInfo(root),
    benchmarks: [],
    measurements: [],
  };
  const failures: string[] = [];
  for (const entry of selected) {
    process.stderr.write(`> ${entry.id}\n`);
    const entryStarted = performance.now();
    try {
      const result = await runBenchmarkProcess(entry.id, {
        quick: options.quick,
        dist: options.dist,
        pin,
        core: options.core ? resolve(options.core) : undefined,
        profileDirectory: options.profileDirectory,
      });
      report.benchmarks.push({ id: entry.id, title: result.title, method: result.method });
      report.measurements.push(
        ...result.measurements.map((measurement) => judgeMeasurement(entry.id, measurement)),
      );
      process.stderr.write(
        `  [${entry.id}] done in ${((performance.now() - entryStarted) / 1000).toFixed(1)} s\n`,
      );
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  report.durationSeconds = (Date.now() - started.getTime()) / 1000;
  report.loadAverage.after = os.loadavg()[0] ?? 0;

  console.log(`\n${renderConsoleReport(report)}`);
  if (options.profileDirectory) console.log(`CPU profiles: ${options.profileDirectory}`);
  if (failures.length > 0) {
    // A broken benchmark must not silently shrink the published table: nothing is written.
    console.error(`\n${failures.length} benchmark(s) failed, reports not written:\n${failures.join('\n\n')}`);
    return 1;
  }
  if (options.write) {
    writeFileSync(paths.results, `${JSON.stringify(report, null, 2)}\n`);
    writeReports(report);
  }
  return options.check && targetSummary(report).missed.length > 0 ? 1 : 0;
}

function writeReports(report: RunReport): void {
  mkdirSync(paths.docs, { recursive: true });
  const analysis = existsSync(paths.analysis) ? readFileSync(paths.analysis, 'utf8') : undefined;
  writeFileSync(paths.markdown, renderMarkdownReport(report, { chartFile: 'benchmarks.svg', analysis }));
  writeFileSync(paths.chart, renderSvgChart(report));
  console.log('Wrote docs/benchmarks.md and docs/benchmarks.svg from the results of', report.date);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
