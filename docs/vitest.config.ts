import { defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

// Guides that are run, not only type-checked: getting-started.md end to end on the sandbox.
export default defineProject({
  ssr: { resolve: { conditions: ['@colchis/source', ...defaultServerConditions] } },
  test: { name: 'docs', environment: 'node', include: ['*.test.ts'], testTimeout: 60_000 },
});
