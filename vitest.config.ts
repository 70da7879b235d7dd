import { defineConfig } from 'vitest/config';

// One run for the whole workspace: every package and example is a project with its own config.
// The `*-edge` projects (vitest.edge.config.ts) run the edge-capable packages' suites again in the
// edge-runtime environment, resolved the way Workers and Vercel Edge bundlers resolve them.
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'packages/*/vitest.edge.config.ts',
      'examples/*/vitest.config.ts',
      'docs/vitest.config.ts',
      'bench/vitest.config.ts',
    ],
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      exclude: [
        '**/*.test.ts',
        '**/*.test-helper.ts',
        '**/__fixtures__/**',
        '**/index.ts',
        'packages/*/src/cli.ts',
      ],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: '.tmp/coverage',
      // The bar for core; the report shows every package.
      thresholds: { 'packages/core/src/**/*.ts': { lines: 90 } },
    },
  },
});
