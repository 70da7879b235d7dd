import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { type ColchisError, ConfigurationError, ConnectionError } from '@colchis/core';
import { type Sandbox, startSandbox } from '@colchis/sandbox';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createProCreditClient } from './procredit-client.js';
import { createProCredit } from './procredit-provider.js';

// Mutual TLS against the sandbox's HTTPS server, which demands a client certificate signed by its
// CA: every way of configuring the certificate, and every way the handshake fails.

let sandbox: Sandbox;
let directory: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  directory = await mkdtemp(join(tmpdir(), 'colchis-procredit-test-'));
});
afterAll(async () => {
  await sandbox?.close();
  await rm(directory, { recursive: true, force: true });
});

const GEL = (amount: number) => ({ amount, currency: 'GEL' });

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

async function rejection(promise: Promise<unknown>): Promise<ColchisError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as ColchisError,
  );
}

/** Creates an order through a client built from `tls` (and other settings): proves the handshake works. */
async function createOrderWith(settings: Parameters<typeof createProCreditClient>[0]) {
  const client = createProCreditClient({
    baseUrl: sandbox.procredit.url,
    typeRids: sandbox.procredit.typeRids,
    maxRetries: 0,
    ...settings,
  });
  try {
    return await client.createOrder({ amount: GEL(100), hppRedirectUrl: 'https://shop.example/r' });
  } finally {
    await client.close();
  }
}

