import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Router, type SandboxRequest, writeResponse } from '../router.js';
import type { GatewayEmulator, SandboxContext } from '../sandbox-context.js';
import { readRequest } from '../server.js';
import { mountProCreditApi } from './procredit-sandbox-api.js';
import {
  PROCREDIT_SANDBOX_CARDS,
  PROCREDIT_SANDBOX_CHALLENGE_PASSWORD,
  type ProCreditSandboxCard,
} from './procredit-sandbox-cards.js';
import {
  type ProCreditCertificateFiles,
  type ProCreditCertificates,
  procreditCertificates,
  SANDBOX_MERCHANT_ID,
  writeCertificateFiles,
} from './procredit-sandbox-certificates.js';
import { mountProCreditHostedPage } from './procredit-sandbox-hosted-page.js';
import {
  PROCREDIT_SANDBOX_ORDER_LIFETIME_MS,
  PROCREDIT_SANDBOX_TYPE_RIDS,
  ProCreditSandboxStore,
} from './procredit-sandbox-store.js';

/**
 * Settings that point `@colchis/procredit` at the sandbox's mutual-TLS API: spread them into
 * `createProCredit` or `createProCreditClient`.
 */
export interface ProCreditSandboxSettings {
  readonly baseUrl: string;
  readonly merchantId: string;
  readonly typeRids: {
    readonly purchase: string;
    readonly preauthorization: string;
    readonly recurring: string;
  };
  readonly tls: { readonly certificate: string; readonly privateKey: string; readonly ca: string };
}

/** What tests need to know about the emulated ProCredit gateway. */
export interface ProCreditSandbox {
  /** Base URL of the mutual-TLS API (`https://127.0.0.1:PORT`): a client certificate signed by `certificates.ca` is required. */
  url: string;
  /** The hosted card page, served on the main HTTP server (browsers need no client certificate there). */
  hostedPageUrl: string;
  /** The merchant id: the client certificate's CN. */
  merchantId: string;
  /** Order types: `ORD1` one-step purchase, `DMS1` two-step (authorize, then clear), `REC1` saved-card charges. */
  typeRids: ProCreditSandboxSettings['typeRids'];
  /** Everything `createProCredit` needs (reading it generates the certificates, once per process). */
  readonly settings: ProCreditSandboxSettings;
  /** The CA, server and client certificates, and broken ones for handshake tests (generated on first read). */
  readonly certificates: ProCreditCertificates;
  /** The same API over plain HTTP with HTTP Basic, as Kapital and MilliKart authenticate. */
  basic: { baseUrl: string; username: string; password: string };
  /** Test cards of the hosted page. */
  testCards: readonly ProCreditSandboxCard[];
  /** Password that passes the 3-D Secure challenge. */
  challengePassword: string;
  /** How long an unpaid order stays payable, on the sandbox clock. */
  orderLifetimeMs: number;
  /** Writes `ca.pem`, `cert.pem` and `key.pem` to a directory (a fresh temporary one by default). */
  writeCertificateFiles(directory?: string): Promise<ProCreditCertificateFiles>;
}

const BASIC_USERNAME = 'TerminalSys/colchis';
const BASIC_PASSWORD = 'sandbox-basic-password';

/**
 * The ProCredit (Quipu "TXPG") emulator: the JSON API over HTTPS with real mutual TLS on a port of
 * its own (a missing, foreign or expired client certificate fails the handshake), the same API
 * with HTTP Basic under `/procredit/txpg` of the main server, and the hosted card page under
 * `/procredit/flex`, which sends the browser back with `ID`, `STATUS`, `PASSWORD`, `TOKENID`.
 * Certificates are generated lazily, once per process (RSA keys and signatures by `node:crypto`,
 * X.509 structures by node-forge).
 */
