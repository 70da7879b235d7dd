/**
 * Test helpers for your own callback handlers: sign a body the way Bank of Georgia does
 * (SHA256withRSA, base64 `Callback-Signature`) with a key you control, and configure the provider
 * with its public key. WebCrypto only, so they run wherever the SDK runs.
 */
import { ConfigurationError } from '@colchis/core';

// Derived rather than named: the DOM's CryptoKey type is not in this package's lib.
type SigningKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;
type GeneratedKeyPair = { publicKey: SigningKey; privateKey: SigningKey };

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const encoder = new TextEncoder();

function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function toPem(label: string, der: ArrayBuffer): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

const keyCache = new Map<string, Promise<SigningKey>>();

function importPrivateKey(privateKeyPem: string): Promise<SigningKey> {
  let key = keyCache.get(privateKeyPem);
  if (!key) {
    const text = privateKeyPem.replace(/\\n/g, '\n');
    if (text.includes('BEGIN RSA PRIVATE KEY')) {
      throw new ConfigurationError(
        'signBogTestCallback needs a PKCS#8 private key ("-----BEGIN PRIVATE KEY-----"); convert a PKCS#1 key with `openssl pkcs8 -topk8 -nocrypt`.',
      );
    }
    const base64 = text.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, '');
    const binary = atob(base64);
    const der = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index++) der[index] = binary.charCodeAt(index);
    key = globalThis.crypto.subtle.importKey('pkcs8', der, ALGORITHM, false, ['sign']);
    keyCache.set(privateKeyPem, key);
  }
  return key;
}

/** An RSA key pair for tests, as PEM (`publicKey` SPKI, `privateKey` PKCS#8). */
export interface BogTestKeyPair {
  publicKey: string;
  privateKey: string;
}

/**
 * Generates an RSA-2048 key pair to sign test callbacks with. Configure the provider with
 * `callbackPublicKey: keys.publicKey` and sign with {@link signBogTestCallback}.
 */
export async function createBogTestKeyPair(): Promise<BogTestKeyPair> {
  const pair = (await globalThis.crypto.subtle.generateKey(
    { ...ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )) as GeneratedKeyPair;
  return {
    publicKey: toPem('PUBLIC KEY', await globalThis.crypto.subtle.exportKey('spki', pair.publicKey)),
    privateKey: toPem('PRIVATE KEY', await globalThis.crypto.subtle.exportKey('pkcs8', pair.privateKey)),
  };
}

/**
 * Signs a callback body as Bank of Georgia does: SHA256withRSA (RSASSA-PKCS1-v1_5) over the exact
 * bytes, base64. Send the result as the `Callback-Signature` header with the same body.
 *
 * @example
 * ```ts
 * const keys = await createBogTestKeyPair();
 * const provider = createBog({ callbackPublicKey: keys.publicKey });
 * const rawBody = JSON.stringify({ event: 'order_payment', zoned_request_time: '2026-01-01T10:00:00Z', body: receipt });
 * const event = await provider.verifyWebhook({
 *   rawBody,
 *   headers: { 'callback-signature': await signBogTestCallback(rawBody, keys.privateKey) },
 * });
 * ```
 */
export async function signBogTestCallback(body: string | Uint8Array, privateKeyPem: string): Promise<string> {
  const key = await importPrivateKey(privateKeyPem);
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  return toBase64(await globalThis.crypto.subtle.sign(ALGORITHM, key, bytes));
}

/**
 * A complete signed test callback: the envelope Bank of Georgia posts around payment details
 * (`{ event: "order_payment", zoned_request_time, body }`), its raw body and its headers.
 */
export async function createBogTestCallback(
  paymentDetails: Record<string, unknown>,
  privateKeyPem: string,
  requestTime: Date = new Date(),
): Promise<{ rawBody: string; headers: Record<string, string> }> {
  const rawBody = JSON.stringify({
    event: 'order_payment',
    zoned_request_time: requestTime.toISOString(),
    body: paymentDetails,
  });
  return {
    rawBody,
    headers: {
      'content-type': 'application/json',
      'callback-signature': await signBogTestCallback(rawBody, privateKeyPem),
    },
  };
}
