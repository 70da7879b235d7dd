import type { SecureContext } from 'node:tls';
import { ConfigurationError } from '@colchis/core';
import type { NodeModules } from './procredit-runtime.js';

/** PEM text, PEM with `\n` escaped (as environment variables often hold it), base64 of the PEM, or bytes. */
export type CertificateInput = string | Uint8Array;

/**
 * The merchant's TLS material for mutual TLS. Give each item inline or as a file path, never both.
 * Keep the files outside any web-served folder: whoever downloads `key.pem` can act as the shop.
 */
export interface ProCreditTlsSettings {
  /** The client certificate the bank signed (`cert.pem`), CN = your merchant id. */
  certificate?: CertificateInput | undefined;
  /** Path of the client certificate file. */
  certificateFile?: string | undefined;
  /** The private key you generated with the CSR (`key.pem`), optionally encrypted. */
  privateKey?: CertificateInput | undefined;
  /** Path of the private key file. */
  privateKeyFile?: string | undefined;
  /** Passphrase of an encrypted private key or of a PKCS#12 bundle. */
  passphrase?: string | undefined;
  /** A PKCS#12 (`.p12`/`.pfx`) bundle holding certificate and key: bytes or base64 text. */
  pfx?: CertificateInput | undefined;
  /** Path of a PKCS#12 bundle. */
  pfxFile?: string | undefined;
  /**
   * The bank's CA bundle (`ca.pem`) that the server certificate chains to. When given it replaces
   * the system roots for this client (the bank's test servers are not publicly trusted).
   */
  ca?: CertificateInput | readonly CertificateInput[] | undefined;
  /** Path(s) of the CA bundle. */
  caFile?: string | readonly string[] | undefined;
}

/** What Colchis read from the client certificate (for monitoring its expiry). */
export interface ClientCertificateInfo {
  /** The Common Name: the bank's merchant id. */
  commonName: string | undefined;
  /** The issuer's distinguished name, one `key=value` per line. */
  issuer: string;
  validFrom: Date;
  validTo: Date;
  /** SHA-256 fingerprint, colon-separated hex. */
  fingerprint256: string;
  serialNumber: string;
}

/** TLS material parsed once: the secure context every connection reuses. */
export interface LoadedTlsMaterial {
  secureContext: SecureContext;
  /** Whether a client certificate is presented. */
  hasClientCertificate: boolean;
  /** Details of the client certificate, when one is configured and readable. */
  certificate: ClientCertificateInfo | undefined;
  /** Whether a CA bundle replaces the system roots. */
  hasCustomCa: boolean;
}

/**
 * Reads, normalizes and validates the TLS settings once, at construction: files are read, inline
 * PEM is repaired, and `tls.createSecureContext` parses the key (so a wrong passphrase or a key
 * that does not match the certificate fails here with a clear {@link ConfigurationError}, not on
 * the first payment). The resulting secure context is shared by every connection.
 */
