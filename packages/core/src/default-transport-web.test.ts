import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTransport } from './default-transport-web.js';
import { ConfigurationError } from './errors.js';
import { createHttpClient } from './http-client.js';

let server: Server;
let origin: string;
beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"edge":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('defaultTransport (edge build)', () => {
  it('is one shared fetch transport', async () => {
    const transport = defaultTransport();
    expect(transport.name).toBe('fetch');
    expect(defaultTransport()).toBe(transport);
    const http = createHttpClient({ provider: 'edge', baseUrl: origin, transport });
    expect((await http.request({ operation: 'x', method: 'GET', path: '/' })).data).toEqual({ edge: true });
  });

  it('refuses an undici dispatcher with a message that says what to pass instead', () => {
    expect(() => defaultTransport({ dispatcher: new Agent() })).toThrow(ConfigurationError);
    expect(() => defaultTransport({ dispatcher: new Agent() })).toThrow(/pass `fetch` or a `transport`/);
  });
});
