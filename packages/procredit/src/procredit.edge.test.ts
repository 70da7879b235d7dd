// @colchis/procredit in the edge-runtime environment (project `procredit-edge`). vitest's
// edge-runtime environment keeps Node's `process` underneath, so each case swaps in the `process`
// an edge runtime has (none on Cloudflare Workers and Deno Deploy, an env-only object on Vercel
// Edge) for the duration of the synchronous construction.
import { ConfigurationError } from '@colchis/core';
import { describe, expect, it } from 'vitest';
import { createProCredit, createProCreditClient, hasNodeTls, type ProCreditSettings } from './index.js';

const inEdgeProject = (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime === 'edge-runtime';

const MUTUAL_TLS: ProCreditSettings = {
  environment: 'test',
  merchantId: 'colchis-shop',
  tls: {
    certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    privateKey: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
  },
};

/** Runs `construct` with `globalThis.process` replaced, restoring it before returning. */
function onRuntimeWith<T>(edgeProcess: unknown, construct: () => T): T {
  const original = Object.getOwnPropertyDescriptor(globalThis, 'process') as PropertyDescriptor;
  Object.defineProperty(globalThis, 'process', { value: edgeProcess, configurable: true, writable: true });
  try {
    return construct();
  } finally {
    Object.defineProperty(globalThis, 'process', original);
  }
}

function constructionError(edgeProcess: unknown, construct: () => unknown): unknown {
  try {
    onRuntimeWith(edgeProcess, construct);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe.runIf(inEdgeProject)('ProCredit on an edge runtime', () => {
  const runtimes = [
    ['Cloudflare Workers / Deno Deploy (no process)', undefined],
    ['Vercel Edge (process.env only)', { env: {} }],
  ] as const;

  for (const [runtime, edgeProcess] of runtimes) {
    it(`imports, then refuses to construct with a ConfigurationError that says why: ${runtime}`, () => {
      expect(onRuntimeWith(edgeProcess, () => hasNodeTls())).toBe(false);
      for (const construct of [() => createProCredit(MUTUAL_TLS), () => createProCreditClient(MUTUAL_TLS)]) {
        const error = constructionError(edgeProcess, construct);
        expect(ConfigurationError.isInstance(error), String(error)).toBe(true);
        expect((error as Error).message).toMatch(/Node\.js/);
        expect((error as Error).message).toMatch(/client certificate/);
      }
    });
  }

  it('constructs where Node is present (the check is the runtime, not the settings)', () => {
    expect(hasNodeTls()).toBe(true);
    const provider = createProCredit({
      preset: 'kapital',
      baseUrl: 'http://127.0.0.1:9/api',
      basicAuth: { username: 'TerminalSys/colchis', password: 'not-a-real-password' },
    });
    expect(provider.id).toBe('procredit');
  });
});
