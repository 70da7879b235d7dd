import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Forge from 'node-forge';

type ForgeModule = typeof Forge;
let forgeModule: ForgeModule | undefined;

// node-forge is loaded on the first certificate generation, not when the sandbox is imported:
// most sandboxes never start a ProCredit handshake. The ESM build resolves it from this module's
// URL; the CommonJS build has no `import.meta.url` but has `require`.
function loadForge(): ForgeModule {
  const moduleUrl: string | undefined = import.meta.url;
  forgeModule ??= (moduleUrl ? createRequire(moduleUrl) : require)('node-forge') as ForgeModule;
  return forgeModule;
}

/** A certificate and its private key, both PEM. */
export interface CertificateAndKey {
  /** PEM certificate (`-----BEGIN CERTIFICATE-----`). */
  certificate: string;
  /** PEM private key (PKCS#1, unencrypted). */
  privateKey: string;
}

/**
 * Every certificate the ProCredit emulator uses, generated for this process. They mirror what the
 * bank hands a merchant (its CA and a client certificate whose CN is the merchant id) plus the
 * broken variants a test needs to see the handshake fail.
 */
export interface ProCreditCertificates {
  /** The sandbox bank's CA: it signs the server certificate and the merchant's client certificates. Pass it as `ca`. */
  ca: string;
  /** The TLS server's certificate (SAN `localhost` and `127.0.0.1`) and key. */
  server: CertificateAndKey;
  /** The merchant's client certificate (CN = {@link ProCreditCertificates.merchantId}), signed by `ca`. */
  client: CertificateAndKey;
  /** The same client certificate and key as a PKCS#12 bundle, base64, protected by `passphrase`. */
  clientPfx: { base64: string; passphrase: string };
  /** The client's key encrypted (PKCS#8, AES-256-CBC) with `passphrase`, for testing encrypted keys. */
  clientEncryptedKey: { privateKey: string; passphrase: string };
  /** A client certificate with the right CN signed by another CA: the bank rejects it (unknown CA). */
  wrongCaClient: CertificateAndKey;
  /** The other CA. Used as `ca`, it makes the client distrust the sandbox's server. */
  wrongCa: string;
  /** A client certificate signed by `ca` whose validity ended: the bank rejects it (certificate expired). */
  expiredClient: CertificateAndKey;
  /** The merchant id, which is the client certificate's Common Name. */
  merchantId: string;
}

/** The merchant id (client certificate CN) the sandbox issues, shaped like the bank's test ids. */
export const SANDBOX_MERCHANT_ID = 'ECOM_COLCHIS01';

const DAY_MS = 86_400_000;
let generated: ProCreditCertificates | undefined;

/**
 * The emulator's certificates, generated on first use (the first TLS connection or the first
 * read of `sandbox.procredit.certificates` / `.settings`) and shared by every sandbox in the
 * process, so sandboxes that never touch ProCredit pay nothing. RSA keys come from `node:crypto`,
 * which also computes the signatures; node-forge only assembles the X.509 structures (its
 * pure-JavaScript RSA would take most of the time).
 */
export function procreditCertificates(): ProCreditCertificates {
  generated ??= generateCertificates();
  return generated;
}

