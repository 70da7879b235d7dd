import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * Node flags that let a forked process run TypeScript: tsx's loader by absolute URL, so the fork
 * works whatever the current directory (a bare `--import tsx` resolves from the cwd).
 */
export const typescriptLoaderArguments: readonly string[] = [
  '--import',
  pathToFileURL(require.resolve('tsx')).href,
];
