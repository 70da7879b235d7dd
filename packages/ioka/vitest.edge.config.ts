import { defineEdgeProject } from '../core/vitest.edge.config.ts';

// The ioka suites again, in the edge-runtime environment, as Workers and Vercel Edge load the
// package: the edge flows against the sandbox (ioka.edge.test.ts), the provider contract (fault
// matrix over the runtime's fetch) and the unit suites. Left out besides the Node sandbox suites:
// the environment-variable defaults (process.env) and ioka-webhook.test.ts, which exercises the
// synchronous signer (Node's crypto; its async twin is tested in ioka.edge.test.ts).
export default defineEdgeProject({
  name: 'ioka-edge',
  exclude: ['src/ioka-default.test.ts', 'src/ioka-webhook.test.ts'],
  globalSetup: ['src/ioka-edge-sandbox.test-helper.ts'],
});