export function procreditEmulator(options: { port: number }): GatewayEmulator<ProCreditSandbox> {
  let server: Server | undefined;
  let store: ProCreditSandboxStore | undefined;
  const sockets = new Set<Socket>();
  return {
    name: 'procredit',
    async mount(context: SandboxContext) {
      const orders = new ProCreditSandboxStore(context.clock);
      store = orders;
      const hostedPageUrl = `${context.url}/procredit/flex`;
      const basicHeader = `Basic ${Buffer.from(`${BASIC_USERNAME}:${BASIC_PASSWORD}`).toString('base64')}`;

      const tlsRouter = new Router();
      mountProCreditApi(tlsRouter, '', {
        store: orders,
        hppUrl: hostedPageUrl,
        authenticate: (request) =>
          peerCommonName(request) ?? {
            status: 403,
            json: { errorCode: 'InvalidCert', errorDescription: 'No client certificate' },
          },
      });
      mountProCreditApi(context.router, '/procredit/txpg', {
        store: orders,
        hppUrl: hostedPageUrl,
        authenticate: (request) =>
          sameText(request.headers.authorization ?? '', basicHeader)
            ? SANDBOX_MERCHANT_ID
            : {
                status: 401,
                json: { errorCode: 'InvalidLogin', errorDescription: 'Wrong terminal login or password' },
              },
      });
      mountProCreditHostedPage(context.router, orders);
      context.router.add('GET', '/_control/procredit/certificates', () => {
        const certificates = procreditCertificates();
        return {
          status: 200,
          json: {
            merchantId: certificates.merchantId,
            ca: certificates.ca,
            certificate: certificates.client.certificate,
            privateKey: certificates.client.privateKey,
          },
        };
      });

      // The server starts without certificates: they are generated on the first connection (or
      // the first read of the info below), so sandboxes that never use ProCredit pay nothing.
      const tlsServer = createServer({ requestCert: true, rejectUnauthorized: true }, (request, response) => {
        handle(request, response).catch((error: unknown) => {
          if (response.headersSent) {
            response.destroy();
            return;
          }
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({
              errorCode: 'ServiceError',
              errorDescription: String((error as Error)?.message ?? error),
            }),
          );
        });
      });
      async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
        const parsed = new URL(request.url ?? '/', 'https://procredit.sandbox.local');
        const method = request.method ?? 'GET';
        // Faults are registered by path; this server's paths count as `/procredit/...`.
        const fault = context.faults.take(method, `/procredit${parsed.pathname}`);
        if (fault?.kind === 'reset') {
          request.socket.destroy();
          return;
        }
        const sandboxRequest = await readRequest(request, parsed);
        if (fault?.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.ms ?? 1000));
        if (fault?.kind === 'status') {
          response.writeHead(fault.status ?? 500, { 'content-type': 'application/json' });
          response.end(
            fault.body ?? JSON.stringify({ errorCode: 'ServiceError', errorDescription: 'Injected fault' }),
          );
          return;
        }
        const route = tlsRouter.match(method, parsed.pathname);
        if (!route) {
          response.writeHead(404, { 'content-type': 'text/html' });
          response.end(
            '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>Not Found</body></html>',
          );
          return;
        }
        sandboxRequest.params = route.params;
        const result = await route.handler(sandboxRequest, response);
        if (fault?.kind === 'reset-after') {
          request.socket.destroy();
          return;
        }
        writeResponse(response, result);
      }
      let secured = false;
      // Runs before the TLS server's own connection listener, which reads the secure context.
      tlsServer.prependListener('connection', () => {
        if (secured) return;
        const certificates = procreditCertificates();
        tlsServer.setSecureContext({
          key: certificates.server.privateKey,
          cert: certificates.server.certificate,
          ca: [certificates.ca],
        });
        secured = true;
      });
      tlsServer.keepAliveTimeout = 5000;
      // A refused handshake is the client's problem; the server only keeps running.
      tlsServer.on('tlsClientError', () => {});
      for (const event of ['connection', 'secureConnection']) {
        tlsServer.on(event, (socket: Socket) => {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
        });
      }
      await new Promise<void>((resolve, reject) => {
        tlsServer.once('error', reject);
        tlsServer.listen(options.port, context.host, () => resolve());
      });
      server = tlsServer;
      const { port } = tlsServer.address() as AddressInfo;
      // The server certificate names localhost and 127.0.0.1 only.
      const host =
        context.host === '0.0.0.0' || context.host === '::' || context.host === '127.0.0.1'
          ? '127.0.0.1'
          : context.host;
      const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
      const typeRids = { ...PROCREDIT_SANDBOX_TYPE_RIDS };
      return {
        url,
        hostedPageUrl,
        merchantId: SANDBOX_MERCHANT_ID,
        typeRids,
        get settings(): ProCreditSandboxSettings {
          const certificates = procreditCertificates();
          return {
            baseUrl: url,
            merchantId: SANDBOX_MERCHANT_ID,
            typeRids,
            tls: {
              certificate: certificates.client.certificate,
              privateKey: certificates.client.privateKey,
              ca: certificates.ca,
            },
          };
        },
        get certificates(): ProCreditCertificates {
          return procreditCertificates();
        },
        basic: {
          baseUrl: `${context.url}/procredit/txpg`,
          username: BASIC_USERNAME,
          password: BASIC_PASSWORD,
        },
        testCards: PROCREDIT_SANDBOX_CARDS,
        challengePassword: PROCREDIT_SANDBOX_CHALLENGE_PASSWORD,
        orderLifetimeMs: PROCREDIT_SANDBOX_ORDER_LIFETIME_MS,
        writeCertificateFiles: (directory?: string) =>
          writeCertificateFiles(procreditCertificates(), directory),
      };
    },
    reset() {
      store?.reset();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      const current = server;
      server = undefined;
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    describe(info) {
      return [
        `ProCredit (TXPG, mutual TLS): ${info.url} (merchant ${info.merchantId}; typeRids purchase ${info.typeRids.purchase}, preauthorization ${info.typeRids.preauthorization}, recurring ${info.typeRids.recurring})`,
        `  certificates: GET /_control/procredit/certificates; hosted page: ${info.hostedPageUrl}`,
        `  HTTP Basic variant: ${info.basic.baseUrl} (${info.basic.username} / ${info.basic.password})`,
        `  test cards: ${info.testCards.map((card) => `${card.number} ${card.description}`).join('; ')}`,
      ];
    },
  };
}

function peerCommonName(request: SandboxRequest): string | undefined {
  const socket = request.raw.socket as TLSSocket;
  const certificate =
    typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  const name = certificate?.subject?.CN;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