function generateCertificates(): ProCreditCertificates {
  const forge = loadForge();
  // The expired and wrong-CA client certificates reuse the client key, which is what happens in
  // practice too (a renewed certificate, same key).
  const [caKey, serverKey, clientKey, wrongCaKey] = [rsaKeyPair(), rsaKeyPair(), rsaKeyPair(), rsaKeyPair()];
  const now = Date.now();
  const caSubject = [
    { name: 'commonName', value: 'Colchis Sandbox Bank CA' },
    { name: 'organizationName', value: 'Colchis Sandbox' },
  ];
  const ca = buildCertificate({
    subject: caSubject,
    issuer: caSubject,
    publicKey: caKey.publicKey,
    signingKey: caKey.privateKey,
    notBefore: now - DAY_MS,
    notAfter: now + 3650 * DAY_MS,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
  });
  const wrongCaSubject = [
    { name: 'commonName', value: 'Somebody Else CA' },
    { name: 'organizationName', value: 'Not The Bank' },
  ];
  const wrongCa = buildCertificate({
    subject: wrongCaSubject,
    issuer: wrongCaSubject,
    publicKey: wrongCaKey.publicKey,
    signingKey: wrongCaKey.privateKey,
    notBefore: now - DAY_MS,
    notAfter: now + 3650 * DAY_MS,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = buildCertificate({
    subject: [{ name: 'commonName', value: 'localhost' }],
    issuer: caSubject,
    publicKey: serverKey.publicKey,
    signingKey: caKey.privateKey,
    notBefore: now - DAY_MS,
    notAfter: now + 825 * DAY_MS,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const clientSubject = [
    { name: 'commonName', value: SANDBOX_MERCHANT_ID },
    { name: 'organizationName', value: 'Colchis Sandbox Merchant' },
    { name: 'countryName', value: 'GE' },
  ];
  const clientExtensions = [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
  ];
  const client = buildCertificate({
    subject: clientSubject,
    issuer: caSubject,
    publicKey: clientKey.publicKey,
    signingKey: caKey.privateKey,
    notBefore: now - DAY_MS,
    notAfter: now + 3 * 365 * DAY_MS,
    extensions: clientExtensions,
  });
  const wrongCaClient = buildCertificate({
    subject: clientSubject,
    issuer: wrongCaSubject,
    publicKey: clientKey.publicKey,
    signingKey: wrongCaKey.privateKey,
    notBefore: now - DAY_MS,
    notAfter: now + 3 * 365 * DAY_MS,
    extensions: clientExtensions,
  });
  const expiredClient = buildCertificate({
    subject: clientSubject,
    issuer: caSubject,
    publicKey: clientKey.publicKey,
    signingKey: caKey.privateKey,
    notBefore: now - 3 * 365 * DAY_MS,
    notAfter: now - 2 * DAY_MS,
    extensions: clientExtensions,
  });
  const passphrase = 'sandbox-passphrase';
  const encryptedKey = createPrivateKey(clientKey.privateKey)
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
    .toString();
  const pfx = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(clientKey.privateKey),
    [forge.pki.certificateFromPem(client), forge.pki.certificateFromPem(ca)],
    passphrase,
    { algorithm: '3des', friendlyName: SANDBOX_MERCHANT_ID },
  );
  return {
    ca,
    server: { certificate: server, privateKey: serverKey.privateKey },
    client: { certificate: client, privateKey: clientKey.privateKey },
    clientPfx: { base64: forge.util.encode64(forge.asn1.toDer(pfx).getBytes()), passphrase },
    clientEncryptedKey: { privateKey: encryptedKey, passphrase },
    wrongCaClient: { certificate: wrongCaClient, privateKey: clientKey.privateKey },
    wrongCa,
    expiredClient: { certificate: expiredClient, privateKey: clientKey.privateKey },
    merchantId: SANDBOX_MERCHANT_ID,
  };
}

/** Paths of the PEM files written by `ProCreditSandbox.writeCertificateFiles()`. */
export interface ProCreditCertificateFiles {
  directory: string;
  ca: string;
  certificate: string;
  privateKey: string;
}

/**
 * Writes the CA and the merchant's client certificate and key to a fresh temporary directory
 * (mode 0600 for the key), for code that takes file paths the way production deployments do.
 */
export async function writeCertificateFiles(
  certificates: ProCreditCertificates,
  directory?: string,
): Promise<ProCreditCertificateFiles> {
  const target = directory ?? (await mkdtemp(join(tmpdir(), 'colchis-procredit-')));
  await mkdir(target, { recursive: true });
  const files = {
    directory: target,
    ca: join(target, 'ca.pem'),
    certificate: join(target, 'cert.pem'),
    privateKey: join(target, 'key.pem'),
  };
  await writeFile(files.ca, certificates.ca);
  await writeFile(files.certificate, certificates.client.certificate);
  await writeFile(files.privateKey, certificates.client.privateKey, { mode: 0o600 });
  return files;
}

function rsaKeyPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
}

function buildCertificate(options: {
  subject: Forge.pki.CertificateField[];
  issuer: Forge.pki.CertificateField[];
  publicKey: string;
  signingKey: string;
  notBefore: number;
  notAfter: number;
  extensions: unknown[];
}): string {
  const forge = loadForge();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(options.publicKey);
  // Positive serial (leading byte below 0x80), random so reissued certificates never collide.
  certificate.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
  certificate.validity.notBefore = new Date(options.notBefore);
  certificate.validity.notAfter = new Date(options.notAfter);
  certificate.setSubject(options.subject);
  certificate.setIssuer(options.issuer);
  certificate.setExtensions(options.extensions as object[]);
  // What certificate.sign() does, with the RSA signature computed natively.
  certificate.signatureOid = forge.pki.oids.sha256WithRSAEncryption as string;
  certificate.siginfo.algorithmOid = certificate.signatureOid;
  // getTBSCertificate is public in node-forge but missing from its type definitions.
  const pki = forge.pki as unknown as { getTBSCertificate(value: Forge.pki.Certificate): Forge.asn1.Asn1 };
  certificate.tbsCertificate = pki.getTBSCertificate(certificate);
  const toBeSigned = Buffer.from(forge.asn1.toDer(certificate.tbsCertificate).getBytes(), 'binary');
  certificate.signature = sign('sha256', toBeSigned, options.signingKey).toString('binary');
  return forge.pki.certificateToPem(certificate);
}
