import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// The platform seams: on edge runtimes (Workers, Vercel Edge, Deno, Bun, browsers) these modules
// are swapped for their `-web` twins, so the build has no `undici` and no `node:` import.
const WEB_TWINS = /^\.\/(webhook-crypto|default-transport)\.js$/;
type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];
const webPlatform: EsbuildPlugin = {
  name: 'colchis-web-platform',
  setup(build) {
    build.onResolve({ filter: WEB_TWINS }, (args) => ({
      path: join(args.resolveDir, args.path.replace(/\.js$/, '-web.ts')),
    }));
  },
};

const shared: Options = {
  format: ['esm', 'cjs'],
  sourcemap: true,
  target: 'node20',
  external: ['vitest'],
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
};

export default defineConfig([
  { ...shared, entry: { index: 'src/index.ts' }, dts: true },
  // ESM only: the contract suite imports vitest, which cannot be require()d.
  { ...shared, entry: { 'testing/index': 'src/testing/index.ts' }, format: ['esm'], dts: true },
  // Same API and types as the Node build; only the platform modules differ.
  {
    ...shared,
    entry: { 'web/index': 'src/index.ts' },
    dts: false,
    platform: 'neutral',
    esbuildPlugins: [webPlatform],
  },
]);
