import { generateKeyPairSync, sign } from 'node:crypto';

/** The sandbox's own callback signing key pair (PEM). */
export interface BogSandboxKeyPair {
  /** SPKI PEM: configure the SDK with it (`callbackPublicKey`). */
  publicKey: string;
  /** PKCS#8 PEM: what the sandbox signs callbacks with. */
  privateKey: string;
}

/** Generates an RSA-2048 key pair, as Bank of Georgia's own callback key is. */
export function generateBogSandboxKeyPair(): BogSandboxKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKey, privateKey };
}

/** Signs a callback body as Bank of Georgia does: SHA256withRSA (PKCS#1 v1.5) over the bytes, base64. */
export function signBogSandboxCallback(body: string, privateKey: string): string {
  return sign('sha256', Buffer.from(body, 'utf8'), privateKey).toString('base64');
}
