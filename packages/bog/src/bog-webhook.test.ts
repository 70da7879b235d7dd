import { readFileSync } from 'node:fs';
import { ResponseValidationError, SignatureVerificationError } from '@colchis/core';
import { describe, expect, it } from 'vitest';
import { createBog } from './bog-provider.js';
import { createBogTestCallback, createBogTestKeyPair, signBogTestCallback } from './bog-test-signing.js';
import { normalizeBogSignature, verifyBogCallback } from './bog-webhook.js';

const keys = await createBogTestKeyPair();
const rawBody = readFileSync(new URL('./__fixtures__/callback-refunded.json', import.meta.url), 'utf8');
const signature = await signBogTestCallback(rawBody, keys.privateKey);

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('verifyBogCallback', () => {
  it('verifies the raw body and unwraps the body envelope into payment details', async () => {
    const callback = await verifyBogCallback({ rawBody, signature, publicKey: keys.publicKey });
    expect(callback.event).toBe('order_payment');
    expect(callback.requestTime?.toISOString()).toBe('2022-11-23T18:06:37.240Z');
    expect(callback.paymentDetails).toMatchObject({
      orderId: 'a767a276-cddd-43ec-9db3-9f9b39eee02d',
      status: 'refunded',
      requestAmount: 10050,
      refundAmount: 10050,
      transferAmount: 0,
    });
  });

  it('verifies bytes as well as text, and reads the header from any headers shape', async () => {
    const bytes = new TextEncoder().encode(rawBody);
    const provider = createBog({ callbackPublicKey: keys.publicKey });
    for (const headers of [
      { 'callback-signature': signature },
      { 'Callback-Signature': signature },
      new Headers({ 'Callback-Signature': signature }),
      [['CALLBACK-SIGNATURE', signature]] as Array<[string, string]>,
    ]) {
      const event = await provider.verifyWebhook({ rawBody: bytes, headers });
      expect(event).toMatchObject({
        type: 'refund.updated',
        status: 'refunded',
        reference: '123456',
        signed: true,
      });
    }
  });

  it('tolerates signatures mangled by proxies: folded, URL-encoded, spaces for plus, hex', async () => {
    const hex = Buffer.from(signature, 'base64').toString('hex');
    const variants = [
      ` ${signature}\n`,
      signature.replace(/(.{64})/g, '$1\r\n'),
      encodeURIComponent(signature),
      signature.replace(/\+/g, ' '),
      hex,
    ];
    for (const variant of variants) {
      const callback = await verifyBogCallback({ rawBody, signature: variant, publicKey: keys.publicKey });
      expect(callback.paymentDetails.status).toBe('refunded');
    }
    expect(normalizeBogSignature(signature)).toBe(signature);
  });

  it('rejects a re-serialized body, naming the raw-body fix', async () => {
    const reserialized = JSON.stringify(JSON.parse(rawBody));
    const error = await rejection(
      verifyBogCallback({ rawBody: reserialized, signature, publicKey: keys.publicKey }),
    );
    expect(SignatureVerificationError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/raw body/);
  });

  it('rejects parsed JSON outright', async () => {
    const error = await rejection(
      verifyBogCallback({ rawBody: JSON.parse(rawBody) as string, signature, publicKey: keys.publicKey }),
    );
    expect(SignatureVerificationError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/raw (request )?body/);
  });

  it('rejects a missing header, naming Callback-Signature', async () => {
    const error = await rejection(verifyBogCallback({ rawBody, headers: {}, publicKey: keys.publicKey }));
    expect(SignatureVerificationError.isInstance(error)).toBe(true);
    expect(error.message).toContain('Callback-Signature');
  });

  it('verifies with the environment key by default: a sandbox-signed callback fails against production', async () => {
    const production = createBog({ environment: 'production' });
    const error = await rejection(
      production.verifyWebhook({ rawBody, headers: { 'callback-signature': signature } }),
    );
    expect(SignatureVerificationError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/environment/);
  });

  it('accepts un-enveloped payment details once the signature is proven', async () => {
    const details = JSON.stringify(JSON.parse(rawBody).body);
    const callback = await verifyBogCallback({
      rawBody: details,
      signature: await signBogTestCallback(details, keys.privateKey),
      publicKey: keys.publicKey,
    });
    expect(callback.event).toBeUndefined();
    expect(callback.paymentDetails.orderId).toBe('a767a276-cddd-43ec-9db3-9f9b39eee02d');
  });

  it('reports a signed body that is not a callback as ResponseValidationError', async () => {
    for (const body of ['not json', '{"hello":"world"}']) {
      const error = await rejection(
        verifyBogCallback({
          rawBody: body,
          signature: await signBogTestCallback(body, keys.privateKey),
          publicKey: keys.publicKey,
        }),
      );
      expect(ResponseValidationError.isInstance(error)).toBe(true);
    }
  });

  it('builds complete signed test callbacks for handler tests', async () => {
    const callback = await createBogTestCallback(
      {
        order_id: 'o-1',
        external_order_id: 'ref-1',
        order_status: { key: 'completed' },
        purchase_units: { request_amount: '12.3', transfer_amount: '12.3', currency_code: 'GEL' },
      },
      keys.privateKey,
    );
    const event = await createBog({ callbackPublicKey: keys.publicKey }).verifyWebhook(callback);
    expect(event).toMatchObject({ paymentId: 'o-1', reference: 'ref-1', status: 'captured' });
    expect(event.payment?.amountCaptured).toBe(1230);
  });
});
