import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultTransport } from './default-transport.js';

let server: Server;
let origin: string;
beforeAll(async () => {
  server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  vi.doUnmock('./undici-transport.js');
  vi.resetModules();
});

describe('defaultTransport', () => {
  it('is one shared undici transport when no dispatcher is given', async () => {
    const transport = defaultTransport();
    expect(transport.name).toBe('undici');
    expect(defaultTransport()).toBe(transport);
    expect(defaultTransport({})).toBe(transport);
    const response = await transport.request({ method: 'GET', url: origin, headers: {} });
    expect(response.body).toBe('ok');
    await transport.close?.(); // closing the shared one leaves undici's global dispatcher alone
    expect((await defaultTransport().request({ method: 'GET', url: origin, headers: {} })).body).toBe('ok');
  });

  it('builds a transport per dispatcher, which it closes', async () => {
    const agent = new Agent();
    const transport = defaultTransport({ dispatcher: agent });
    expect(transport).not.toBe(defaultTransport());
    expect(defaultTransport({ dispatcher: agent })).not.toBe(transport);
    expect((await transport.request({ method: 'GET', url: origin, headers: {} })).body).toBe('ok');
    await transport.close?.();
    expect(agent.closed).toBe(true);
  });

  it('loads undici on the first request, not at import, and only once', async () => {
    vi.resetModules();
    let loads = 0;
    vi.doMock('./undici-transport.js', async (importOriginal) => {
      loads++;
      return importOriginal();
    });
    const fresh = await import('./default-transport.js');
    const transport = fresh.defaultTransport();
    await transport.close?.(); // closing before any request loads nothing
    expect(loads).toBe(0);
    const [first, second] = await Promise.all([
      transport.request({ method: 'GET', url: origin, headers: {} }),
      transport.request({ method: 'GET', url: origin, headers: {} }),
    ]);
    expect(first.body).toBe('ok');
    expect(second.body).toBe('ok');
    expect(loads).toBe(1);
    await fresh
      .defaultTransport({ dispatcher: new Agent() })
      .request({ method: 'GET', url: origin, headers: {} });
    expect(loads).toBe(1);
  });
});