describe('configuring the client certificate', () => {
  it('reads cert.pem, key.pem and ca.pem from files', async () => {
    const files = await sandbox.procredit.writeCertificateFiles(join(directory, 'files'));
    const order = await createOrderWith({
      tls: { certificateFile: files.certificate, privateKeyFile: files.privateKey, caFile: files.ca },
    });
    expect(order.status).toBe('Preparing');
  });

  it('accepts PEM with escaped newlines (environment variables) and base64-encoded PEM', async () => {
    const { client, ca } = sandbox.procredit.certificates;
    const escaped = (pem: string) => pem.trim().replace(/\n/g, '\\n');
    const base64 = (pem: string) => Buffer.from(pem).toString('base64');
    expect(
      (
        await createOrderWith({
          tls: {
            certificate: escaped(client.certificate),
            privateKey: escaped(client.privateKey),
            ca: escaped(ca),
          },
        })
      ).status,
    ).toBe('Preparing');
    expect(
      (
        await createOrderWith({
          tls: {
            certificate: base64(client.certificate),
            privateKey: base64(client.privateKey),
            ca: base64(ca),
          },
        })
      ).status,
    ).toBe('Preparing');
  });

  it('decrypts an encrypted key with its passphrase, and names a wrong or missing passphrase', async () => {
    const { client, clientEncryptedKey, ca } = sandbox.procredit.certificates;
    const tls = { certificate: client.certificate, privateKey: clientEncryptedKey.privateKey, ca };
    expect(
      (await createOrderWith({ tls: { ...tls, passphrase: clientEncryptedKey.passphrase } })).status,
    ).toBe('Preparing');
    const wrong = catchError(() =>
      createProCreditClient({ baseUrl: sandbox.procredit.url, tls: { ...tls, passphrase: 'nope' } }),
    );
    expect(ConfigurationError.isInstance(wrong)).toBe(true);
    expect((wrong as Error).message).toContain(
      'The passphrase (tls.passphrase) does not decrypt the private key',
    );
    const missing = catchError(() => createProCreditClient({ baseUrl: sandbox.procredit.url, tls }));
    expect((missing as Error).message).toContain('pass its passphrase as tls.passphrase');
  });

  it('loads a PKCS#12 bundle (base64 or a file) with its passphrase', async () => {
    const { clientPfx, ca } = sandbox.procredit.certificates;
    expect(
      (await createOrderWith({ tls: { pfx: clientPfx.base64, passphrase: clientPfx.passphrase, ca } }))
        .status,
    ).toBe('Preparing');
    const pfxFile = join(directory, 'client.p12');
    await writeFile(pfxFile, Buffer.from(clientPfx.base64, 'base64'));
    const client = createProCreditClient({
      baseUrl: sandbox.procredit.url,
      tls: { pfxFile, passphrase: clientPfx.passphrase, ca },
    });
    expect(client.certificate?.commonName).toBe(sandbox.procredit.merchantId);
    await client.close();
    const wrong = catchError(() =>
      createProCreditClient({
        baseUrl: sandbox.procredit.url,
        tls: { pfx: clientPfx.base64, passphrase: 'x', ca },
      }),
    );
    expect((wrong as Error).message).toContain('does not decrypt the PKCS#12 bundle');
  });

  it('reads the certificate from the environment when no tls option is given', async () => {
    const files = await sandbox.procredit.writeCertificateFiles(join(directory, 'env'));
    vi.stubEnv('PROCREDIT_CERTIFICATE_FILE', files.certificate);
    vi.stubEnv('PROCREDIT_PRIVATE_KEY_FILE', files.privateKey);
    vi.stubEnv('PROCREDIT_CA_FILE', files.ca);
    vi.stubEnv('PROCREDIT_BASE_URL', sandbox.procredit.url);
    try {
      const provider = createProCredit({ typeRids: sandbox.procredit.typeRids });
      const payment = await provider.createPayment({
        amount: GEL(300),
        reference: 'env',
        returnUrl: 'https://shop.example/r',
      });
      expect(payment.status).toBe('requires_action');
      await provider.close();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('exposes the certificate for expiry monitoring and checks its CN against merchantId', () => {
    const client = createProCreditClient(sandbox.procredit.settings);
    expect(client.certificate?.commonName).toBe(sandbox.procredit.merchantId);
    expect(client.certificate?.validTo.getTime()).toBeGreaterThan(Date.now());
    expect(client.certificate?.issuer).toContain('Colchis Sandbox Bank CA');
    const error = catchError(() =>
      createProCreditClient({ ...sandbox.procredit.settings, merchantId: 'ECOM_OTHER' }),
    );
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(
      'Common Name is "ECOM_COLCHIS01" but merchantId is "ECOM_OTHER"',
    );
  });
});

describe('configuration mistakes fail at construction, naming what to fix', () => {
  it('names a certificate, key or CA file that does not exist', () => {
    const files = {
      certificateFile: '/etc/shop/procredit/cert.pem',
      privateKeyFile: '/etc/shop/procredit/key.pem',
    };
    const certificate = catchError(() => createProCreditClient({ tls: files }));
    expect(ConfigurationError.isInstance(certificate)).toBe(true);
    expect((certificate as Error).message).toContain(
      '"/etc/shop/procredit/cert.pem" (tls.certificateFile) does not exist',
    );
    const { client } = sandbox.procredit.certificates;
    const ca = catchError(() =>
      createProCreditClient({
        tls: {
          certificate: client.certificate,
          privateKey: client.privateKey,
          caFile: join(directory, 'missing-ca.pem'),
        },
      }),
    );
    expect((ca as Error).message).toMatch(
      /CA bundle file ".*missing-ca\.pem" \(tls\.caFile\) does not exist/,
    );
  });

  it('requires a client certificate for ProCredit, and rejects a key that is not the certificate’s', () => {
    const none = catchError(() => createProCredit({ environment: 'production' }));
    expect(ConfigurationError.isInstance(none)).toBe(true);
    expect((none as Error).message).toContain(
      'ProCredit Bank Georgia authenticates the merchant by a TLS client certificate',
    );
    const { client, server } = sandbox.procredit.certificates;
    const mismatch = catchError(() =>
      createProCreditClient({ tls: { certificate: client.certificate, privateKey: server.privateKey } }),
    );
    expect((mismatch as Error).message).toContain('does not belong to the client certificate');
    const swapped = catchError(() =>
      createProCreditClient({ tls: { certificate: client.privateKey, privateKey: client.certificate } }),
    );
    expect((swapped as Error).message).toContain('Did you swap the certificate and the key?');
    const path = catchError(() =>
      createProCreditClient({ tls: { certificate: './cert.pem', privateKey: client.privateKey } }),
    );
    expect((path as Error).message).toContain('looks like a file path');
  });

  it('fails with an expired client certificate before any request, saying how to renew it', () => {
    const { expiredClient, ca } = sandbox.procredit.certificates;
    const error = catchError(() =>
      createProCreditClient({
        baseUrl: sandbox.procredit.url,
        tls: { certificate: expiredClient.certificate, privateKey: expiredClient.privateKey, ca },
      }),
    );
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /client certificate \(CN=ECOM_COLCHIS01\) expired on .*generate a new key and CSR with the same CN/,
    );
  });

  it('fails at construction on a runtime without Node.js TLS', () => {
    const realProcess = globalThis.process;
    vi.stubGlobal('process', { env: {}, versions: {} });
    let error: unknown;
    try {
      error = catchError(() => createProCredit(sandbox.procredit.settings));
    } finally {
      vi.stubGlobal('process', realProcess);
      vi.unstubAllGlobals();
    }
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('@colchis/procredit needs Node.js');
    expect((error as Error).message).toContain('runtime = "nodejs"');
  });
});

describe('TLS handshake failures end in clear errors', () => {
  it('no client certificate: the bank refuses the handshake', async () => {
    const client = createProCreditClient({
      // A Basic-auth preset needs no certificate, so the request goes out without one.
      preset: 'kapital',
      baseUrl: sandbox.procredit.url,
      basicAuth: { username: 'merchant', password: 'secret-password' },
      tls: { ca: sandbox.procredit.certificates.ca },
      maxRetries: 0,
    });
    const error = await rejection(client.getOrder(1, { password: 'x' }));
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.message).toContain('requires a client certificate and none is configured');
    expect((error as ConnectionError).requestSent).toBe(false);
    expect(error.retryable).toBe(false);
    await client.close();
  });

  it('a certificate from another CA: the bank closes the connection, and verifyConnection names the cause', async () => {
    const { wrongCaClient, ca } = sandbox.procredit.certificates;
    const client = createProCreditClient({
      baseUrl: sandbox.procredit.url,
      tls: { certificate: wrongCaClient.certificate, privateKey: wrongCaClient.privateKey, ca },
      maxRetries: 0,
    });
    const error = await rejection(
      client.createOrder({ amount: GEL(100), hppRedirectUrl: 'https://shop.example/r' }),
    );
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.message).toContain(
      'the bank is refusing the client certificate (CN=ECOM_COLCHIS01, issued by Somebody Else CA',
    );
    expect(error.message).toContain('The request may have been received');

    const diagnosis = await rejection(client.verifyConnection());
    expect(ConnectionError.isInstance(diagnosis)).toBe(true);
    expect(diagnosis.message).toContain(
      'closed the connection right after the TLS handshake: the bank refused the client certificate',
    );
    await client.close();
  });

  it('an expired certificate is refused by the bank at the handshake too', async () => {
    // The client refuses to start with it (above); this is what the bank does if one is used anyway.
    const { expiredClient, ca } = sandbox.procredit.certificates;
    const url = new URL(sandbox.procredit.url);
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({
        host: url.hostname,
        port: Number(url.port),
        ca,
        cert: expiredClient.certificate,
        key: expiredClient.privateKey,
      });
      socket.on('secureConnect', () =>
        socket.write('GET /order/1?password=x HTTP/1.1\r\nhost: sandbox\r\n\r\n'),
      );
      socket.on('data', () => resolve('answered'));
      socket.on('error', () => resolve('refused'));
      socket.on('close', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
  });

  it('a bank server the CA bundle does not vouch for is never trusted', async () => {
    const { client, wrongCa } = sandbox.procredit.certificates;
    const untrusting = createProCreditClient({
      baseUrl: sandbox.procredit.url,
      tls: { certificate: client.certificate, privateKey: client.privateKey, ca: wrongCa },
      maxRetries: 0,
    });
    const error = await rejection(untrusting.getOrder(1, { password: 'x' }));
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.message).toContain(
      "Could not verify the bank's TLS server certificate (SELF_SIGNED_CERT_IN_CHAIN)",
    );
    expect(error.message).toContain('never turns peer verification off');
    await untrusting.close();
  });

  it('verifyConnection passes with the right certificate', async () => {
    const client = createProCreditClient(sandbox.procredit.settings);
    const verified = await client.verifyConnection({ waitMs: 200 });
    expect(verified.protocol).toBe('TLSv1.3');
    expect(verified.serverCommonName).toBe('localhost');
    await client.close();
  });
});
