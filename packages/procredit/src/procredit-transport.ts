import type { Socket } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import {
  ConnectionError,
  defaultTransport,
  type HttpRequest,
  type HttpResponse,
  type Transport,
} from '@colchis/core';
import type { Dispatcher } from 'undici';
import type { ClientCertificateInfo } from './procredit-certificates.js';
import type { NodeModules } from './procredit-runtime.js';

/** Settings of {@link procreditTransport}. */
export interface ProCreditTransportSettings {
  /** The parsed client certificate, key and CA bundle (see `loadTlsMaterial`). */
  secureContext: SecureContext;
  /** Whether the context presents a client certificate (changes the diagnosis of a refused handshake). */
  hasClientCertificate: boolean;
  /** Details of the client certificate, quoted in handshake diagnostics. */
  certificate?: ClientCertificateInfo | undefined;
  /** Milliseconds to establish TCP + TLS. Default 10 000. */
  connectTimeoutMs?: number | undefined;
}

/** A transport that can also check the TLS handshake on its own. */
export interface ProCreditTransport extends Transport {
  /**
   * Opens a TLS connection to `url` with the configured certificate, sends nothing, and waits
   * `waitMs` for the server to refuse it. Resolves when the server keeps the connection open;
   * throws a {@link ConnectionError} that names the problem otherwise.
   */
  verifyConnection(url: string, options?: { waitMs?: number | undefined }): Promise<VerifiedConnection>;
}

/** What `ProCreditClient.verifyConnection()` observed. */
export interface VerifiedConnection {
  /** Negotiated protocol, e.g. `TLSv1.3`. */
  protocol: string | undefined;
  /** The server certificate's subject CN. */
  serverCommonName: string | undefined;
  /** When the server certificate expires. */
  serverCertificateValidTo: Date | undefined;
}

type UndiciModule = typeof import('undici');

// TLS alerts a server sends when it refuses the client certificate. undici reports these
// connections as a bare "other side closed", so the alert is captured from the socket itself.
const ALERT_PATTERN = /ALERT|PEER_DID_NOT_RETURN_A_CERTIFICATE/i;
const SERVER_VERIFICATION_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const ALERT_MEMORY_MS = 5_000;

/**
 * The ProCredit transport: undici with one keep-alive `Agent` whose connections present the
 * merchant's client certificate. The agent reuses one pre-parsed `SecureContext` (keys are
 * parsed once, not per connection) and TLS session resumption. undici is imported on the first
 * request, so importing `@colchis/procredit` stays cheap and never fails on other runtimes.
 *
 * Handshake failures become {@link ConnectionError}s that say what to fix (no certificate sent,
 * certificate from another CA, expired, server certificate not trusted). Peer verification is
 * never turned off.
 */
export function procreditTransport(
  settings: ProCreditTransportSettings,
  modules: NodeModules,
): ProCreditTransport {
  let loading: Promise<{ agent: Dispatcher; transport: Transport }> | undefined;
  // Set once loaded, so a request needs no extra await on the hot path.
  let loaded: { agent: Dispatcher; transport: Transport } | undefined;
  let lastAlert: { error: Error; at: number } | undefined;
  // Set once the bank has answered anything over this agent: a later dropped connection is then
  // a network fault, not a refused certificate.
  let confirmed = false;

  function load(): Promise<{ agent: Dispatcher; transport: Transport }> {
    loading ??= import('undici').then((undici: UndiciModule) => {
      const connector = undici.buildConnector({
        secureContext: settings.secureContext,
        timeout: settings.connectTimeoutMs ?? 10_000,
        // Peer verification stays on whatever a caller passes elsewhere.
        rejectUnauthorized: true,
      });
      const agent = new undici.Agent({
        connect(options, callback) {
          connector(options, (error, socket) => {
            if (socket) {
              socket.on('error', (socketError: Error) => {
                if (ALERT_PATTERN.test(codeOf(socketError) ?? ''))
                  lastAlert = { error: socketError, at: Date.now() };
              });
              callback(null, socket as Socket);
            } else {
              callback(error as Error, null);
            }
          });
        },
      });
      // Core's undici transport over this agent: `dispatch` with one deadline timer per request
      // (enforcesTimeout), not `undici.request` with an AbortSignal listener per attempt, which
      // cost ProCredit calls about 40 % more client time than a raw request (docs/benchmarks.md).
      loaded = { agent, transport: defaultTransport({ dispatcher: agent }) };
      return loaded;
    });
    return loading;
  }

  return {
    name: 'undici',
    // The deadline (HttpRequest.timeoutMs) covers the connection, the headers and the whole body.
    enforcesTimeout: true,
    async request(input: HttpRequest): Promise<HttpResponse> {
      const { transport } = loaded ?? (await load());
      try {
        const response = await transport.request(input);
        confirmed = true;
        return response;
      } catch (error) {
        if (input.signal?.aborted) throw error;
        // The alert may be processed a tick after undici gave up on the socket.
        if (!lastAlert && isClosedConnection(error)) await new Promise((resolve) => setImmediate(resolve));
        const alert = lastAlert && Date.now() - lastAlert.at < ALERT_MEMORY_MS ? lastAlert.error : undefined;
        lastAlert = undefined;
        throw translateTlsError(error, {
          alert,
          confirmed,
          method: input.method,
          hasClientCertificate: settings.hasClientCertificate,
          certificate: settings.certificate,
        });
      }
    },
    async close() {
      if (loading) {
        const { agent } = await loading;
        await agent.close();
      }
    },
    verifyConnection(url, options = {}) {
      return verifyHandshake(url, settings, modules, options.waitMs ?? 1_000);
    },
  };
}

