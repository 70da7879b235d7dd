// The edge-runtime project of @colchis/core, and the shared definition every `*-edge` project
// uses: tests run in vitest's `edge-runtime` environment (the globals of Vercel's Edge Runtime:
// fetch, WebCrypto, no `process`-based APIs), with the workspace resolved the way an edge bundler
// resolves it.
import { isBuiltin } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defaultServerConditions, parseAst } from 'vite';
import { defineProject } from 'vitest/config';

const packagesDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const coreSource = join(packagesDirectory, 'core', 'src') + sep;
const workspaceRoot = join(packagesDirectory, '..');

/**
 * What an edge bundler asks for (Next.js edge routes, Wrangler, Deno, Bun pick one of these), after
 * `@colchis/source` so workspace packages resolve to their TypeScript. No `node`.
 */
export const EDGE_CONDITIONS = [
  '@colchis/source',
  'edge-light',
  'workerd',
  'worker',
  'browser',
  'module',
  'development|production',
];

// The modules core's tsup web build swaps for their `-web` twins (packages/core/tsup.config.ts).
const WEB_TWINS = new Map(
  ['webhook-crypto', 'default-transport'].map((name) => [
    join(coreSource, `${name}.js`),
    join(coreSource, `${name}-web.ts`),
  ]),
);

function withoutQuery(id: string): string {
  const index = id.indexOf('?');
  return index === -1 ? id : id.slice(0, index);
}

/**
 * Mirrors the web build's esbuild plugin: core's platform seams resolve to their `-web` twins,
 * whoever imports them (core's index, or `@colchis/core/testing`).
 */
function webPlatformTwins(): Plugin {
  return {
    name: 'colchis-edge-web-platform',
    enforce: 'pre',
    resolveId(source, importer) {
      // Only the test environment: the globalSetup (the sandbox, Node code) keeps Node's core.
      if (this.environment.name !== 'ssr' || importer === undefined || !source.startsWith('.')) return null;
      const from = withoutQuery(importer);
      if (!from.startsWith(coreSource)) return null;
      return WEB_TWINS.get(join(dirname(from), source)) ?? null;
    },
  };
}

// Test code may use Node (fixtures from disk, core's fault server); the code under test may not.
const TEST_CODE = /(\.test\.ts|\.test-helper\.ts)$|[\\/]src[\\/]testing[\\/]/;

function isNodeOnly(source: string): boolean {
  return (
    source === 'undici' ||
    source.startsWith('undici/') ||
    /[\\/]node_modules[\\/]undici[\\/]/.test(source) ||
    isBuiltin(source)
  );
}

/**
 * Every module specifier a module imports: static and re-exported, plus dynamic ones (string
 * literals) unless `staticOnly`.
 */
function importedSpecifiers(node: unknown, staticOnly: boolean, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const child of node) importedSpecifiers(child, staticOnly, found);
  } else if (node !== null && typeof node === 'object') {
    const value = node as { type?: string; source?: { type?: string; value?: unknown } };
    if (
      (value.type === 'ImportDeclaration' ||
        value.type === 'ExportNamedDeclaration' ||
        value.type === 'ExportAllDeclaration' ||
        (value.type === 'ImportExpression' && !staticOnly)) &&
      value.source?.type === 'Literal' &&
      typeof value.source.value === 'string'
    ) {
      found.push(value.source.value);
    }
    for (const key in value)
      if (key !== 'source') importedSpecifiers(value[key as keyof typeof value], found);
  }
  return found;
}

function nodeOnlyImportError(file: string, source: string): Error {
  return new Error(
    `Edge runtime: ${relative(workspaceRoot, file)} imports "${source}", which Cloudflare Workers, Vercel Edge and Deno Deploy do not have.`,
  );
}

/**
 * Fails any library module that imports a `node:*` built-in or `undici`, including imports an edge
 * bundler could tree-shake away: on Workers or Vercel Edge such an import is a deploy or runtime
 * failure, so here it is a test failure. The environment still has Node underneath (vitest loads
 * built-ins without asking Vite), so the check reads each transformed module's imports; the
 * resolve hook also refuses `undici` outright.
 */
function forbidNodeOnlyImports(options: { allowDynamic: boolean }): Plugin {
  return {
    name: 'colchis-edge-forbid-node',
    enforce: 'pre',
    resolveId(source, importer) {
      if (this.environment.name !== 'ssr' || importer === undefined || options.allowDynamic) return null;
      const from = withoutQuery(importer);
      if (TEST_CODE.test(from) || !isNodeOnly(source)) return null;
      throw nodeOnlyImportError(from, source);
    },
    transform: {
      order: 'post',
      handler(code, id) {
        const file = withoutQuery(id);
        if (this.environment.name !== 'ssr' || TEST_CODE.test(file) || !/\.[cm]?[jt]s$/.test(file))
          return null;
        const forbidden = importedSpecifiers(parseAst(code), options.allowDynamic).find(isNodeOnly);
        if (forbidden !== undefined) throw nodeOnlyImportError(file, forbidden);
        return null;
      },
    },
  };
}

/** Options of {@link defineEdgeProject}. */
export interface EdgeProjectOptions {
  /** Project name (`bog-edge`), for `vitest --project`. */
  name: string;
  /** Test files, relative to the package. Default: every test file under `src`. */
  include?: string[] | undefined;
  /**
   * Test files that only make sense on Node, besides the ones every edge project leaves out:
   * `.sandbox.test.ts` files (they start the sandbox in-process; the edge tests reach it through
   * the globalSetup instead) and `.node.test.ts` files (the convention for other Node-only suites).
   */
  exclude?: string[] | undefined;
  /** Node-side setup files (start the sandbox, `provide` its settings). */
  globalSetup?: string[] | undefined;
  /**
   * Lets library code import `node:*` or `undici` dynamically (static imports still fail). Only for
   * `@colchis/procredit`, which loads them on first use and refuses to construct without Node.
   */
  allowDynamicNodeImports?: boolean | undefined;
}

/** One package's edge-runtime project. */
export function defineEdgeProject(options: EdgeProjectOptions) {
  return defineProject({
    plugins: [
      webPlatformTwins(),
      forbidNodeOnlyImports({ allowDynamic: options.allowDynamicNodeImports === true }),
    ],
    ssr: { resolve: { conditions: EDGE_CONDITIONS } },
    // The globalSetup runs in this environment, on Node: the sandbox keeps Node's core.
    environments: {
      __vitest__: { resolve: { conditions: ['@colchis/source', ...defaultServerConditions] } },
    },
    test: {
      name: options.name,
      environment: 'edge-runtime',
      // This run is part of the main test command on small CI machines: threads and one module
      // graph per worker cut its CPU time by about two thirds. The suites keep no state between
      // files (each builds its own providers and servers, and restores what it spies on).
      pool: 'threads',
      isolate: false,
      include: options.include ?? ['src/**/*.test.ts'],
      exclude: ['src/**/*.sandbox.test.ts', 'src/**/*.node.test.ts', ...(options.exclude ?? [])],
      globalSetup: options.globalSetup ?? [],
      testTimeout: 20_000,
    },
  });
}

export default defineEdgeProject({
  name: 'core-edge',
  include: ['src/**/*.edge.test.ts'],
  globalSetup: ['src/edge-fault-server.test-helper.ts'],
});
