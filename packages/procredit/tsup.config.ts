import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// Edge runtimes (Workers, Vercel Edge, Deno) get a build whose transport module is a stub: the
// package still fails clearly at construction there, and bundlers never follow `import('undici')`.
type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];
const webPlatform: EsbuildPlugin = {
  name: 'procredit-web-platform',
  setup(build) {
    build.onResolve({ filter: /^\.\/procredit-transport\.js$/ }, (args) =>
      args.importer.endsWith('-web.ts')
        ? undefined
        : { path: join(args.resolveDir, 'procredit-transport-web.ts') },
    );
  },
};

const shared: Options = {
  format: ['esm', 'cjs'],
  sourcemap: true,
  target: 'node20',
  // zod is bundled (tree-shaken: only the schema builders this package uses): importing zod/mini
  // loads dozens of modules, which took most of the package's import time in a cold start
  // (docs/benchmarks.md). zod stays a dependency for the exported schemas' types.
  noExternal: [/^zod(\/|$)/],
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
};

export default defineConfig([
  { ...shared, entry: { index: 'src/index.ts' }, dts: true },
  {
    ...shared,
    entry: { 'web/index': 'src/index.ts' },
    dts: false,
    platform: 'neutral',
    esbuildPlugins: [webPlatform],
  },
]);
