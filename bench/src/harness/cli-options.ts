/** Options of `pnpm bench`. */
export interface CliOptions {
  quick: boolean;
  /** Benchmark ids to run; all when empty. */
  only: string[];
  /** Write docs/benchmarks.md, docs/benchmarks.svg and bench/results.json. */
  write: boolean;
  /** Directory for V8 CPU profiles of the benchmark processes, when profiling. */
  profileDirectory: string | undefined;
  /** Exit with status 1 when a target is missed. */
  check: boolean;
  dist: boolean;
  /** Pin each benchmark process to CPU 0 and its server to CPU 1 (default on). */
  pin: boolean;
  /** Another copy of core's `src/index.ts` to measure instead of `@colchis/core`. */
  core: string | undefined;
  /** Measure nothing: re-render the reports from `bench/results.json` (after editing analysis.md). */
  render: boolean;
  help: boolean;
}

/** The `--help` text. */
export const usage = `Usage: pnpm bench [options]

  --quick            smoke run: few rounds, prints only (numbers are indicative)
  --only=<id,...>    run only these benchmarks (ids in bench/src/benchmark-registry.ts)
  --write            write the reports even for a --quick, --only or --core run
  --no-write         never write the reports
  --profile[=<dir>]  write a V8 CPU profile of each benchmark process (default dir: $TMPDIR/colchis-bench-profiles)
  --check            exit 1 when a target is missed
  --dist             measure the built packages (dist/) instead of the TypeScript sources
  --no-pin           do not pin the client to CPU 0 and the server to CPU 1
  --core=<file>      measure another copy of core (its src/index.ts), e.g. a proposed change
  --render           measure nothing: rewrite docs/benchmarks.md and the chart from bench/results.json
  --help             this text

A full run rewrites docs/benchmarks.md, docs/benchmarks.svg and bench/results.json.`;

/** Parses the command line; throws with the usage on an unknown option. */
export function parseCliOptions(argv: readonly string[], defaultProfileDirectory: string): CliOptions {
  let quick = false;
  let only: string[] = [];
  let write: boolean | undefined;
  let profileDirectory: string | undefined;
  let check = false;
  let dist = false;
  let pin = true;
  let core: string | undefined;
  let render = false;
  let help = false;
  for (const argument of argv) {
    const [name, value] = splitOption(argument);
    if (name === '--quick') quick = true;
    else if (name === '--only' && value) only = value.split(',').filter(Boolean);
    else if (name === '--write') write = true;
    else if (name === '--no-write') write = false;
    else if (name === '--profile') profileDirectory = value || defaultProfileDirectory;
    else if (name === '--check') check = true;
    else if (name === '--dist') dist = true;
    else if (name === '--no-pin') pin = false;
    else if (name === '--core' && value) core = value;
    else if (name === '--render') render = true;
    else if (name === '--help' || name === '-h') help = true;
    else throw new Error(`Unknown option "${argument}".\n\n${usage}`);
  }
  return {
    quick,
    only,
    write: write ?? (!quick && only.length === 0 && core === undefined),
    profileDirectory,
    check,
    dist,
    pin,
    core,
    render,
    help,
  };
}

function splitOption(argument: string): [string, string | undefined] {
  const equals = argument.indexOf('=');
  return equals === -1 ? [argument, undefined] : [argument.slice(0, equals), argument.slice(equals + 1)];
}
