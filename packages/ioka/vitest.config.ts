import { defaultServerConditions } from 'vite';
import { configDefaults, defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@colchis/source', ...defaultServerConditions] } },
  test: {
    name: 'ioka',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    // *.edge.test.ts run in the edge-runtime projects (vitest.edge.config.ts).
    exclude: [...configDefaults.exclude, 'src/**/*.edge.test.ts'],
    testTimeout: 20_000,
  },
});
