import { pathToFileURL } from 'node:url';

/** Environment variable pointing the benchmarks at another copy of core's `src/index.ts`. */
export const CORE_OVERRIDE_VARIABLE = 'COLCHIS_BENCH_CORE';

/**
 * Loads `@colchis/core`, or the copy named by `COLCHIS_BENCH_CORE` (set by `--core=<file>`), so a
 * proposed change to core can be measured on a scratch copy, side by side with the same harness,
 * before anyone edits the package.
 */
export async function loadCore(): Promise<typeof import('@colchis/core')> {
  const override = process.env[CORE_OVERRIDE_VARIABLE];
  if (!override) return import('@colchis/core');
  return (await import(pathToFileURL(override).href)) as typeof import('@colchis/core');
}
