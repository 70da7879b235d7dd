import { defineEdgeProject } from '../core/vitest.edge.config.ts';

// The Stripe adapter's suites again, in the edge-runtime environment, with stripe-node's worker
// build (the edge conditions pick it): the edge flows against the sandbox
// (stripe-adapter.edge.test.ts), the provider contract (fault matrix over the runtime's fetch) and
// the unit suites. Left out besides the Node sandbox suite: the nock suite (nock patches Node's
// http) and stripe-webhook.test.ts, which signs with stripe-node's synchronous
// generateTestHeaderString (Node's crypto; the edge flows sign with the async one).
export default defineEdgeProject({
  name: 'stripe-adapter-edge',
  exclude: ['src/stripe-sandbox.test.ts', 'src/stripe-adapter.test.ts', 'src/stripe-webhook.test.ts'],
  globalSetup: ['src/stripe-edge-sandbox.test-helper.ts'],
});
