// The WebCrypto build of webhook-crypto.ts, for runtimes without `node:crypto` (Cloudflare
// Workers, Vercel Edge, Deno). Same exports; the synchronous variants cannot exist on
// `crypto.subtle` and throw a message pointing at the async ones.
import { ConfigurationError } from './errors.js';

const encoder = new TextEncoder();
type Key = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
type Bytes = Parameters<typeof crypto.subtle.verify>[3];

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

function syncUnavailable(name: string, asyncName: string = name.replace(/Sync$/, '')): never {
  throw new ConfigurationError(
    `${name} is synchronous and needs Node's crypto, which this runtime lacks. Use the async variant (await ${asyncName}(...)).`,
  );
}

/** Compares two strings or byte arrays in constant time (for equal lengths). */
export function timingSafeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const left = bytesOf(a);
  const right = bytesOf(b);
  if (left.byteLength !== right.byteLength) return false;
  let difference = 0;
  for (let index = 0; index < left.byteLength; index++)
    difference |= (left[index] as number) ^ (right[index] as number);
  return difference === 0;
}

/** HMAC-SHA256 (synchronous): unavailable without Node's crypto; use {@link hmacSha256Async}. */
export function hmacSha256(
  _key: string | Uint8Array,
  _data: string | Uint8Array,
  _encoding: 'hex' | 'base64' = 'hex',
): string {
  return syncUnavailable('hmacSha256', 'hmacSha256Async');
}

const hmacKeys = new Map<string, Promise<Key>>();

function hmacKey(key: string | Uint8Array): Promise<Key> {
  const cacheKey = typeof key === 'string' ? key : undefined;
  const cached = cacheKey === undefined ? undefined : hmacKeys.get(cacheKey);
  if (cached) return cached;
  const imported = crypto.subtle.importKey(
    'raw',
    bytesOf(key) as Bytes,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  if (cacheKey !== undefined) {
    if (hmacKeys.size > 32) hmacKeys.clear();
    hmacKeys.set(cacheKey, imported);
  }
  return imported;
}

function toHex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | undefined {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
    return bytes;
  } catch {
    return undefined;
  }
}

/** HMAC-SHA256 of `data` under `key`, as lower-case hex or base64 (works on every runtime). */
export async function hmacSha256Async(
  key: string | Uint8Array,
  data: string | Uint8Array,
  encoding: 'hex' | 'base64' = 'hex',
): Promise<string> {
  const signature = new Uint8Array(
    await crypto.subtle.sign('HMAC', await hmacKey(key), bytesOf(data) as Bytes),
  );
  return encoding === 'hex' ? toHex(signature) : toBase64(signature);
}

/** Verifies an HMAC-SHA256 signature over raw bytes in constant time. */
export async function verifyHmacSha256(
  data: string | Uint8Array,
  key: string | Uint8Array,
  signature: string,
  encoding: 'hex' | 'base64' = 'hex',
): Promise<boolean> {
  const text = signature.trim();
  let given: Uint8Array | undefined;
  if (encoding === 'hex') {
    if (!/^[0-9a-fA-F]*$/.test(text) || text.length !== 64) return false;
    given = new Uint8Array(32);
    for (let index = 0; index < 32; index++)
      given[index] = Number.parseInt(text.slice(index * 2, index * 2 + 2), 16);
  } else {
    given = fromBase64(text);
  }
  if (given?.byteLength !== 32) return false;
  // subtle.verify compares in constant time.
  return crypto.subtle.verify('HMAC', await hmacKey(key), given as Bytes, bytesOf(data) as Bytes);
}

/** Synchronous HMAC verification: unavailable without Node's crypto. */
export function verifyHmacSha256Sync(
  _data: string | Uint8Array,
  _key: string | Uint8Array,
  _signature: string,
  _encoding: 'hex' | 'base64' = 'hex',
): boolean {
  return syncUnavailable('verifyHmacSha256Sync');
}

/**
 * Normalizes a public key given as PEM, PEM with escaped `\n`, or bare base64 of the SPKI DER,
 * into PEM text.
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

const rsaKeys = new Map<string, Promise<Key>>();

function rsaKey(publicKey: string): Promise<Key> {
  let key = rsaKeys.get(publicKey);
  if (!key) {
    const pem = normalizePublicKeyPem(publicKey);
    if (!/-----BEGIN PUBLIC KEY-----/.test(pem)) {
      throw new ConfigurationError(
        'On this runtime the public key must be an SPKI key ("-----BEGIN PUBLIC KEY-----").',
      );
    }
    const der = fromBase64(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''));
    if (!der) throw new ConfigurationError('The public key is not valid base64 inside its PEM armour.');
    key = crypto.subtle
      .importKey('spki', der as Bytes, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify'])
      .catch((error: unknown) => {
        rsaKeys.delete(publicKey);
        throw new ConfigurationError(
          'The public key could not be read: check that it is a complete RSA public key in PEM.',
          {
            cause: error,
          },
        );
      });
    if (rsaKeys.size > 32) rsaKeys.clear();
    rsaKeys.set(publicKey, key);
  }
  return key;
}

/** Verifies an RSA-SHA256 (PKCS#1 v1.5) signature, given in base64, over raw bytes. */
export async function verifyRsaSha256(
  data: string | Uint8Array,
  publicKey: string,
  signatureBase64: string,
): Promise<boolean> {
  const text = signatureBase64.trim();
  const key = await rsaKey(publicKey);
  if (text === '' || !/^[A-Za-z0-9+/_-]+=*$/.test(text)) return false;
  const signature = fromBase64(text);
  if (!signature) return false;
  return crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature as Bytes, bytesOf(data) as Bytes);
}

/** Synchronous RSA verification: unavailable without Node's crypto. */
export function verifyRsaSha256Sync(
  _data: string | Uint8Array,
  _publicKey: string,
  _signatureBase64: string,
): boolean {
  return syncUnavailable('verifyRsaSha256Sync');
}
