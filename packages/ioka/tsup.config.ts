import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // zod is bundled (tree-shaken: only the schema builders this package uses): importing zod/mini
  // loads dozens of modules, which took most of the package's import time in a cold start
  // (docs/benchmarks.md). zod stays a dependency for the exported schemas' types.
  noExternal: [/^zod(\/|$)/],
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
});
