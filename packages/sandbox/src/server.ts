import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type BogSandbox, bogEmulator } from './bog/bog-emulator.js';
import { createClock, type SandboxClock } from './clock.js';
import { mountControlRoutes } from './control-routes.js';
import { createFaultRegistry, type FaultRegistry } from './faults.js';
import { type IokaSandbox, iokaEmulator } from './ioka/ioka-emulator.js';
import { type IpaySandbox, ipayEmulator } from './ipay/ipay-emulator.js';
import { type ProCreditSandbox, procreditEmulator } from './procredit/procredit-emulator.js';
import { Router, type SandboxRequest, writeResponse } from './router.js';
import type { GatewayEmulator, SandboxContext } from './sandbox-context.js';
import { type StripeSandbox, stripeEmulator } from './stripe/stripe-emulator.js';
import { createWebhookQueue, type WebhookQueue } from './webhook-queue.js';

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Port of the main HTTP server (0 picks a free one). Default 0. */
  port?: number | undefined;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string | undefined;
  /** Port of ProCredit's mutual-TLS server (0 picks a free one). Default 0. */
  procreditPort?: number | undefined;
  /** Delays between webhook delivery retries. Default 200 ms, 1 s, 3 s. */
  webhookRetryDelaysMs?: readonly number[] | undefined;
}

/** A running sandbox. */
export interface Sandbox {
  /** Base URL of the main HTTP server. */
  readonly url: string;
  readonly clock: SandboxClock;
  readonly webhooks: WebhookQueue;
  readonly faults: FaultRegistry;
  /** Bank of Georgia Payments API v1: URLs and the callback signing key. */
  readonly bog: BogSandbox;
  /** Bank of Georgia iPay (legacy). */
  readonly ipay: IpaySandbox;
  /** ProCredit (TXPG over mutual TLS): URL, CA and client certificates. */
  readonly procredit: ProCreditSandbox;
  /** ioka v2. */
  readonly ioka: IokaSandbox;
  /** Stripe subset: host/port for the official client, webhook secret. */
  readonly stripe: StripeSandbox;
  /** Lines describing every gateway (what the CLI prints). */
  describe(): string[];
  /** Forgets all state of every gateway, queued webhooks and faults; resets the clock. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts the sandbox: one HTTP server for BOG, iPay, ioka and Stripe (each under its own path),
 * ProCredit's mutual-TLS server on a port of its own, a shared clock, webhook queue and fault
 * registry, and the `/_control/*` routes.
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox();
 * const bog = createBog({ ...sandbox.bog.settings });
 * ```
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const router = new Router();
  const clock = createClock();
  const webhooks = createWebhookQueue(
    options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {},
  );
  const faults = createFaultRegistry();
  const sockets = new Set<Socket>();

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ error: 'sandbox_error', message: String((error as Error)?.message ?? error) }),
        );
      } else {
        response.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const context: SandboxContext = { router, clock, webhooks, faults, url, host };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parsed = new URL(request.url ?? '/', 'http://sandbox.local');
    const method = request.method ?? 'GET';
    const isControl = parsed.pathname.startsWith('/_control');
    const fault = isControl ? undefined : faults.take(method, parsed.pathname);
    if (fault?.kind === 'reset') {
      request.socket.destroy();
      return;
    }
    const sandboxRequest = await readRequest(request, parsed);
    if (fault?.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.ms ?? 1000));
    if (fault?.kind === 'status') {
      response.writeHead(fault.status ?? 500, { 'content-type': 'application/json' });
      response.end(fault.body ?? JSON.stringify({ error: 'injected_fault', status: fault.status ?? 500 }));
      return;
    }
    const route = router.match(method, parsed.pathname);
    if (!route) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ error: 'not_found', message: `No sandbox route for ${method} ${parsed.pathname}` }),
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

  const emulators: Array<GatewayEmulator<unknown>> = [];
  async function mount<Info>(emulator: GatewayEmulator<Info>): Promise<Info> {
    const info = await emulator.mount(context);
    emulators.push(emulator as GatewayEmulator<unknown>);
    describers.push(() => emulator.describe(info));
    return info;
  }
  const describers: Array<() => string[]> = [];
  const bog = await mount(bogEmulator());
  const ipay = await mount(ipayEmulator());
  const ioka = await mount(iokaEmulator());
  const stripe = await mount(stripeEmulator());
  const procredit = await mount(procreditEmulator({ port: options.procreditPort ?? 0 }));

  const sandbox: Sandbox = {
    url,
    clock,
    webhooks,
    faults,
    bog,
    ipay,
    procredit,
    ioka,
    stripe,
    describe: () => [
      `Colchis sandbox at ${url} (control API: ${url}/_control)`,
      ...describers.flatMap((d) => d()),
    ],
    reset() {
      for (const emulator of emulators) emulator.reset();
      webhooks.reset();
      faults.reset();
      clock.reset();
    },
    async close() {
      webhooks.reset();
      for (const emulator of emulators) await emulator.close?.();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  mountControlRoutes(router, sandbox);
  return sandbox;
}

/** Reads a Node request into a {@link SandboxRequest} (shared by the TLS server of ProCredit). */
export async function readRequest(request: IncomingMessage, parsed?: URL): Promise<SandboxRequest> {
  const url = parsed ?? new URL(request.url ?? '/', 'http://sandbox.local');
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  let jsonCache: { value: unknown } | undefined;
  return {
    method: request.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    body,
    params: {},
    raw: request,
    json<T>() {
      if (!jsonCache) {
        try {
          jsonCache = { value: body.trim() === '' ? undefined : JSON.parse(body) };
        } catch {
          jsonCache = { value: undefined };
        }
      }
      return jsonCache.value as T | undefined;
    },
    form: () => new URLSearchParams(body),
  };
}
