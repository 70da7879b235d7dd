// The same callback checks with core's WebCrypto build of webhook-crypto, the one edge runtimes
// (Workers, Vercel Edge, Deno) load: verification must not depend on node:crypto.
import { readFileSync } from 'node:fs';
import { SignatureVerificationError } from '@colchis/core';
import { describe, expect, it, vi } from 'vitest';
import { createBogTestKeyPair, signBogTestCallback } from './bog-test-signing.js';
import { normalizeBogSignature, verifyBogCallback } from './bog-webhook.js';

vi.mock('@colchis/core', async (importOriginal) => {
  // By URL, not a static specifier: the file lies outside this package's TypeScript rootDir.
  const web = new URL('../../core/src/webhook-crypto-web.ts', import.meta.url).href;
  return {
    ...(await importOriginal<Record<string, unknown>>()),
    ...((await import(/* @vite-ignore */ web)) as Record<string, unknown>),
  };
});

const keys = await createBogTestKeyPair();
const rawBody = readFileSync(new URL('./__fixtures__/callback-refunded.json', import.meta.url), 'utf8');

describe('callback verification on WebCrypto', () => {
  it('runs on the WebCrypto build (its synchronous variants do not exist)', async () => {
    const core = await import('@colchis/core');
    expect(() => core.verifyRsaSha256Sync('body', keys.publicKey, 'c2ln')).toThrow(/async variant/);
  });

  it('verifies a signed callback and rejects a tampered one', async () => {
    const signature = await signBogTestCallback(rawBody, keys.privateKey);
    const callback = await verifyBogCallback({ rawBody, signature, publicKey: keys.publicKey });
    expect(callback.paymentDetails.status).toBe('refunded');
    const hex = Buffer.from(signature, 'base64').toString('hex');
    expect((await verifyBogCallback({ rawBody, signature: hex, publicKey: keys.publicKey })).event).toBe(
      'order_payment',
    );
    expect(normalizeBogSignature(hex)).toBe(signature);
    await expect(
      verifyBogCallback({ rawBody: rawBody.replace('100.5', '100.6'), signature, publicKey: keys.publicKey }),
    ).rejects.toSatisfy((error) => SignatureVerificationError.isInstance(error));
  });

  it('reads the built-in production key', async () => {
    const signature = await signBogTestCallback(rawBody, keys.privateKey);
    const { BOG_CALLBACK_PUBLIC_KEYS } = await import('./bog-callback-public-keys.js');
    await expect(
      verifyBogCallback({ rawBody, signature, publicKey: BOG_CALLBACK_PUBLIC_KEYS.production }),
    ).rejects.toSatisfy((error) => SignatureVerificationError.isInstance(error));
  });
});
