import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.js';
import * as node from './webhook-crypto.js';
import * as web from './webhook-crypto-web.js';

// The WebCrypto twin must give the same answers as the node:crypto module on every input:
// the edge build of each gateway package verifies webhooks with it.

const encoder = new TextEncoder();

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

describe('webhook-crypto-web', () => {
  it('computes the RFC 4231 HMAC vector', async () => {
    expect(await web.hmacSha256Async('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(
      await web.hmacSha256Async(
        encoder.encode('Jefe'),
        encoder.encode('what do ya want for nothing?'),
        'base64',
      ),
    ).toBe(node.hmacSha256('Jefe', 'what do ya want for nothing?', 'base64'));
    expect(await node.hmacSha256Async('Jefe', 'x')).toBe(node.hmacSha256('Jefe', 'x'));
  });

  it('agrees with the Node module on HMAC verification, valid and tampered', async () => {
    const random = seededRandom(7);
    for (let index = 0; index < 200; index++) {
      const body = JSON.stringify({
        id: `ord_${index}`,
        amount: Math.floor(random() * 1e6),
        note: 'ქართული',
      });
      const key = `key-${Math.floor(random() * 1e9)}`;
      const encoding = index % 2 === 0 ? 'hex' : 'base64';
      const good = node.hmacSha256(key, body, encoding);
      const candidates = [
        good,
        encoding === 'hex' ? good.toUpperCase() : good.replace(/\+/g, '-').replace(/\//g, '_'),
        `${good.slice(0, -2)}${good.slice(-2) === 'AA' ? 'BA' : 'AA'}`,
        good.slice(1),
        '',
        'not a signature',
      ];
      for (const signature of candidates) {
        const expected = await node.verifyHmacSha256(body, key, signature, encoding);
        expect(await web.verifyHmacSha256(body, key, signature, encoding), `${encoding} ${signature}`).toBe(
          expected,
        );
      }
      expect(await web.verifyHmacSha256(`${body} `, key, good, encoding)).toBe(false);
      expect(await web.verifyHmacSha256(encoder.encode(body), encoder.encode(key), good, encoding)).toBe(
        true,
      );
    }
  });

  it('verifies RSA-SHA256 like the Node module, with the key as PEM, escaped PEM or bare base64', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const bare = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const body = '{"event":"order_payment","body":{"order_status":{"key":"completed"}}}';
    const signature = sign('sha256', Buffer.from(body), privateKey).toString('base64');
    for (const key of [pem, pem.replace(/\n/g, '\\n'), bare]) {
      expect(await web.verifyRsaSha256(body, key, signature)).toBe(true);
      expect(await web.verifyRsaSha256(encoder.encode(body), key, signature)).toBe(true);
      expect(await web.verifyRsaSha256(body.replace('completed', 'rejected'), key, signature)).toBe(false);
      for (const bad of ['', 'not base64!', signature.slice(4), 'AAAA']) {
        expect(await web.verifyRsaSha256(body, key, bad), bad).toBe(
          await node.verifyRsaSha256(body, key, bad),
        );
      }
    }
    const urlSafe = signature.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(await web.verifyRsaSha256(body, pem, urlSafe)).toBe(true);
  });

  it('throws ConfigurationError for keys it cannot use', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    for (const key of [
      'not a key!',
      pkcs1,
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
      'QUJDRA==',
    ]) {
      const error = await web.verifyRsaSha256('x', key, 'AAAA').catch((caught: unknown) => caught);
      expect(ConfigurationError.isInstance(error), key.slice(0, 20)).toBe(true);
    }
    // A failed import is not cached: the same bad key fails the same way again.
    const again = await web.verifyRsaSha256('x', 'QUJDRA==', 'AAAA').catch((caught: unknown) => caught);
    expect(ConfigurationError.isInstance(again)).toBe(true);
  });

  it('normalizes keys like the Node module', () => {
    for (const key of ['A'.repeat(100), '-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----']) {
      expect(web.normalizePublicKeyPem(key)).toBe(node.normalizePublicKeyPem(key));
    }
    expect(() => web.normalizePublicKeyPem('nope!')).toThrow(ConfigurationError);
  });

  it('has no synchronous crypto and says which async function to use', () => {
    expect(() => web.hmacSha256('k', 'd')).toThrow(/await hmacSha256Async/);
    expect(() => web.verifyHmacSha256Sync('d', 'k', 'aa')).toThrow(/await verifyHmacSha256\(/);
    expect(() => web.verifyRsaSha256Sync('d', 'k', 'aa')).toThrow(/await verifyRsaSha256\(/);
    try {
      web.verifyRsaSha256Sync('d', 'k', 'aa');
    } catch (error) {
      expect(ConfigurationError.isInstance(error)).toBe(true);
    }
  });

  it('compares in constant time like the Node module', () => {
    const pairs: Array<[string | Uint8Array, string | Uint8Array]> = [
      ['abc', 'abc'],
      ['abc', 'abd'],
      ['abc', 'ab'],
      ['', ''],
      [new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])],
      [new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4])],
      ['ab', new Uint8Array([97, 98])],
    ];
    for (const [left, right] of pairs)
      expect(web.timingSafeEqual(left, right)).toBe(node.timingSafeEqual(left, right));
  });
});
