// Core as edge runtimes load it (project `core-edge`): the web build's transport and crypto,
// inside vitest's edge-runtime environment, against a real local server started on Node by the
// project's globalSetup (edge-fault-server.test-helper.ts).
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import {
  ConfigurationError,
  createHttpClient,
  defaultTransport,
  hmacSha256,
  hmacSha256Async,
  TimeoutError,
  verifyHmacSha256,
  verifyHmacSha256Sync,
  verifyRsaSha256,
  verifyRsaSha256Sync,
} from './index.js';

// Provided by the `core-edge` project's globalSetup. The Node project's `src/**/*.test.ts` also
// matches this file; there nothing is provided and the suites are skipped.
const serverUrl = inject('coreEdgeServer') as string;
const inEdgeProject = inject('coreEdgeServer') !== undefined;
const FAST = { initialDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 100 };

afterEach(() => {
  vi.restoreAllMocks();
});

describe.runIf(inEdgeProject)('core on an edge runtime', () => {
  it('runs inside the Edge Runtime globals', () => {
    expect((globalThis as { EdgeRuntime?: unknown }).EdgeRuntime).toBe('edge-runtime');
  });

  it('cannot load undici or node: modules from library code', async () => {
    // The undici transport is the one module of core that imports undici: the project refuses it,
    // so every other import that succeeds in these suites is free of node-only modules.
    // (it imports two undici modules by path: `undici/lib/global.js`, `undici/lib/core/util.js`)
    await expect(import('./undici-transport.js')).rejects.toThrow(/imports "undici(\/[^"]*)?"/);
  });

  it('uses fetch as the default transport and refuses an undici dispatcher', () => {
    expect(defaultTransport().name).toBe('fetch');
    expect(() => defaultTransport({ dispatcher: {} as never })).toThrow(ConfigurationError);
    expect(() => createHttpClient({ provider: 'test', baseUrl: serverUrl, dispatcher: {} as never })).toThrow(
      /no undici/,
    );
  });

  it('sends requests through the global fetch when no transport is given', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const client = createHttpClient({
      provider: 'test',
      baseUrl: serverUrl,
      userAgent: '@colchis/edge-test/1',
    });
    const result = await client.request<{ method: string; body: string; userAgent: string }>({
      operation: 'echo',
      method: 'POST',
      path: '/echo',
      json: { amount: 2550 },
      idempotent: true,
    });
    expect(result.status).toBe(200);
    expect(result.data).toMatchObject({ method: 'POST', body: '{"amount":2550}' });
    expect(result.data.userAgent).toContain('@colchis/edge-test/1');
    expect(fetchSpy).toHaveBeenCalledWith(`${serverUrl}/echo`, expect.objectContaining({ method: 'POST' }));
  });

  it('retries a 503 on a retryable call', async () => {
    const client = createHttpClient({ provider: 'test', baseUrl: serverUrl, retry: FAST });
    const result = await client.request({ operation: 'echo', method: 'GET', path: '/echo/after-503' });
    expect(result.status).toBe(200);
    expect(result.attempts).toBe(2);
  });

  it('times out a response that stalls after its headers (the timeout covers the body)', async () => {
    const client = createHttpClient({
      provider: 'test',
      baseUrl: serverUrl,
      timeoutMs: 300,
      retry: { ...FAST, maxRetries: 1 },
    });
    const started = Date.now();
    const failure = await client
      .request({ operation: 'echo', method: 'GET', path: '/echo/stall' })
      .catch((error: unknown) => error);
    expect(TimeoutError.isInstance(failure), String(failure)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe.runIf(inEdgeProject)('webhook crypto on WebCrypto', () => {
  // RFC 4231, test case 2.
  const RFC_4231 = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

  it('computes and verifies HMAC-SHA256', async () => {
    expect(await hmacSha256Async('Jefe', 'what do ya want for nothing?')).toBe(RFC_4231);
    expect(await verifyHmacSha256('what do ya want for nothing?', 'Jefe', RFC_4231)).toBe(true);
    expect(await verifyHmacSha256('what do ya want for nothing!', 'Jefe', RFC_4231)).toBe(false);
    const base64 = await hmacSha256Async('Jefe', 'what do ya want for nothing?', 'base64');
    expect(await verifyHmacSha256('what do ya want for nothing?', 'Jefe', base64, 'base64')).toBe(true);
  });

  it('has no synchronous variants and names the async one', () => {
    expect(() => hmacSha256('k', 'd')).toThrow(/hmacSha256 is synchronous.*await hmacSha256Async/);
    expect(() => verifyHmacSha256Sync('d', 'k', RFC_4231)).toThrow(/await verifyHmacSha256\(/);
    expect(() => verifyRsaSha256Sync('d', 'key', 'c2ln')).toThrow(ConfigurationError);
  });

  it('verifies RSA-SHA256 with an SPKI public key in PEM, bare base64 or escaped newlines', async () => {
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
    const pair = (await crypto.subtle.generateKey(
      { ...algorithm, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
      true,
      ['sign', 'verify'],
    )) as { publicKey: Parameters<typeof crypto.subtle.exportKey>[1]; privateKey: never };
    const der = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
    const base64 = btoa(String.fromCharCode(...der));
    const pem = `-----BEGIN PUBLIC KEY-----\n${base64.match(/.{1,64}/g)?.join('\n')}\n-----END PUBLIC KEY-----\n`;
    const body = '{"event":"order_payment","body":{"order_id":"a1"}}';
    const signature = new Uint8Array(
      await crypto.subtle.sign(algorithm, pair.privateKey, new TextEncoder().encode(body)),
    );
    const signatureBase64 = btoa(String.fromCharCode(...signature));
    for (const key of [pem, base64, pem.replace(/\n/g, '\\n')]) {
      expect(await verifyRsaSha256(body, key, signatureBase64)).toBe(true);
    }
    expect(await verifyRsaSha256(body.replace('a1', 'a2'), pem, signatureBase64)).toBe(false);
    await expect(verifyRsaSha256(body, 'not a key!', signatureBase64)).rejects.toThrow(ConfigurationError);
  });
});
