import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';

/** Where and with what a run happened, for the report's Machine section. */
export interface MachineInfo {
  cpuModel: string;
  /** Logical cores the OS reports. */
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  undici: string;
  /** stripe-node, the incumbent the benchmarks compare with. */
  stripe?: string | undefined;
  zod?: string | undefined;
  colchisCore: string;
  /** `HEAD` commit, with `+changes` when the tree has uncommitted changes. */
  commit: string;
}

const require = createRequire(import.meta.url);

/** Reads the machine and versions the benchmarks ran on. */
export function readMachineInfo(repositoryRoot: string): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    undici: packageVersion(require.resolve('undici/package.json')),
    stripe: installedVersion('stripe', `${repositoryRoot}/bench/package.json`),
    // The zod the gateway packages build with (@colchis/bog depends on it).
    zod: installedVersion('zod', `${repositoryRoot}/packages/bog/package.json`),
    colchisCore: packageVersion(`${repositoryRoot}/packages/core/package.json`),
    commit: gitCommit(repositoryRoot),
  };
}

function packageVersion(path: string): string {
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

/**
 * Version of package `name` as resolved from `fromFile`, for packages whose `exports` hide their
 * package.json: the entry is resolved, then the nearest package.json named `name` above it.
 */
function installedVersion(name: string, fromFile: string): string {
  try {
    let directory = dirname(createRequire(fromFile).resolve(name));
    for (;;) {
      const candidate = join(directory, 'package.json');
      if (existsSync(candidate)) {
        const manifest = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version: string };
        if (manifest.name === name) return manifest.version;
      }
      const parent = dirname(directory);
      if (parent === directory) return 'unknown';
      directory = parent;
    }
  } catch {
    return 'unknown';
  }
}

function gitCommit(root: string): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short=12', 'HEAD');
    return git('status', '--porcelain').length > 0 ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}
