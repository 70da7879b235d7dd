import { defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@colchis/source', ...defaultServerConditions] } },
  test: { name: 'bog', environment: 'node', include: ['src/**/*.test.ts'], testTimeout: 20_000 },
});
