import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** One scripted misbehaviour of the {@link FaultServer}. */
export type Fault =
  /** Destroy the connection as soon as the request line and headers arrive, before reading the body. */
  | { kind: 'reset-before-read' }
  /** Read the whole request, then destroy the connection without answering. */
  | { kind: 'reset-after-read' }
  /** Answer 200 with headers and half a body, then stall forever. */
  | { kind: 'stall-mid-body' }
  /** Answer with this status (and body and headers). */
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** Answer 200 with a body that is not valid JSON. */
  | { kind: 'malformed-json' }
  /** Answer with an HTML error page (the kind a load balancer or WAF produces). */
  | { kind: 'html'; status: number }
  /** Answer normally (the route's handler). */
  | { kind: 'ok' };

/** A request the fault server received. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Whether the body was read (false for `reset-before-read`). */
  bodyRead: boolean;
  /** Whether a fault was injected for it (and which). */
  fault: Fault['kind'] | undefined;
  /** The status the fault answered with, for `status` and `html` faults. */
  faultStatus?: number | undefined;
}

/** A normal answer. */
export interface CannedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Routes the fault server answers normally: return `undefined` to fall through (404). */
export type FaultServerHandler = (
  request: RecordedRequest,
) => CannedResponse | undefined | Promise<CannedResponse | undefined>;

/** A local HTTP(S) server that misbehaves on cue, for fault-injection tests. */
export interface FaultServer {
  /** `http://127.0.0.1:PORT` (or `https://localhost:PORT`). */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Queues faults for the next requests that `target` matches (then answers normally). */
  inject(target: (request: { method: string; url: string }) => boolean, ...faults: Fault[]): void;
  /** Clears queued faults and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const HTML_PAGE = (status: number) =>
  `<!DOCTYPE html><html><head><title>${status} Bad Gateway</title></head><body><h1>${status}</h1><p>upstream error</p></body></html>`;

/**
 * Starts a fault-injecting server on loopback. Requests that match an injected target consume
 * its queued faults; everything else goes to `handler`. Pass `tls` for HTTPS (and mutual TLS
 * with `requestCert`).
 */
export async function startFaultServer(
  handler: FaultServerHandler,
  options: { tls?: HttpsServerOptions } = {},
): Promise<FaultServer> {
  const requests: RecordedRequest[] = [];
  let queues: Array<{ target: (request: { method: string; url: string }) => boolean; faults: Fault[] }> = [];
  const sockets = new Set<Socket>();

  const onRequest = async (request: IncomingMessage, response: ServerResponse) => {
    const method = request.method ?? 'GET';
    const url = request.url ?? '/';
    const queue = queues.find((entry) => entry.faults.length > 0 && entry.target({ method, url }));
    const fault = queue?.faults.shift();
    const record: RecordedRequest = {
      method,
      url,
      headers: request.headers,
      body: '',
      bodyRead: false,
      fault: fault?.kind,
      faultStatus: fault?.kind === 'status' || fault?.kind === 'html' ? fault.status : undefined,
    };
    requests.push(record);
    if (fault?.kind === 'reset-before-read') {
      request.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    record.body = Buffer.concat(chunks).toString('utf8');
    record.bodyRead = true;
    switch (fault?.kind) {
      case 'reset-after-read':
        request.socket.destroy();
        return;
      case 'stall-mid-body':
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
        response.write('{"id":"partial","status":');
        return; // never ends; the client's timeout must fire
      case 'status':
        response.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        response.end(fault.body ?? JSON.stringify({ error: `injected ${fault.status}` }));
        return;
      case 'malformed-json':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"id": "abc", "status": ');
        return;
      case 'html':
        response.writeHead(fault.status, { 'content-type': 'text/html' });
        response.end(HTML_PAGE(fault.status));
        return;
      default: {
        const canned = await handler(record);
        if (!canned) {
          response.writeHead(404, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: 'no route', method, url }));
          return;
        }
        const body =
          typeof canned.body === 'string'
            ? canned.body
            : canned.body === undefined
              ? ''
              : JSON.stringify(canned.body);
        response.writeHead(canned.status, { 'content-type': 'application/json', ...canned.headers });
        response.end(body);
      }
    }
  };
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    onRequest(request, response).catch(() => response.destroy());
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = options.tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`;
  return {
    url,
    requests,
    inject(target, ...faults) {
      queues.push({ target, faults: [...faults] });
    },
    reset() {
      queues = [];
      requests.length = 0;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
