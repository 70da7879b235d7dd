import {
  createHmac,
  createPublicKey,
  type KeyObject,
  timingSafeEqual as nodeTimingSafeEqual,
  verify,
} from 'node:crypto';
import { ConfigurationError } from './errors.js';

const encoder = new TextEncoder();

/** Compares two strings or byte arrays in constant time (for equal lengths). */
export function timingSafeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const left = typeof a === 'string' ? encoder.encode(a) : a;
  const right = typeof b === 'string' ? encoder.encode(b) : b;
  if (left.byteLength !== right.byteLength) return false;
  return nodeTimingSafeEqual(left, right);
}

/** HMAC-SHA256 of `data` under `key`, as lower-case hex or base64. */
export function hmacSha256(
  key: string | Uint8Array,
  data: string | Uint8Array,
  encoding: 'hex' | 'base64' = 'hex',
): string {
  return createHmac('sha256', key).update(data).digest(encoding);
}

/**
 * Verifies an HMAC-SHA256 signature over raw bytes in constant time. Hex comparison ignores
 * case; base64 accepts the URL-safe alphabet too.
 */
export async function verifyHmacSha256(
  data: string | Uint8Array,
  key: string | Uint8Array,
  signature: string,
  encoding: 'hex' | 'base64' = 'hex',
): Promise<boolean> {
  return verifyHmacSha256Sync(data, key, signature, encoding);
}

/** Synchronous form of {@link verifyHmacSha256} (Node only). */
export function verifyHmacSha256Sync(
  data: string | Uint8Array,
  key: string | Uint8Array,
  signature: string,
  encoding: 'hex' | 'base64' = 'hex',
): boolean {
  const expected = createHmac('sha256', key).update(data).digest();
  let given: Buffer;
  const text = signature.trim();
  if (encoding === 'hex') {
    if (!/^[0-9a-fA-F]*$/.test(text) || text.length !== expected.length * 2) return false;
    given = Buffer.from(text, 'hex');
  } else {
    // Node's base64 decoder skips characters outside the alphabet; refuse them instead, so
    // that exactly one spelling of a signature verifies.
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return false;
    given = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  }
  return given.length === expected.length && nodeTimingSafeEqual(given, expected);
}

const keyCache = new Map<string, KeyObject>();

/**
 * Normalizes a public key given as PEM, PEM with escaped `\n` (as environment variables often
 * hold it), or bare base64 of the SPKI DER, into PEM text.
 * @throws ConfigurationError when it is none of those.
 */
export function normalizePublicKeyPem(key: string): string {
  let text = key.trim().replace(/\\n/g, '\n').replace(/\r/g, '');
  if (!text.includes('-----BEGIN')) {
    const base64 = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+=*$/.test(base64)) {
      throw new ConfigurationError(
        'The public key is neither PEM ("-----BEGIN PUBLIC KEY-----...") nor base64 of a DER SubjectPublicKeyInfo.',
      );
    }
    text = `-----BEGIN PUBLIC KEY-----\n${base64.match(/.{1,64}/g)?.join('\n')}\n-----END PUBLIC KEY-----`;
  }
  return text;
}

function publicKeyObject(key: string): KeyObject {
  let object = keyCache.get(key);
  if (!object) {
    try {
      object = readPublicKey(key);
    } catch (error) {
      if (error instanceof ConfigurationError) throw error;
      throw new ConfigurationError(
        'The public key could not be read: check that it is a complete RSA public key in PEM.',
        {
          cause: error,
        },
      );
    }
    // An EC or Ed25519 key would make every signature "invalid" with no hint why.
    if (object.asymmetricKeyType !== 'rsa') {
      throw new ConfigurationError(
        `The public key is an ${object.asymmetricKeyType ?? 'unknown'} key, not an RSA key: RSA-SHA256 signatures need the gateway's RSA public key.`,
      );
    }
    if (keyCache.size > 32) keyCache.clear();
    keyCache.set(key, object);
  }
  return object;
}

function readPublicKey(key: string): KeyObject {
  const pem = normalizePublicKeyPem(key);
  try {
    return createPublicKey(pem);
  } catch (error) {
    // Bare base64 may also be a PKCS#1 RSAPublicKey (what `openssl rsa -RSAPublicKey_out` gives)
    // rather than an SPKI: try that before giving up.
    if (key.includes('-----BEGIN')) throw error;
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  }
}

/**
 * Verifies an RSA-SHA256 (PKCS#1 v1.5) signature, given in base64, over raw bytes.
 * The parsed key is cached, so verifying many webhooks costs one key parse.
 */
export async function verifyRsaSha256(
  data: string | Uint8Array,
  publicKey: string,
  signatureBase64: string,
): Promise<boolean> {
  return verifyRsaSha256Sync(data, publicKey, signatureBase64);
}

/** Synchronous form of {@link verifyRsaSha256} (Node only). */
export function verifyRsaSha256Sync(
  data: string | Uint8Array,
  publicKey: string,
  signatureBase64: string,
): boolean {
  const text = signatureBase64.trim();
  if (text === '' || !/^[A-Za-z0-9+/_-]+=*$/.test(text)) return false;
  // Node's base64 decoder reads the URL-safe alphabet (`-`, `_`) as well: no rewrite needed.
  const signature = Buffer.from(text, 'base64');
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    return verify('sha256', bytes, publicKeyObject(publicKey), signature);
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    return false;
  }
}

/**
 * HMAC-SHA256 of `data` under `key`, as lower-case hex or base64. The async form exists on every
 * runtime (on edge runtimes it is the only one), so code that must run everywhere uses it.
 */
export async function hmacSha256Async(
  key: string | Uint8Array,
  data: string | Uint8Array,
  encoding: 'hex' | 'base64' = 'hex',
): Promise<string> {
  return hmacSha256(key, data, encoding);
}
