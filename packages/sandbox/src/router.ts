import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request as sandbox routes see it: body already read. */
export interface SandboxRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Raw body text. */
  body: string;
  /** Route parameters (`/orders/:id` -> `{ id }`). */
  params: Record<string, string>;
  /** The underlying Node request (for TLS details such as the peer certificate). */
  raw: IncomingMessage;
  /** Parsed JSON body, or `undefined`. */
  json<T = unknown>(): T | undefined;
  /** Parsed form body (urlencoded). */
  form(): URLSearchParams;
}

/** What a route returns. */
export type SandboxResponse =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; html: string; headers?: Record<string, string> }
  | { status: number; text: string; headers?: Record<string, string> }
  | { status: number; redirect: string }
  /** The route wrote to `ServerResponse` itself (or destroyed the socket). */
  | { handled: true };

/** A route handler. */
export type RouteHandler = (
  request: SandboxRequest,
  response: ServerResponse,
) => SandboxResponse | Promise<SandboxResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: RouteHandler;
}

/** A tiny method + path router with `:param` segments. */
export class Router {
  private readonly routes: Route[] = [];

  /** Adds a route, e.g. `add('GET', '/bog/api/payment/:id', handler)`. `*` matches the rest. */
  add(method: string, path: string, handler: RouteHandler): void {
    const keys: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (segment.startsWith(':')) {
          keys.push(segment.slice(1));
          return '([^/]+)';
        }
        if (segment === '*') {
          keys.push('rest');
          return '(.*)';
        }
        return segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), keys, handler });
  }

  /** Finds the route for a method and path. */
  match(method: string, path: string): { handler: RouteHandler; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase() && route.method !== '*') continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, index) => {
        params[key] = decodeURIComponent(found[index + 1] ?? '');
      });
      return { handler: route.handler, params };
    }
    return undefined;
  }
}

/** Writes a {@link SandboxResponse}. */
export function writeResponse(response: ServerResponse, result: SandboxResponse): void {
  if ('handled' in result) return;
  if ('redirect' in result) {
    response.writeHead(result.status, { location: result.redirect });
    response.end();
    return;
  }
  const headers = { ...result.headers };
  if ('json' in result) {
    response.writeHead(result.status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(result.json === undefined ? '' : JSON.stringify(result.json));
  } else if ('html' in result) {
    response.writeHead(result.status, { 'content-type': 'text/html; charset=utf-8', ...headers });
    response.end(result.html);
  } else {
    response.writeHead(result.status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    response.end(result.text);
  }
}
