import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SafeHtml } from './html.js';

/** What a route handler answers. */
export interface HttpResult {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

/** One incoming request, as the routes see it. */
export interface HttpContext {
  method: string;
  url: URL;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  /** The exact bytes of the body (read once, at most 1 MiB). Webhooks verify these, never parsed JSON. */
  rawBody(): Promise<Buffer>;
  /** The body as an HTML form (`application/x-www-form-urlencoded`). */
  form(): Promise<URLSearchParams>;
  /** Request cookies by name. */
  cookies: Record<string, string>;
  request: IncomingMessage;
}

/** A route handler. */
export type HttpHandler = (context: HttpContext) => HttpResult | Promise<HttpResult>;

interface Route {
  method: string;
  parts: string[];
  handler: HttpHandler;
  crossSite: boolean;
}

const BODY_LIMIT_BYTES = 1024 * 1024;

/** Thrown by handlers to answer with a status and a short plain message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A minimal router over `node:http`: `/path/:param` patterns, raw-body access for webhooks and
 * a same-origin check on every state-changing request (a cheap, robust CSRF defence in current
 * browsers), which routes called by other sites (webhooks, gateway returns) opt out of.
 */
export class Router {
  private readonly routes: Route[] = [];
  private available = true;

  /** Answers 503 until {@link Router.open} (while the app finishes starting behind a listening port). */
  hold(): void {
    this.available = false;
  }

  /** Starts serving the routes. */
  open(): void {
    this.available = true;
  }

  /** Adds a route. `crossSite: true` lets other origins POST to it (gateway webhooks and returns). */
  add(method: string, pattern: string, handler: HttpHandler, options: { crossSite?: boolean } = {}): this {
    this.routes.push({
      method: method.toUpperCase(),
      parts: pattern.split('/').filter(Boolean),
      handler,
      crossSite: options.crossSite ?? false,
    });
    return this;
  }

  /** Finds the route for a request, with its path parameters. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    const segments = path.split('/').filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
      if (route.parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let matched = true;
      for (let index = 0; index < route.parts.length; index++) {
        const part = route.parts[index] as string;
        const segment = segments[index] as string;
        if (part.startsWith(':')) {
          try {
            params[part.slice(1)] = decodeURIComponent(segment);
          } catch {
            matched = false;
            break;
          }
        } else if (part !== segment) {
          matched = false;
          break;
        }
      }
      if (matched) return { route, params };
    }
    return undefined;
  }

  /** Handles one Node request end to end. */
  async handle(
    request: IncomingMessage,
    response: ServerResponse,
    log: (line: string) => void,
  ): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase();
    const url = new URL(request.url ?? '/', 'http://app.local');
    let result: HttpResult;
    try {
      const found = this.available ? this.match(method, url.pathname) : undefined;
      if (!this.available) {
        result = { ...textResult(503, 'Starting, try again in a moment.'), headers: { 'retry-after': '1' } };
      } else if (!found) {
        result = textResult(404, 'Not found');
      } else if (method !== 'GET' && method !== 'HEAD' && !found.route.crossSite && isCrossSite(request)) {
        result = textResult(403, 'Cross-site form submissions are refused.');
      } else {
        result = await found.route.handler(createContext(request, method, url, found.params));
      }
    } catch (error) {
      if (error instanceof HttpError) {
        result = textResult(error.status, error.message);
      } else {
        log(`error handling ${method} ${url.pathname}: ${(error as Error)?.stack ?? String(error)}`);
        result = textResult(
          500,
          'Something went wrong on our side. Nothing was charged twice; please retry.',
        );
      }
    }
    const headers: Record<string, string | string[]> = {
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      // Our return URLs carry a payment reference: keep it out of Referer headers to other sites.
      'referrer-policy': 'same-origin',
      'cache-control': 'no-store',
      ...result.headers,
    };
    response.writeHead(result.status, headers);
    response.end(method === 'HEAD' ? undefined : result.body);
  }
}

function isCrossSite(request: IncomingMessage): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string') return fetchSite !== 'same-origin' && fetchSite !== 'none';
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    try {
      return new URL(origin).host !== request.headers.host;
    } catch {
      return true;
    }
  }
  return false;
}

function createContext(
  request: IncomingMessage,
  method: string,
  url: URL,
  params: Record<string, string>,
): HttpContext {
  let body: Promise<Buffer> | undefined;
  const rawBody = (): Promise<Buffer> => {
    body ??= readBody(request);
    return body;
  };
  return {
    method,
    url,
    params,
    headers: request.headers,
    rawBody,
    form: async () => new URLSearchParams((await rawBody()).toString('utf8')),
    cookies: parseCookies(request.headers.cookie),
    request,
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT_BYTES) throw new HttpError(413, 'Request body too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    try {
      cookies[name] = decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      // A malformed cookie is ignored rather than failing the request.
    }
  }
  return cookies;
}

/** A `200 text/html` (or other status) answer. */
export function htmlResult(
  page: SafeHtml,
  status = 200,
  headers: Record<string, string | string[]> = {},
): HttpResult {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body: page.value };
}

/** A JSON answer. */
export function jsonResult(value: unknown, status = 200): HttpResult {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/** A plain-text answer. */
export function textResult(status: number, text: string): HttpResult {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text };
}

/** A `303 See Other` (after a form POST) or other redirect. */
export function redirectResult(
  location: string,
  headers: Record<string, string | string[]> = {},
  status = 303,
): HttpResult {
  return { status, headers: { location, ...headers } };
}

/** A running HTTP server. */
export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts `router` on `host:port` (port 0 picks a free one). */
export async function startHttpServer(
  router: Router,
  options: { port?: number | undefined; host?: string | undefined; log: (line: string) => void },
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    router.handle(request, response, options.log).catch((error: unknown) => {
      options.log(`response failed: ${String(error)}`);
      response.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
