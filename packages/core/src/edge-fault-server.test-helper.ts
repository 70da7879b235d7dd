// globalSetup of the `core-edge` project. It runs on Node, outside the edge-runtime environment,
// and starts core's fault server (Node code) for the edge tests to call over a real socket.
import type { TestProject } from 'vitest/node';
import { startFaultServer } from './testing/fault-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the fault server started for the `core-edge` project. */
    coreEdgeServer: string;
  }
}

/** Starts the server, queues its faults, and hands its URL to the tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startFaultServer((request) => {
    if (request.url.startsWith('/echo')) {
      return {
        status: 200,
        body: { method: request.method, body: request.body, userAgent: request.headers['user-agent'] },
      };
    }
    return undefined;
  });
  // Consumed in order by the tests: a 503 answered by a retry, and a response that stalls after
  // its headers (each attempt), so the timeout must cover the body on edge `fetch` too.
  server.inject((request) => request.url === '/echo/after-503', { kind: 'status', status: 503 });
  server.inject(
    (request) => request.url === '/echo/stall',
    { kind: 'stall-mid-body' },
    { kind: 'stall-mid-body' },
  );
  project.provide('coreEdgeServer', server.url);
  return () => server.close();
}
