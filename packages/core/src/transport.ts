/** One HTTP exchange as the transport sees it. */
export interface HttpRequest {
  method: string;
  /** Absolute URL. */
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body?: string | Uint8Array | undefined;
  /** Aborts the exchange, including reading the response body. */
  signal?: AbortSignal | undefined;
  /**
   * Deadline for the whole exchange in ms: waiting for a connection, the headers and the entire
   * body. Passed only to transports that declare `enforcesTimeout`; they reject with a
   * {@link TransportTimeoutError} when it passes.
   */
  timeoutMs?: number | undefined;
}

/** Thrown by a transport that enforces `timeoutMs` when the deadline passes. */
export class TransportTimeoutError extends Error {
  readonly code = 'COLCHIS_TRANSPORT_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`No complete answer within ${timeoutMs} ms.`);
    this.name = 'TransportTimeoutError';
  }
}

/** A complete answer: the body has been read in full. */
export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Sends one request and reads the whole response. Throws on network failure (the HTTP client
 * classifies the error); never throws for an HTTP error status. Colchis ships two:
 * `undiciTransport` (the default on Node, used when no transport is given) and {@link fetchTransport} (edge runtimes, nock, msw).
 */
export interface Transport {
  /** A short name for hooks and the User-Agent (`undici`, `fetch`). */
  readonly name: string;
  /**
   * The transport applies `HttpRequest.timeoutMs` itself. The HTTP client then arms no
   * AbortController and timer of its own per attempt, which (with undici's AbortSignal listener)
   * cost more than the rest of the client together.
   */
  readonly enforcesTimeout?: boolean | undefined;
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Releases pooled connections, when the transport owns any. */
  close?(): Promise<void>;
}

/** Reads one header value from a response's header record (first value when repeated). */
export function responseHeader(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
