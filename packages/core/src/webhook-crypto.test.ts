import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.js';
import {
  hmacSha256,
  normalizePublicKeyPem,
  timingSafeEqual,
  verifyHmacSha256,
  verifyHmacSha256Sync,
  verifyRsaSha256,
  verifyRsaSha256Sync,
} from './webhook-crypto.js';

// RFC 4231, test case 2.
const RFC_KEY = 'Jefe';
const RFC_DATA = 'what do ya want for nothing?';
const RFC_HEX = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
const RFC_BASE64 = Buffer.from(RFC_HEX, 'hex').toString('base64');

describe('hmacSha256', () => {
  it('matches the RFC 4231 vector in hex and base64, for strings and bytes', () => {
    expect(hmacSha256(RFC_KEY, RFC_DATA)).toBe(RFC_HEX);
    expect(hmacSha256(RFC_KEY, RFC_DATA, 'base64')).toBe(RFC_BASE64);
    const encoder = new TextEncoder();
    expect(hmacSha256(encoder.encode(RFC_KEY), encoder.encode(RFC_DATA))).toBe(RFC_HEX);
  });
});

describe('verifyHmacSha256', () => {
  const body = '{"id":"ord_1","status":"PAID","amount":1050}';
  const key = 'webhook-secret';
  const hex = hmacSha256(key, body);
  const base64 = hmacSha256(key, body, 'base64');

  it('accepts the right hex signature, in either case and with stray whitespace', async () => {
    expect(await verifyHmacSha256(body, key, hex)).toBe(true);
    expect(await verifyHmacSha256(body, key, hex.toUpperCase())).toBe(true);
    expect(await verifyHmacSha256(body, key, ` ${hex}\n`)).toBe(true);
    expect(await verifyHmacSha256(new TextEncoder().encode(body), new TextEncoder().encode(key), hex)).toBe(
      true,
    );
    expect(verifyHmacSha256Sync(body, key, hex)).toBe(true);
  });

  it('rejects wrong, truncated, over-long and garbage hex signatures', async () => {
    const flipped = `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`;
    for (const signature of [
      flipped,
      hex.slice(0, -2),
      `${hex}00`,
      '',
      'zz'.repeat(32),
      `${hex.slice(0, -1)}g`,
      base64,
    ]) {
      expect(await verifyHmacSha256(body, key, signature), signature).toBe(false);
    }
  });

  it('rejects a tampered body and a wrong key', async () => {
    expect(await verifyHmacSha256(body.replace('1050', '1051'), key, hex)).toBe(false);
    expect(await verifyHmacSha256(`${body} `, key, hex)).toBe(false);
    expect(await verifyHmacSha256(body, 'other-secret', hex)).toBe(false);
  });

  it('accepts base64 and its URL-safe spelling, with or without padding', async () => {
    expect(await verifyHmacSha256(body, key, base64, 'base64')).toBe(true);
    const urlSafe = base64.replace(/\+/g, '-').replace(/\//g, '_');
    expect(await verifyHmacSha256(body, key, urlSafe, 'base64')).toBe(true);
    expect(await verifyHmacSha256(body, key, base64.replace(/=+$/, ''), 'base64')).toBe(true);
    expect(await verifyHmacSha256(RFC_DATA, RFC_KEY, RFC_BASE64, 'base64')).toBe(true);
  });

  it('rejects wrong or garbage base64 signatures', async () => {
    for (const signature of [
      '',
      base64.slice(4),
      `${base64.slice(0, -4)}AAAA`,
      `${base64}!!`, // Node's decoder would skip the "!" and accept this
      `${base64.slice(0, 10)}*${base64.slice(10)}`,
      `${base64}AAAA`,
      hex,
    ]) {
      expect(await verifyHmacSha256(body, key, signature, 'base64'), signature).toBe(false);
    }
  });
});

describe('verifyRsaSha256', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const pkcs1Pem = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const spkiBase64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const pkcs1Base64 = publicKey.export({ type: 'pkcs1', format: 'der' }).toString('base64');
  const body = '{"event":"order_payment","body":{"order_id":"a1b2","order_status":{"key":"completed"}}}';
  const signature = sign('sha256', Buffer.from(body), privateKey).toString('base64');

  it('verifies a PKCS#1 v1.5 signature with the key as PEM, escaped PEM or bare base64', async () => {
    expect(await verifyRsaSha256(body, pem, signature)).toBe(true);
    expect(await verifyRsaSha256(body, pem.replace(/\n/g, '\\n'), signature)).toBe(true); // as in a .env file
    expect(await verifyRsaSha256(body, pem.replace(/\n/g, '\r\n'), signature)).toBe(true);
    expect(await verifyRsaSha256(body, spkiBase64, signature)).toBe(true);
    expect(await verifyRsaSha256(body, pkcs1Pem, signature)).toBe(true);
    expect(await verifyRsaSha256(body, pkcs1Base64, signature)).toBe(true);
    expect(await verifyRsaSha256(new TextEncoder().encode(body), pem, signature)).toBe(true);
    expect(verifyRsaSha256Sync(body, pem, signature)).toBe(true);
  });

  it('accepts the URL-safe base64 spelling of the signature', async () => {
    const urlSafe = signature.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(await verifyRsaSha256(body, pem, urlSafe)).toBe(true);
  });

  it('rejects a tampered body, another key, and wrong or garbage signatures', async () => {
    expect(await verifyRsaSha256(body.replace('completed', 'rejected'), pem, signature)).toBe(false);
    expect(await verifyRsaSha256(`${body}\n`, pem, signature)).toBe(false);
    const otherPem = other.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(await verifyRsaSha256(body, otherPem, signature)).toBe(false);
    const otherSignature = sign('sha256', Buffer.from(body), other.privateKey).toString('base64');
    expect(await verifyRsaSha256(body, pem, otherSignature)).toBe(false);
    for (const bad of [
      '',
      '   ',
      'not base64 !',
      signature.slice(8),
      'AAAA',
      Buffer.from(signature).toString('hex'),
    ]) {
      expect(await verifyRsaSha256(body, pem, bad), bad).toBe(false);
    }
  });

  it('throws ConfigurationError for a key that is not a public key', async () => {
    for (const bad of [
      'not a key at all!',
      'AAAAAAAA',
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
      privateKey.export({ type: 'pkcs8', format: 'der' }).toString('hex'),
    ]) {
      const error = await verifyRsaSha256(body, bad, signature).catch((caught: unknown) => caught);
      expect(ConfigurationError.isInstance(error), bad.slice(0, 30)).toBe(true);
      expect((error as Error).message).toMatch(/public key/);
      expect((error as Error).message).not.toContain(bad.slice(0, 30)); // the key's text is not echoed
    }
  });

  it('refuses a public key that is not RSA instead of failing every signature', async () => {
    for (const type of ['ed25519', 'ec'] as const) {
      const pair =
        type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
      const keyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const error = await verifyRsaSha256(body, keyPem, signature).catch((caught: unknown) => caught);
      expect(ConfigurationError.isInstance(error), type).toBe(true);
      expect((error as Error).message).toContain(`is an ${type} key, not an RSA key`);
    }
  });

  it('verifies many webhooks with one parsed key', async () => {
    const started = performance.now();
    for (let index = 0; index < 200; index++) expect(verifyRsaSha256Sync(body, pem, signature)).toBe(true);
    // 200 key parses alone would take far longer than 200 verifications.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('normalizePublicKeyPem', () => {
  it('turns escaped newlines and bare base64 into PEM', () => {
    const base64 = 'A'.repeat(100);
    const pem = normalizePublicKeyPem(base64);
    expect(pem).toBe(
      `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(64)}\n${'A'.repeat(36)}\n-----END PUBLIC KEY-----`,
    );
    expect(normalizePublicKeyPem(`  ${'A'.repeat(64)}\n${'A'.repeat(36)}  `)).toBe(pem);
    expect(normalizePublicKeyPem('-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----')).toBe(
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
    );
  });

  it('names the accepted formats when it is neither', () => {
    expect(() => normalizePublicKeyPem('hello world!')).toThrow(ConfigurationError);
    expect(() => normalizePublicKeyPem('hello world!')).toThrow(/neither PEM .* nor base64/);
  });
});

describe('timingSafeEqual', () => {
  it('compares strings and bytes', () => {
    expect(timingSafeEqual('abc', 'abc')).toBe(true);
    expect(timingSafeEqual('abc', 'abd')).toBe(false);
    expect(timingSafeEqual('abc', 'abcd')).toBe(false);
    expect(timingSafeEqual('', '')).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2]), 'ab')).toBe(false);
    expect(timingSafeEqual('ab', new Uint8Array([97, 98]))).toBe(true);
    expect(timingSafeEqual('ä', 'a')).toBe(false); // compared as UTF-8 bytes
  });
});
