import type { ServerOptions as HttpsServerOptions } from 'node:https';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ColchisError,
  ConnectionError,
  GatewayError,
  RateLimitError,
  ResponseValidationError,
  SignatureVerificationError,
  TimeoutError,
  UnsupportedOperationError,
} from '../errors.js';
import type { Hooks } from '../hooks.js';
import { isPaymentStatus, type PaymentStatus } from '../payment-status.js';
import type { PaymentProvider, WebhookEvent } from '../payment-types.js';
import type { RetrySettings } from '../retry.js';
import {
  type CannedResponse,
  type FaultServer,
  type RecordedRequest,
  startFaultServer,
} from './fault-server.js';

/** What the contract suite hands a gateway package to build its provider against the fault server. */
export interface ContractContext {
  /** The fault server's URL: point every API and token URL of the provider here. */
  baseUrl: string;
  /** Short per-attempt timeout (ms) so stall tests finish quickly. */
  timeoutMs: number;
  maxRetries: number;
  /** Millisecond backoffs, so retry tests are fast. */
  retry: RetrySettings;
  /** Hooks to install; the suite inspects what they receive for leaked secrets. */
  hooks?: Hooks | undefined;
  /** Set when the fault server runs TLS: the dispatcher that trusts it (and presents a client certificate). */
  dispatcher?: Dispatcher | undefined;
}

/** One HTTP operation the fault matrix drives. */
export interface ContractOperation {
  /** Runs the operation through the provider (e.g. `(p) => p.getPayment('order-1')`). */
  run(provider: PaymentProvider): Promise<unknown>;
  /** Which requests of the operation receive injected faults. */
  matches(request: { method: string; url: string }): boolean;
}

/** A gateway package's description of itself for {@link describeProviderContract}. */
export interface ProviderContract {
  /** Suite title, e.g. `bog`. */
  name: string;
  createProvider(context: ContractContext): PaymentProvider | Promise<PaymentProvider>;
  /** Normal answers of the fault server (token endpoint, the operations' success bodies). */
  serve(request: RecordedRequest): CannedResponse | undefined | Promise<CannedResponse | undefined>;
  /** Serve HTTPS (e.g. with `requestCert` for mutual TLS); `dispatcher` is then required. */
  tls?: { server: HttpsServerOptions; dispatcher: Dispatcher } | undefined;
  /** Status mapping: every documented raw value and its expected normalized status. */
  statuses: {
    documented: Readonly<Record<string, PaymentStatus>>;
    map(raw: string): PaymentStatus;
  };
  /** A read-only call (usually `getPayment`). */
  read: ContractOperation;
  /** A money-moving call (usually a partial `refund`). */
  write: ContractOperation & {
    /**
     * The header carrying an idempotency key the gateway honours, if any. With one, the write
     * is retried like a read (always with the same key); without, it is never repeated after
     * the request may have been received.
     */
    idempotencyHeader?: string | undefined;
    /** Statuses after which the gateway guarantees nothing was done (ioka: 503). */
    notExecutedStatuses?: readonly number[] | undefined;
  };
  /** `oauth`: a 401 refreshes the token once and succeeds. `static`: a 401 is an AuthenticationError. */
  auth: 'oauth' | 'static';
  /** Counts token requests among recorded requests (for `oauth`). */
  isTokenRequest?: ((request: RecordedRequest) => boolean) | undefined;
  /** Secrets configured in `createProvider` that must never reach hooks or errors. */
  secrets: readonly string[];
  /** Signed webhooks: required when `capabilities.webhooks === 'signed'`. */
  webhook?:
    | {
        /** A valid raw body. */
        body: string;
        /** Signs a body with the package's test-signing helper (`wrongKey` signs with another key). */
        sign(
          body: string,
          options?: { wrongKey?: boolean },
        ): Record<string, string> | Promise<Record<string, string>>;
        /** The signature header's name. */
        signatureHeader: string;
        /** Extra checks on the verified event. */
        check?(event: WebhookEvent): void;
      }
    | undefined;
}

