import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * Pins every thread of process `pid` to the given logical CPU with `taskset` (Linux, util-linux).
 * Returns whether it worked; without `taskset`, or with a single CPU, the process stays unpinned.
 */
export function pinToCpu(pid: number, cpu: number): boolean {
  if (process.platform !== 'linux' || cpu >= os.availableParallelism()) return false;
  try {
    execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', String(cpu), String(pid)], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

/** Whether {@link pinToCpu} can work here: Linux, `taskset` installed, at least 2 CPUs. */
export function pinningAvailable(): boolean {
  if (process.platform !== 'linux' || os.availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
