import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

/** Where and with what a run happened, for the report's Machine section. */
export interface MachineInfo {
  cpuModel: string;
  /** Logical cores the OS reports. */
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  undici: string;
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
    colchisCore: packageVersion(`${repositoryRoot}/packages/core/package.json`),
    commit: gitCommit(repositoryRoot),
  };
}

function packageVersion(path: string): string {
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
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