interface TranslationContext {
  alert: Error | undefined;
  confirmed: boolean;
  method: string;
  hasClientCertificate: boolean;
  certificate: ClientCertificateInfo | undefined;
}

/**
 * Turns a TLS-level failure into a {@link ConnectionError} saying what to fix; returns other
 * errors untouched (core classifies them).
 */
export function translateTlsError(error: unknown, context: TranslationContext): unknown {
  const codes = collectCodes(error);
  if (context.alert) codes.unshift(codeOf(context.alert) ?? '');
  const alertCode = codes.find((code) => ALERT_PATTERN.test(code));
  if (alertCode) {
    return new ConnectionError(describeAlert(alertCode, context), {
      provider: 'procredit',
      code: alertCode,
      retryable: false,
      requestSent: false,
      cause: error,
    });
  }
  const verificationCode = codes.find((code) => SERVER_VERIFICATION_CODES.has(code));
  if (verificationCode) {
    return new ConnectionError(
      `Could not verify the bank's TLS server certificate (${verificationCode}). Pass the bank's CA bundle (ca.pem) as tls.ca or tls.caFile, and check that the base URL's host matches the certificate. Colchis never turns peer verification off.`,
      { provider: 'procredit', code: verificationCode, retryable: false, requestSent: false, cause: error },
    );
  }
  if (!context.confirmed && context.hasClientCertificate && isClosedConnection(error)) {
    // A server that verifies client certificates in software closes the connection right after
    // the handshake without an alert. The same symptom can be a network fault, so the request is
    // still treated as possibly received.
    return new ConnectionError(
      `ProCredit closed the connection before answering (${codes[0] ?? 'connection closed'}). If every request fails like this, the bank is refusing the client certificate${describeCertificate(context.certificate)}: it may be expired, revoked, issued by another CA (test and production certificates differ), or its CN may not be your merchant id. Call client.verifyConnection() for a diagnosis. The request may have been received: the outcome is unknown.`,
      {
        provider: 'procredit',
        code: codes[0],
        retryable: context.method === 'GET',
        requestSent: true,
        cause: error,
      },
    );
  }
  return error;
}

function describeAlert(code: string, context: TranslationContext): string {
  const certificate = describeCertificate(context.certificate);
  const upper = code.toUpperCase();
  if (
    /CERTIFICATE_REQUIRED|PEER_DID_NOT_RETURN|HANDSHAKE_FAILURE/.test(upper) &&
    !context.hasClientCertificate
  ) {
    return `The bank refused the TLS handshake (${code}): it requires a client certificate and none is configured. Pass tls.certificate + tls.privateKey (or tls.pfx) with the certificate the bank signed for your merchant id.`;
  }
  if (/UNKNOWN_CA/.test(upper)) {
    return `The bank refused the client certificate${certificate} (${code}): it was not issued by a CA the bank trusts. Use the cert.pem the bank returned for your CSR (test and production certificates differ).`;
  }
  if (/CERTIFICATE_EXPIRED/.test(upper)) {
    return `The bank refused the client certificate${certificate} as expired (${code}). Generate a new key and CSR with the same CN (your merchant id) and ask the bank to sign it.`;
  }
  if (/REVOKED/.test(upper)) {
    return `The bank refused the client certificate${certificate} as revoked (${code}). Ask the bank for a new one.`;
  }
  return `The bank refused the TLS handshake (${code}) with the client certificate${certificate}. Check that it is the certificate the bank signed for this environment and that its CN is your merchant id.`;
}