const FAST: RetrySettings = { initialDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5000 };

/**
 * The conformance suite every Colchis gateway package runs against itself (call it at the top
 * level of a `*.test.ts` file). It checks status mapping totality, capabilities against
 * behaviour, webhook verification and its failure modes, and a fault matrix served by a real
 * local server: connection resets before and after the request was read, a stall mid-body,
 * 500/502/503/504, 429 with Retry-After, malformed JSON, an HTML error page and 401-then-success.
 * Throughout, no money-moving request is ever sent twice without the same idempotency key.
 */
export function describeProviderContract(contract: ProviderContract): void {
  describe(`${contract.name}: PaymentProvider contract`, () => {
    let server: FaultServer;
    const hookLog: unknown[] = [];
    const hooks: Hooks = {
      onRequest: (event) => hookLog.push(event),
      onResponse: (event) => hookLog.push(event),
      onRetry: (event) => hookLog.push({ ...event, error: serializeError(event.error) }),
      onError: (event) => hookLog.push({ ...event, error: serializeError(event.error) }),
    };

    beforeAll(async () => {
      server = await startFaultServer(
        (request) => contract.serve(request),
        contract.tls ? { tls: contract.tls.server } : {},
      );
    });
    afterAll(async () => {
      await server?.close();
    });

    const provider = (overrides: Partial<ContractContext> = {}) =>
      Promise.resolve(
        contract.createProvider({
          baseUrl: server.url,
          timeoutMs: 400,
          maxRetries: 2,
          retry: FAST,
          hooks,
          dispatcher: contract.tls?.dispatcher,
          ...overrides,
        }),
      );

    const reads = () => server.requests.filter((request) => contract.read.matches(request));
    const writes = () => server.requests.filter((request) => contract.write.matches(request));
    const keyed = contract.write.idempotencyHeader !== undefined;

    // The invariant behind every write test: a money-moving request reaches the gateway twice only
    // with the same idempotency key, or after the gateway said it did nothing (a declared
    // not-executed status such as ioka's 503).
    function expectWritesKeyed(): void {
      const sent = writes();
      if (sent.length <= 1) return;
      const notExecutedStatuses = new Set(contract.write.notExecutedStatuses ?? []);
      const earlierNotExecuted = sent
        .slice(0, -1)
        .every((request) => request.fault === 'status' && notExecutedStatuses.has(request.faultStatus ?? 0));
      if (earlierNotExecuted) return;
      const header = contract.write.idempotencyHeader?.toLowerCase();
      expect(
        header,
        'a money-moving request was sent twice by a gateway that honours no idempotency key',
      ).toBeDefined();
      const keys = sent.map((request) => request.headers[header as string]);
      expect(keys[0], 'repeated money-moving request without an idempotency key').toBeTruthy();
      expect(new Set(keys).size, 'repeated money-moving request with a different idempotency key').toBe(1);
    }

    async function expectRejects(
      promise: Promise<unknown>,
      type: typeof ColchisError,
    ): Promise<ColchisError> {
      try {
        await promise;
      } catch (error) {
        expect(type.isInstance(error), `expected ${type.kind}, got ${describeError(error)}`).toBe(true);
        return error as ColchisError;
      }
      throw new Error(`expected ${type.kind}, but the call succeeded`);
    }

    describe('status mapping', () => {
      it('maps every documented raw status to the expected normalized status', () => {
        for (const [raw, expected] of Object.entries(contract.statuses.documented)) {
          expect(contract.statuses.map(raw), `raw status ${JSON.stringify(raw)}`).toBe(expected);
        }
      });
      it('maps unknown raw statuses to processing, never to a terminal status', () => {
        for (const raw of ['', 'SOMETHING_NEW', 'unknown_status_2031', 'null']) {
          const mapped = contract.statuses.map(raw);
          expect(isPaymentStatus(mapped)).toBe(true);
          expect(mapped, `unknown raw status ${JSON.stringify(raw)}`).toBe('processing');
        }
      });
      it('documents at least the common lifecycle', () => {
        const values = new Set(Object.values(contract.statuses.documented));
        for (const needed of ['captured', 'failed'] as const) expect(values.has(needed)).toBe(true);
      });
    });

    describe('capabilities match behaviour', () => {
      it('declares every capability flag', async () => {
        const instance = await provider();
        const caps = instance.capabilities;
        for (const flag of [
          'manualCapture',
          'partialCapture',
          'cancel',
          'refund',
          'partialRefund',
          'savedMethods',
        ] as const) {
          expect(typeof caps[flag], flag).toBe('boolean');
        }
        expect(['signed', 'unsigned', 'none']).toContain(caps.webhooks);
        if (caps.partialCapture) expect(caps.manualCapture).toBe(true);
        if (caps.partialRefund) expect(caps.refund).toBe(true);
      });
      it('throws UnsupportedOperationError, before any request, for every unsupported operation', async () => {
        const instance = await provider();
        const caps = instance.capabilities;
        server.reset();
        const money = { amount: 100, currency: 'GEL' };
        const checks: Array<[boolean, () => Promise<unknown>]> = [
          [caps.manualCapture, () => instance.capture('contract-payment')],
          [caps.partialCapture, () => instance.capture('contract-payment', { amount: 1 })],
          [caps.cancel, () => instance.cancel('contract-payment')],
          [caps.refund, () => instance.refund('contract-payment')],
          [caps.partialRefund, () => instance.refund('contract-payment', { amount: 1 })],
          [
            caps.savedMethods,
            () =>
              instance.chargeSavedMethod({
                savedMethod: { id: 'saved-1' },
                amount: money,
                reference: 'contract-ref',
              }),
          ],
        ];
        for (const [supported, call] of checks) {
          if (supported) continue;
          await expectRejects(call(), UnsupportedOperationError);
        }
        expect(server.requests, 'an unsupported operation sent a request').toHaveLength(0);
      });
    });

    describe('webhooks', () => {
      it('has a test-signing helper when webhooks are signed', async () => {
        const instance = await provider();
        if (instance.capabilities.webhooks === 'signed') expect(contract.webhook).toBeDefined();
      });
      const webhook = contract.webhook;
      if (!webhook) return;
      it('verifies a body signed by the test-signing helper', async () => {
        const instance = await provider();
        const headers = await webhook.sign(webhook.body);
        const event = await instance.verifyWebhook({ rawBody: webhook.body, headers });
        expect(event.provider).toBe(instance.id);
        expect(['payment.updated', 'refund.updated', 'card.updated', 'unknown']).toContain(event.type);
        if (event.status !== undefined) expect(isPaymentStatus(event.status)).toBe(true);
        webhook.check?.(event);
        const asBytes = await instance.verifyWebhook({
          rawBody: new TextEncoder().encode(webhook.body),
          headers,
        });
        expect(asBytes.type).toBe(event.type);
      });
      it('accepts the signature header in any letter case and as Headers', async () => {
        const instance = await provider();
        const headers = await webhook.sign(webhook.body);
        const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
        await instance.verifyWebhook({ rawBody: webhook.body, headers: upper });
        await instance.verifyWebhook({ rawBody: webhook.body, headers: new Headers(headers) });
      });
      it('rejects a tampered body', async () => {
        const instance = await provider();
        const headers = await webhook.sign(webhook.body);
        const tampered = webhook.body.includes('1') ? webhook.body.replace('1', '2') : `${webhook.body} `;
        await expectRejects(
          instance.verifyWebhook({ rawBody: tampered, headers }),
          SignatureVerificationError,
        );
      });
      it('rejects a signature made with another key', async () => {
        const instance = await provider();
        const headers = await webhook.sign(webhook.body, { wrongKey: true });
        await expectRejects(
          instance.verifyWebhook({ rawBody: webhook.body, headers }),
          SignatureVerificationError,
        );
      });
      it('rejects a missing signature header, naming it', async () => {
        const instance = await provider();
        const error = await expectRejects(
          instance.verifyWebhook({ rawBody: webhook.body, headers: { 'content-type': 'application/json' } }),
          SignatureVerificationError,
        );
        expect(error.message.toLowerCase()).toContain(webhook.signatureHeader.toLowerCase());
      });
      it('rejects a parsed object with a message that says to pass the raw body', async () => {
        const instance = await provider();
        const headers = await webhook.sign(webhook.body);
        const error = await expectRejects(
          instance.verifyWebhook({ rawBody: JSON.parse(webhook.body) as string, headers }),
          SignatureVerificationError,
        );
        expect(error.message).toMatch(/raw (request )?body/i);
      });
    });

    describe('fault matrix: read', () => {
      const recovers: Array<[string, () => void]> = [
        [
          'connection reset before the request was read',
          () => inject(contract.read, { kind: 'reset-before-read' }),
        ],
        [
          'connection reset after the request was read',
          () => inject(contract.read, { kind: 'reset-after-read' }),
        ],
        ['a stall mid-body past the timeout', () => inject(contract.read, { kind: 'stall-mid-body' })],
        ...[500, 502, 503, 504].map(
          (status) =>
            [`HTTP ${status}`, () => inject(contract.read, { kind: 'status', status })] as [
              string,
              () => void,
            ],
        ),
      ];
      for (const [title, setup] of recovers) {
        it(`retries after ${title} and succeeds`, async () => {
          const instance = await provider();
          server.reset();
          setup();
          await contract.read.run(instance);
          expect(reads().length).toBe(2);
        });
      }
      it('gives up with TimeoutError when every attempt stalls', async () => {
        const instance = await provider({ maxRetries: 1, timeoutMs: 250 });
        server.reset();
        inject(contract.read, { kind: 'stall-mid-body' }, { kind: 'stall-mid-body' });
        await expectRejects(contract.read.run(instance), TimeoutError);
        expect(reads().length).toBe(2);
      });
      it('gives up with GatewayError after retrying a persistent 500', async () => {
        const instance = await provider();
        server.reset();
        inject(contract.read, ...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 500 })));
        const error = await expectRejects(contract.read.run(instance), GatewayError);
        expect(error.statusCode).toBe(500);
        expect(reads().length).toBe(3);
      });
      it('waits for Retry-After on 429 and then succeeds', async () => {
        const instance = await provider();
        server.reset();
        inject(contract.read, { kind: 'status', status: 429, headers: { 'retry-after': '1' } });
        const started = Date.now();
        await contract.read.run(instance);
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
        expect(reads().length).toBe(2);
      });
      it('surfaces a 429 that persists as RateLimitError', async () => {
        const instance = await provider({ maxRetries: 0 });
        server.reset();
        inject(contract.read, { kind: 'status', status: 429, headers: { 'retry-after': '0' } });
        await expectRejects(contract.read.run(instance), RateLimitError);
      });
      it('reports malformed JSON as ResponseValidationError', async () => {
        const instance = await provider();
        server.reset();
        inject(contract.read, { kind: 'malformed-json' });
        await expectRejects(contract.read.run(instance), ResponseValidationError);
      });
      it('reports an HTML error page as GatewayError that says it was HTML', async () => {
        const instance = await provider({ maxRetries: 0 });
        server.reset();
        inject(contract.read, { kind: 'html', status: 502 });
        const error = await expectRejects(contract.read.run(instance), GatewayError);
        expect(error.message).toMatch(/HTML/);
      });
      it('handles 401 according to its auth scheme', async () => {
        const instance = await provider();
        await contract.read.run(instance); // warm any token
        server.reset();
        inject(contract.read, {
          kind: 'status',
          status: 401,
          body: JSON.stringify({ error: 'invalid_token' }),
        });
        if (contract.auth === 'oauth') {
          await contract.read.run(instance);
          expect(reads().length).toBe(2);
          if (contract.isTokenRequest) {
            expect(
              server.requests.filter(contract.isTokenRequest).length,
              'the token is refreshed once',
            ).toBe(1);
          }
        } else {
          await expectRejects(contract.read.run(instance), AuthenticationError);
          expect(reads().length).toBe(1);
        }
      });
    });

    describe('fault matrix: money-moving call', () => {
      const write = contract.write;
      const notExecuted = new Set(write.notExecutedStatuses ?? []);
      it('succeeds without faults and sends at most one request', async () => {
        const instance = await provider();
        server.reset();
        await write.run(instance);
        expect(writes().length).toBe(1);
      });
      for (const fault of [
        { kind: 'reset-before-read' },
        { kind: 'reset-after-read' },
        { kind: 'stall-mid-body' },
        { kind: 'status', status: 500 },
        { kind: 'status', status: 502 },
        { kind: 'status', status: 503 },
        { kind: 'status', status: 504 },
      ] as const) {
        const label = fault.kind === 'status' ? `HTTP ${fault.status}` : fault.kind;
        const retriedSafely = keyed || (fault.kind === 'status' && notExecuted.has(fault.status));
        it(`${retriedSafely ? 'retries with the same idempotency key' : 'is not repeated'} after ${label}`, async () => {
          const instance = await provider();
          server.reset();
          inject(write, fault);
          if (retriedSafely) {
            await write.run(instance);
            expect(writes().length).toBe(2);
          } else {
            const expected =
              fault.kind === 'status'
                ? GatewayError
                : fault.kind === 'stall-mid-body'
                  ? TimeoutError
                  : ConnectionError;
            await expectRejects(write.run(instance), expected);
            expect(
              writes().length,
              'a money-moving request without an honoured idempotency key was repeated',
            ).toBe(1);
          }
          expectWritesKeyed();
        });
      }
      const retries429 = keyed || notExecuted.has(429);
      it(
        retries429
          ? 'retries a 429 with the same idempotency key'
          : 'surfaces a 429 as RateLimitError without repeating',
        async () => {
          const instance = await provider();
          server.reset();
          inject(write, { kind: 'status', status: 429, headers: { 'retry-after': '0' } });
          if (retries429) {
            await write.run(instance);
            expect(writes().length).toBe(2);
          } else {
            const error = await expectRejects(write.run(instance), RateLimitError);
            expect(error.statusCode).toBe(429);
            expect(writes().length).toBe(1);
          }
          expectWritesKeyed();
        },
      );
    });

    describe('secrets', () => {
      it('never hands a configured secret to a hook or an error', async () => {
        hookLog.length = 0;
        const instance = await provider({ maxRetries: 1 });
        server.reset();
        await contract.read.run(instance);
        inject(contract.read, { kind: 'status', status: 500 }, { kind: 'status', status: 500 });
        const error = await contract.read.run(instance).catch((caught: unknown) => caught);
        inject(contract.write, { kind: 'status', status: 400, body: JSON.stringify({ message: 'bad' }) });
        const writeError = await contract.write.run(instance).catch((caught: unknown) => caught);
        const text = JSON.stringify([hookLog, serializeError(error), serializeError(writeError)]);
        expect(hookLog.length).toBeGreaterThan(0);
        for (const secret of contract.secrets) {
          expect(text.includes(secret), 'a secret reached a hook or an error').toBe(false);
        }
      });
    });

    function inject(operation: ContractOperation, ...faults: Parameters<FaultServer['inject']>[1][]): void {
      server.inject((request) => operation.matches(request), ...faults);
    }
  });
}

function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return {
    message: error.message,
    stack: error.stack,
    ...(error as unknown as Record<string, unknown>),
    cause: String((error as { cause?: unknown }).cause ?? ''),
  };
}

function describeError(error: unknown): string {
  if (ColchisError.isInstance(error)) return `${(error as ColchisError).type}: ${(error as Error).message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
