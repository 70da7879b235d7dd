import { defineEdgeProject } from '../core/vitest.edge.config.ts';

// The BOG and iPay suites again, in the edge-runtime environment, as Workers and Vercel Edge load
// the package: the edge flows against the sandbox (bog.edge.test.ts), the provider contracts (fault
// matrix over the runtime's fetch), callback verification on WebCrypto and the unit suites. Left
// out besides the Node sandbox suites: bog-client.test.ts, which asserts that no Accept-Language
// header is sent, while undici's fetch (Node's and the Edge Runtime's) adds `accept-language: *`
// to every request that has none.
export default defineEdgeProject({
  name: 'bog-edge',
  exclude: ['src/bog-client.test.ts'],
  globalSetup: ['src/bog-edge-sandbox.test-helper.ts'],
});
