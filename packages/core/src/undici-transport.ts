/// <reference path="./undici-internals.d.ts" />
import type { Dispatcher } from 'undici';
import { parseHeaders } from 'undici/lib/core/util.js';
// The two undici modules this transport needs, not undici's index: the index also loads fetch,
// WebSocket, EventSource, the cache and mock layers and Node's own bundled undici (through its
// cookie helpers), which tripled the time of a cold start's first request (docs/benchmarks.md).
// undici 7 has no `exports` map, so these paths are public in practice and stable across 7.x;
// `undici-internals.test.ts` fails loudly if an update ever moves them.
import { getGlobalDispatcher } from 'undici/lib/global.js';
import { type HttpRequest, type HttpResponse, type Transport, TransportTimeoutError } from './transport.js';

/** Settings of {@link undiciTransport}. */
export interface UndiciTransportSettings {
  /**
   * The undici dispatcher to send through. Default: undici's global dispatcher, a keep-alive
   * `Agent` with one pool per origin (so `setGlobalDispatcher(new MockAgent())` also works).
   * Pass `new Agent({ connect: { cert, key, ca } })` for mutual TLS, a `ProxyAgent`, or a
   * `MockAgent` in tests.
   */
  dispatcher?: Dispatcher | undefined;
}

/**
 * One exchange as an undici dispatch handler: collects the body and settles exactly once, on the
 * end of the body, an error, the deadline or the caller's abort.
 *
 * Why `dispatch` and not `undici.request`: `request` is `dispatch` plus a `Readable` body stream
 * and, once a signal is passed, an AbortSignal listener that is removed on the stream's `close`
 * event. Those cost more per call than the rest of the client together (see docs/benchmarks.md).
 * The handler uses the classic callback API (`onConnect`/`onHeaders`/`onData`/`onComplete`/
 * `onError`) that undici's own `request` uses: every dispatcher understands it, including the
 * global dispatcher Node's bundled undici installs when `fetch` ran first.
 */
class Exchange {
  status = 0;
  headers: Record<string, string | string[] | undefined> = {};
  chunks: Buffer[] = [];
  length = 0;
  abort: ((reason: Error) => void) | undefined = undefined;
  reason: Error | undefined = undefined;
  settled = false;
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  resolve: (response: HttpResponse) => void = noop;
  reject: (error: unknown) => void = noop;

  /** The deadline passed or the caller aborted: settle now, and stop the exchange. */
  fail(reason: unknown): void {
    if (this.settled) return;
    this.reason = reason as Error;
    // Still queued for a connection: `onConnect` aborts it, so it is never sent.
    this.abort?.(this.reason);
    this.finish();
    this.reject(reason);
  }

  finish(): void {
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.onAbort) this.signal?.removeEventListener('abort', this.onAbort);
  }

  onConnect(abort: (reason: Error) => void): void {
    if (this.reason !== undefined) abort(this.reason);
    else this.abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (statusCode < 200) return true; // 1xx: the real answer follows
    this.status = statusCode;
    this.headers = parseHeaders(rawHeaders) as Record<string, string | string[] | undefined>;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.length += chunk.length;
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    this.finish();
    const { chunks } = this;
    const body =
      chunks.length === 1
        ? (chunks[0] as Buffer).toString('utf8')
        : chunks.length === 0
          ? ''
          : Buffer.concat(chunks, this.length).toString('utf8');
    this.resolve({ status: this.status, headers: this.headers, body });
  }

  onError(error: Error): void {
    if (this.settled) return;
    this.finish();
    this.reject(error);
  }
}

function noop(): void {}

/**
 * The default Node transport, over undici's `dispatch`. Enforces `timeoutMs` itself with one
 * timer covering the wait for a connection, the headers and the whole body, and honours `signal`.
 */
export function undiciTransport(settings: UndiciTransportSettings = {}): Transport {
  const dispatcher = settings.dispatcher;
  return {
    name: 'undici',
    enforcesTimeout: true,
    request(input: HttpRequest): Promise<HttpResponse> {
      const exchange = new Exchange();
      const promise = new Promise<HttpResponse>((resolve, reject) => {
        exchange.resolve = resolve;
        exchange.reject = reject;
      });
      const { signal, timeoutMs } = input;
      if (signal) {
        if (signal.aborted) {
          exchange.fail(signal.reason);
          return promise;
        }
        exchange.signal = signal;
        exchange.onAbort = () => exchange.fail(signal.reason);
        signal.addEventListener('abort', exchange.onAbort, { once: true });
      }
      if (timeoutMs !== undefined) {
        exchange.timer = setTimeout(() => exchange.fail(new TransportTimeoutError(timeoutMs)), timeoutMs);
      }
      const { origin, path } = splitUrl(input.url);
      (dispatcher ?? getGlobalDispatcher()).dispatch(
        {
          origin,
          path,
          method: input.method as Dispatcher.HttpMethod,
          headers: input.headers,
          body: input.body ?? null,
        },
        exchange as unknown as Dispatcher.DispatchHandler,
      );
      return promise;
    },
    async close() {
      if (dispatcher) await dispatcher.close();
    },
  };
}

/** `https://host:8443/a/b?c` -> `https://host:8443` + `/a/b?c`, without building a `URL`. */
function splitUrl(url: string): { origin: string; path: string } {
  const hostStart = url.indexOf('//') + 2;
  const slash = url.indexOf('/', hostStart);
  const origin = slash === -1 ? url : url.slice(0, slash);
  if (hostStart < 2 || /[@?#]/.test(origin)) {
    const parsed = new URL(url);
    return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
  }
  return { origin, path: slash === -1 ? '/' : url.slice(slash) };
}
