import { defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

export default defineProject({
  ssr: { resolve: { conditions: ['@colchis/source', ...defaultServerConditions] } },
  test: {
    name: 'example-enrollment',
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The browser tests drive one Chromium and several app instances: one file at a time, and
    // after the library packages (group 0), so a 2-core CI machine is not oversubscribed.
    fileParallelism: false,
    sequence: { groupOrder: 1 },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