export function loadTlsMaterial(
  settings: ProCreditTlsSettings,
  modules: NodeModules,
  options: { merchantId?: string | undefined; now?: number | undefined } = {},
): LoadedTlsMaterial {
  const certificate = pickSource(
    settings.certificate,
    settings.certificateFile,
    'tls.certificate',
    'tls.certificateFile',
  );
  const privateKey = pickSource(
    settings.privateKey,
    settings.privateKeyFile,
    'tls.privateKey',
    'tls.privateKeyFile',
  );
  const pfx = pickSource(settings.pfx, settings.pfxFile, 'tls.pfx', 'tls.pfxFile');

  const certificatePem = certificate
    ? toCertificatePem(readSource(certificate, modules, 'client certificate'), certificate.name, modules)
    : undefined;
  const privateKeyPem = privateKey
    ? toPrivateKeyPem(readSource(privateKey, modules, 'private key'), privateKey.name)
    : undefined;
  const pfxBytes = pfx ? toPfxBytes(readSource(pfx, modules, 'PKCS#12 bundle'), pfx.name) : undefined;
  const caPems = readCaBundle(settings, modules);

  if (certificatePem && !privateKeyPem) {
    throw new ConfigurationError(
      'A client certificate is configured without its private key: pass tls.privateKey or tls.privateKeyFile (the key.pem you generated with the CSR).',
      { provider: 'procredit' },
    );
  }
  if (privateKeyPem && !certificatePem) {
    throw new ConfigurationError(
      'A private key is configured without its certificate: pass tls.certificate or tls.certificateFile (the cert.pem the bank signed).',
      { provider: 'procredit' },
    );
  }
  if (pfxBytes && certificatePem) {
    throw new ConfigurationError(
      'Pass the client certificate either as PEM (tls.certificate + tls.privateKey) or as PKCS#12 (tls.pfx), not both.',
      { provider: 'procredit' },
    );
  }

  let secureContext: SecureContext;
  try {
    secureContext = modules.tls.createSecureContext({
      ...(certificatePem ? { cert: certificatePem } : {}),
      ...(privateKeyPem ? { key: privateKeyPem } : {}),
      ...(pfxBytes ? { pfx: Buffer.from(pfxBytes) } : {}),
      ...(settings.passphrase !== undefined ? { passphrase: settings.passphrase } : {}),
      ...(caPems.length > 0 ? { ca: caPems } : {}),
    });
  } catch (error) {
    throw describeContextError(error, { pfx: pfxBytes !== undefined, passphrase: settings.passphrase });
  }

  const info = certificatePem
    ? readCertificateInfo(certificatePem, modules)
    : pfxBytes
      ? readContextCertificate(secureContext, modules)
      : undefined;
  if (info) checkCertificate(info, options);
  return {
    secureContext,
    hasClientCertificate: certificatePem !== undefined || pfxBytes !== undefined,
    certificate: info,
    hasCustomCa: caPems.length > 0,
  };
}

interface Source {
  /** The setting's name for messages (`tls.certificateFile`). */
  name: string;
  value?: CertificateInput | undefined;
  file?: string | undefined;
}

function pickSource(
  value: CertificateInput | undefined,
  file: string | undefined,
  valueName: string,
  fileName: string,
): Source | undefined {
  const hasValue = value !== undefined && !(typeof value === 'string' && value.trim() === '');
  const hasFile = file !== undefined && file.trim() !== '';
  if (hasValue && hasFile) {
    throw new ConfigurationError(`Pass either ${valueName} or ${fileName}, not both.`, {
      provider: 'procredit',
    });
  }
  if (hasFile) return { name: fileName, file: file.trim() };
  if (hasValue) return { name: valueName, value };
  return undefined;
}

function readSource(source: Source, modules: NodeModules, what: string): CertificateInput {
  if (source.file === undefined) return source.value as CertificateInput;
  return readFile(source.file, source.name, what, modules);
}

