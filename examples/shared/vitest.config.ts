import { defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@colchis/source', ...defaultServerConditions] } },
  test: { name: 'example-shared', environment: 'node', include: ['src/**/*.test.ts'] },
});