function describeCertificate(info: ClientCertificateInfo | undefined): string {
  if (!info) return '';
  const issuer = /(?:^|\n)CN=([^\n]*)/.exec(info.issuer)?.[1];
  return ` (CN=${info.commonName ?? '?'}${issuer ? `, issued by ${issuer}` : ''}, valid until ${info.validTo.toISOString().slice(0, 10)})`;
}

function isClosedConnection(error: unknown): boolean {
  const codes = collectCodes(error);
  const message = error instanceof Error ? error.message : '';
  return (
    codes.includes('ECONNRESET') ||
    codes.includes('EPIPE') ||
    (codes.includes('UND_ERR_SOCKET') && /other side closed|closed/i.test(message))
  );
}

function collectCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const code = codeOf(current);
    if (code) codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function verifyHandshake(
  url: string,
  settings: ProCreditTransportSettings,
  modules: NodeModules,
  waitMs: number,
): Promise<VerifiedConnection> {
  const target = new URL(url);
  if (target.protocol !== 'https:') {
    return Promise.reject(
      new ConnectionError(
        `verifyConnection needs an https:// base URL, got ${target.protocol}//${target.host}.`,
        {
          provider: 'procredit',
          retryable: false,
          requestSent: false,
        },
      ),
    );
  }
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const isIp = /^[\d.]+$/.test(host) || host.includes(':');
  return new Promise((resolve, reject) => {
    let settled = false;
    let socket: TLSSocket | undefined;
    const finish = (outcome: { value?: VerifiedConnection; error?: unknown }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.destroy();
      if (outcome.error !== undefined) reject(outcome.error);
      else resolve(outcome.value as VerifiedConnection);
    };
    const context: TranslationContext = {
      alert: undefined,
      confirmed: false,
      method: 'GET',
      hasClientCertificate: settings.hasClientCertificate,
      certificate: settings.certificate,
    };
    const fail = (error: unknown) => {
      const translated = translateTlsError(error, context);
      finish({
        error: ConnectionError.isInstance(translated)
          ? translated
          : new ConnectionError(
              `Could not open a TLS connection to ${target.host}: ${(error as Error)?.message ?? String(error)}`,
              { provider: 'procredit', retryable: false, requestSent: false, cause: error },
            ),
      });
    };
    const timer = setTimeout(
      () => fail(Object.assign(new Error('TLS handshake timed out'), { code: 'ETIMEDOUT' })),
      (settings.connectTimeoutMs ?? 10_000) + waitMs,
    );
    socket = modules.tls.connect({
      host,
      port: Number(target.port || 443),
      ...(isIp ? {} : { servername: host }),
      secureContext: settings.secureContext,
      rejectUnauthorized: true,
    });
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      const peer = socket?.getPeerX509Certificate();
      const verified: VerifiedConnection = {
        protocol: socket?.getProtocol() ?? undefined,
        serverCommonName: peer ? /(?:^|\n)CN=([^\n]*)/.exec(peer.subject)?.[1] : undefined,
        serverCertificateValidTo: peer ? new Date(peer.validTo) : undefined,
      };
      // Servers that check the client certificate in software close the connection right after
      // the handshake, without a TLS alert; a healthy server waits for the request.
      const closedEarly = () =>
        finish({
          error: new ConnectionError(
            settings.hasClientCertificate
              ? `${target.host} closed the connection right after the TLS handshake: the bank refused the client certificate${describeCertificate(settings.certificate)}. It may be expired, revoked, issued by another CA (test and production certificates differ), or its CN may not be your merchant id.`
              : `${target.host} closed the connection right after the TLS handshake: it requires a client certificate and none is configured. Pass tls.certificate + tls.privateKey (or tls.pfx).`,
            { provider: 'procredit', code: 'ECONNRESET', retryable: false, requestSent: false },
          ),
        });
      socket?.once('end', closedEarly);
      socket?.once('close', closedEarly);
      setTimeout(() => finish({ value: verified }), waitMs);
    });
  });
}