function readFile(path: string, settingName: string, what: string, modules: NodeModules): Uint8Array {
  try {
    return modules.fs.readFileSync(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read by this process (permission denied)'
          : code === 'EISDIR'
            ? 'is a directory, not a file'
            : `cannot be read (${code ?? (error as Error).message})`;
    throw new ConfigurationError(
      `The ProCredit ${what} file ${JSON.stringify(path)} (${settingName}) ${reason}. Check the path: relative paths resolve from the process's working directory (${currentDirectory()}).`,
      { provider: 'procredit' },
    );
  }
}

function readCaBundle(settings: ProCreditTlsSettings, modules: NodeModules): string[] {
  const inline = settings.ca === undefined ? [] : isList(settings.ca) ? [...settings.ca] : [settings.ca];
  const files =
    settings.caFile === undefined
      ? []
      : typeof settings.caFile === 'string'
        ? [settings.caFile]
        : [...settings.caFile];
  const pems: string[] = [];
  for (const [index, value] of inline.entries()) {
    if (typeof value === 'string' && value.trim() === '') continue;
    pems.push(toCertificatePem(value, inline.length > 1 ? `tls.ca[${index}]` : 'tls.ca', modules, true));
  }
  for (const file of files) {
    if (file.trim() === '') continue;
    pems.push(
      toCertificatePem(
        readFile(file, 'tls.caFile', 'CA bundle', modules),
        `tls.caFile ${file}`,
        modules,
        true,
      ),
    );
  }
  return pems;
}

function isList(value: CertificateInput | readonly CertificateInput[]): value is readonly CertificateInput[] {
  return Array.isArray(value);
}

const PEM_MARKER = '-----BEGIN ';

/**
 * Repairs PEM text as it arrives from configuration: surrounding quotes, `\n` written as two
 * characters (environment variables, JSON secrets), Windows line endings, or the whole PEM
 * base64-encoded once more. Returns the PEM text, or the decoded bytes when the input was
 * base64 of something that is not PEM (DER).
 */
export function normalizePemText(input: CertificateInput): string | Uint8Array {
  let text = typeof input === 'string' ? input : decodeUtf8(input);
  if (text === undefined) return input as Uint8Array;
  text = text.trim();
  if (
    (text.startsWith('"') && text.endsWith('"')) ||
    (text.startsWith("'") && text.endsWith("'") && text.length > 1)
  ) {
    text = text.slice(1, -1).trim();
  }
  if (text.includes(PEM_MARKER)) {
    return `${text
      .replace(/\\r\\n|\\n|\\r/g, '\n')
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .join('\n')}\n`;
  }
  const compact = text.replace(/\\n|\\r|\s/g, '');
  if (compact !== '' && /^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    const bytes = decodeBase64(compact);
    const decoded = decodeUtf8(bytes);
    if (decoded?.includes(PEM_MARKER)) return normalizePemText(decoded);
    return bytes;
  }
  return typeof input === 'string' ? text : input;
}

function toCertificatePem(
  input: CertificateInput,
  name: string,
  modules: NodeModules,
  allowMany = false,
): string {
  const normalized = normalizePemText(input);
  if (typeof normalized === 'string') {
    if (
      normalized.includes('-----BEGIN CERTIFICATE-----') ||
      (allowMany && normalized.includes('CERTIFICATE-----'))
    ) {
      return normalized;
    }
    if (normalized.includes(PEM_MARKER)) {
      throw new ConfigurationError(
        `${name} holds a PEM block that is not a certificate (${pemLabel(normalized)}). Did you swap the certificate and the key?`,
        { provider: 'procredit' },
      );
    }
    throw new ConfigurationError(notPemMessage(name, normalized, 'certificate'), { provider: 'procredit' });
  }
  // DER bytes (a binary .cer/.crt): convert to PEM so OpenSSL reads it like the rest.
  try {
    return new modules.crypto.X509Certificate(normalized).toString();
  } catch {
    throw new ConfigurationError(
      `${name} is neither a PEM certificate, base64 of one, nor a DER certificate. Pass the cert.pem / ca.pem the bank sent.`,
      { provider: 'procredit' },
    );
  }
}

function toPrivateKeyPem(input: CertificateInput, name: string): string {
  const normalized = normalizePemText(input);
  if (typeof normalized === 'string' && normalized.includes(PEM_MARKER)) {
    if (!/PRIVATE KEY-----/.test(normalized)) {
      throw new ConfigurationError(
        `${name} holds a PEM block that is not a private key (${pemLabel(normalized)}). Did you swap the certificate and the key?`,
        { provider: 'procredit' },
      );
    }
    return normalized;
  }
  throw new ConfigurationError(
    notPemMessage(
      name,
      typeof normalized === 'string' ? normalized : '',
      'private key (-----BEGIN PRIVATE KEY-----)',
    ),
    { provider: 'procredit' },
  );
}

function toPfxBytes(input: CertificateInput, name: string): Uint8Array {
  if (input instanceof Uint8Array) return input;
  const compact = input.replace(/\\n|\\r|\s/g, '');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return decodeBase64(compact);
  throw new ConfigurationError(
    `${name} must be the PKCS#12 bundle's bytes or their base64 text; to load a .p12/.pfx file use tls.pfxFile.`,
    { provider: 'procredit' },
  );
}

function notPemMessage(name: string, text: string, what: string): string {
  const looksLikePath = /^(\.{0,2}\/|[A-Za-z]:\\)|\.(pem|crt|cer|key|p12|pfx)$/i.test(text.trim());
  return looksLikePath
    ? `${name} looks like a file path. Pass paths as ${name}File (e.g. tls.certificateFile), or the file's contents as ${name}.`
    : `${name} is not a PEM ${what}, nor base64 of one. Paste the whole file including the -----BEGIN/END----- lines; in an environment variable, newlines may be written as \\n.`;
}

function pemLabel(text: string): string {
  return /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1] ?? 'unknown';
}

