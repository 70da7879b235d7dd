// The edge-runtime project of @colchis/core, and the shared definition every `*-edge` project
// uses: tests run in vitest's `edge-runtime` environment (the globals of Vercel's Edge Runtime:
// fetch, WebCrypto, no `process`-based APIs), with the workspace resolved the way an edge bundler
// resolves it.
import { isBuiltin } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defaultServerConditions } from 'vite';
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
const WEB_TWINS = /^\.\/(webhook-crypto|default-transport)\.js$/;

function withoutQuery(id: string): string {
  const index = id.indexOf('?');
  return index === -1 ? id : id.slice(0, index);
}

/** Mirrors the web build's esbuild plugin: core's platform seams resolve to their `-web` twins. */
function webPlatformTwins(): Plugin {
  return {
    name: 'colchis-edge-web-platform',
    enforce: 'pre',
    resolveId(source, importer) {
      // Only the test environment: the globalSetup (the sandbox, Node code) keeps Node's core.
      if (this.environment.name !== 'ssr' || importer === undefined) return null;
      const from = withoutQuery(importer);
      const twin = WEB_TWINS.exec(source)?.[1];
      if (twin === undefined || !from.startsWith(coreSource)) return null;
      return join(dirname(from), `${twin}-web.ts`);
    },
  };
}

// Test code may use Node (fixtures from disk, core's fault server); the code under test may not.
const TEST_CODE = /(\.test\.ts|\.test-helper\.ts)$|[\\/]src[\\/]testing[\\/]/;

function isNodeOnly(source: string): boolean {
  return source === 'undici' || source.startsWith('undici/') || (isBuiltin(source) && source !== 'vitest');
}

/**
 * Fails the import of any `node:*` built-in or `undici` from library code, including code an edge
 * bundler would tree-shake away: on Workers or Vercel Edge such an import is a deploy or runtime
 * failure, so here it is a test failure. (The environment itself still has Node underneath; this
 * makes the absence real for the code under test.)
 */
function forbidNodeOnlyImports(): Plugin {
  return {
    name: 'colchis-edge-forbid-node',
    enforce: 'pre',
    resolveId(source, importer) {
      if (this.environment.name !== 'ssr' || importer === undefined) return null;
      const from = withoutQuery(importer);
      if (TEST_CODE.test(from) || !isNodeOnly(source)) return null;
      throw new Error(
        `Edge runtime: ${relative(workspaceRoot, from)} imports "${source}", which Cloudflare Workers, Vercel Edge and Deno Deploy do not have.`,
      );
    },
  };
}

/** Options of {@link defineEdgeProject}. */
export interface EdgeProjectOptions {
  /** Project name (`bog-edge`), for `vitest --project`. */
  name: string;
  /** Test files, relative to the package. */
  include: string[];
  /** Node-side setup files (start the sandbox, `provide` its settings). */
  globalSetup?: string[] | undefined;
  /** Dependencies to run through Vite, so the edge conditions pick their worker builds. */
  inline?: string[] | undefined;
}

/** One package's edge-runtime project. */
export function defineEdgeProject(options: EdgeProjectOptions) {
  return defineProject({
    plugins: [webPlatformTwins(), forbidNodeOnlyImports()],
    ssr: { resolve: { conditions: EDGE_CONDITIONS, externalConditions: ['worker', 'browser'] } },
    // The globalSetup runs in this environment, on Node: the sandbox keeps Node's core.
    environments: { __vitest__: { resolve: { conditions: ['@colchis/source', ...defaultServerConditions] } } },
    test: {
      name: options.name,
      environment: 'edge-runtime',
      include: options.include,
      globalSetup: options.globalSetup ?? [],
      testTimeout: 20_000,
      server: { deps: { inline: options.inline ?? [] } },
    },
  });
}

export default defineEdgeProject({
  name: 'core-edge',
  include: ['src/**/*.edge.test.ts'],
  globalSetup: ['src/edge-fault-server.test-helper.ts'],
});
