import { defineEdgeProject } from '../core/vitest.edge.config.ts';

// ProCredit on an edge runtime: importing the package must work, constructing a client must fail
// with a ConfigurationError (client certificates need Node's TLS), not the first request.
export default defineEdgeProject({
  name: 'procredit-edge',
  include: ['src/**/*.edge.test.ts'],
  // It imports undici on first use, after construction has checked for Node.
  allowDynamicNodeImports: true,
});