function describeContextError(
  error: unknown,
  context: { pfx: boolean; passphrase: string | undefined },
): ConfigurationError {
  const code = (error as { code?: string }).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  let text: string;
  if (
    /BAD_DECRYPT|bad decrypt|bad password|PKCS12_R_MAC_VERIFY_FAILURE|mac verify failure/i.test(
      `${code} ${message}`,
    )
  ) {
    text =
      context.passphrase === undefined
        ? `The ${context.pfx ? 'PKCS#12 bundle' : 'private key'} is encrypted: pass its passphrase as tls.passphrase.`
        : `The passphrase (tls.passphrase) does not decrypt the ${context.pfx ? 'PKCS#12 bundle' : 'private key'}.`;
  } else if (/KEY_VALUES_MISMATCH|key values mismatch/i.test(`${code} ${message}`)) {
    text =
      'The private key does not belong to the client certificate. Use the key.pem you generated together with the CSR the bank signed (a new CSR means a new key).';
  } else if (/NO_START_LINE|no start line|bad end line|BAD_BASE64/i.test(`${code} ${message}`)) {
    text = 'A certificate or key is damaged PEM (check for truncated lines or lost newlines).';
  } else {
    text = `Could not load the TLS certificate, key or CA bundle: ${code ? `${code}: ` : ''}${message}`;
  }
  return new ConfigurationError(text, { provider: 'procredit', cause: error });
}

function readCertificateInfo(pem: string, modules: NodeModules): ClientCertificateInfo | undefined {
  try {
    const certificate = new modules.crypto.X509Certificate(pem);
    return {
      commonName: commonNameOf(certificate.subject),
      issuer: certificate.issuer,
      validFrom: new Date(certificate.validFrom),
      validTo: new Date(certificate.validTo),
      fingerprint256: certificate.fingerprint256,
      serialNumber: certificate.serialNumber,
    };
  } catch {
    return undefined;
  }
}

function readContextCertificate(
  context: SecureContext,
  modules: NodeModules,
): ClientCertificateInfo | undefined {
  // A PKCS#12 bundle is only unpacked by OpenSSL: read the certificate back from a TLS socket
  // that is never connected.
  try {
    const socket = new modules.tls.TLSSocket(null as never, { secureContext: context });
    const certificate = socket.getX509Certificate();
    socket.destroy();
    return certificate ? readCertificateInfo(certificate.toString(), modules) : undefined;
  } catch {
    return undefined;
  }
}

function commonNameOf(subject: string): string | undefined {
  for (const line of subject.split('\n')) {
    const [key, ...rest] = line.split('=');
    if (key?.trim() === 'CN') return rest.join('=').trim();
  }
  return undefined;
}

function checkCertificate(
  info: ClientCertificateInfo,
  options: { merchantId?: string | undefined; now?: number | undefined },
): void {
  const now = options.now ?? Date.now();
  const name = info.commonName ? `CN=${info.commonName}` : 'without a CN';
  if (info.validTo.getTime() < now) {
    throw new ConfigurationError(
      `The ProCredit client certificate (${name}) expired on ${info.validTo.toISOString()}. The bank rejects expired certificates at the TLS handshake: generate a new key and CSR with the same CN (your merchant id) and ask the bank to sign it.`,
      { provider: 'procredit' },
    );
  }
  if (info.validFrom.getTime() > now) {
    throw new ConfigurationError(
      `The ProCredit client certificate (${name}) is not valid before ${info.validFrom.toISOString()}. Check the server's clock or wait until then.`,
      { provider: 'procredit' },
    );
  }
  if (options.merchantId !== undefined && info.commonName !== options.merchantId) {
    throw new ConfigurationError(
      `The client certificate's Common Name is ${JSON.stringify(info.commonName ?? '')} but merchantId is ${JSON.stringify(options.merchantId)}. The bank identifies the merchant by the certificate's CN: use the certificate issued for this merchant id (test and production ids differ).`,
      { provider: 'procredit' },
    );
  }
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function decodeBase64(text: string): Uint8Array {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function currentDirectory(): string {
  try {
    return (globalThis as { process?: { cwd?: () => string } }).process?.cwd?.() ?? '?';
  } catch {
    return '?';
  }
}
