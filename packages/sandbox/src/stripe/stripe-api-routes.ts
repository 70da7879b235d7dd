import type { Router, SandboxRequest, SandboxResponse } from '../router.js';
import { invalidRequest, missingParam, noSuch, StripeApiError } from './stripe-api-error.js';
import type { StripeBackend, StripeRequestContext } from './stripe-backend.js';
import { STRIPE_SANDBOX_API_VERSION } from './stripe-events.js';
import { listParam, parseStripeParams, type StripeParams, stringParam } from './stripe-form.js';
import {
  randomToken,
  type StripeObject,
  type StripeStore,
  type StripeWebhookEndpoint,
} from './stripe-store.js';

/** What the API routes need. */
export interface StripeApiContext {
  store: StripeStore;
  backend: StripeBackend;
  /** The secret key requests must carry. */
  apiKey: () => string;
  now: () => number;
}

type Handler = (params: StripeParams, request: SandboxRequest, context: StripeRequestContext) => unknown;

// Idempotent results are kept 24 hours (https://docs.stripe.com/api/idempotent_requests).
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Mounts the subset of Stripe's API the adapter uses at the sandbox root (`/v1/...`): stripe-node
 * builds URLs from host, port and protocol and cannot take a path prefix. Requests are
 * authenticated with the sandbox's secret key, bodies are Stripe's bracketed form encoding,
 * errors are Stripe-shaped, and POSTs honour `Idempotency-Key` (replayed with
 * `Idempotent-Replayed: true`; a reused key with other parameters is an `idempotency_error`).
 */
export function mountStripeApiRoutes(router: Router, context: StripeApiContext): void {
  const { backend, store } = context;
  const expandOf = (params: StripeParams) =>
    listParam(params, 'expand').filter((item): item is string => typeof item === 'string');
  const route = (method: 'GET' | 'POST' | 'DELETE', path: string, handler: Handler) =>
    router.add(method, path, (request) => handle(request, handler));

  function handle(request: SandboxRequest, handler: Handler): SandboxResponse {
    const requestId = `req_${randomToken(14)}`;
    const version =
      (typeof request.headers['stripe-version'] === 'string' && request.headers['stripe-version']) ||
      STRIPE_SANDBOX_API_VERSION;
    const headers: Record<string, string> = { 'request-id': requestId, 'stripe-version': version };
    const authError = authenticate(request, context.apiKey());
    if (authError) return { status: authError.status, json: authError.body, headers };
    const key =
      typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : undefined;
    const params = parseStripeParams(
      request.method === 'GET' || request.method === 'DELETE' ? request.query : request.body,
    );
    if (request.method !== 'POST' || !key) return run(handler, params, request, { id: requestId }, headers);
    headers['idempotency-key'] = key;
    const fingerprint = `${request.method} ${request.path} ${request.body}`;
    const saved = store.idempotency.get(key);
    if (saved && context.now() - saved.createdAt < IDEMPOTENCY_TTL_MS) {
      if (saved.fingerprint !== fingerprint) {
        return {
          status: 400,
          json: {
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            },
          },
          headers,
        };
      }
      return {
        status: saved.status,
        json: saved.body,
        headers: { ...headers, 'idempotent-replayed': 'true' },
      };
    }
    const response = run(handler, params, request, { id: requestId, idempotencyKey: key }, headers);
    // Only requests that started executing are saved: successes and card errors, not
    // validation errors (a corrected retry with the same key must be able to run).
    if ('json' in response && (response.status < 300 || response.status === 402)) {
      store.idempotency.set(key, {
        fingerprint,
        status: response.status,
        body: response.json,
        createdAt: context.now(),
      });
    }
    return response;
  }

  function run(
    handler: Handler,
    params: StripeParams,
    request: SandboxRequest,
    requestContext: StripeRequestContext,
    headers: Record<string, string>,
  ): SandboxResponse & { status: number } {
    try {
      const result = handler(params, request, requestContext);
      return { status: 200, json: result, headers };
    } catch (error) {
      if (error instanceof StripeApiError) {
        const body = structuredClone(error.body);
        body.error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestContext.id}`;
        return { status: error.status, json: body, headers };
      }
      throw error;
    }
  }

  const render = (object: StripeObject, params: StripeParams) => backend.render(object, expandOf(params));
  const listLimit = (params: StripeParams) => {
    const raw = stringParam(params, 'limit');
    const limit = raw === undefined ? 10 : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw invalidRequest('Invalid limit: must be between 1 and 100.', 'limit');
    return limit;
  };

  // Customers.
  route('POST', '/v1/customers', (params, _request, ctx) =>
    render(backend.createCustomer(params, ctx), params),
  );
  route('GET', '/v1/customers/:id', (params, request) =>
    render(backend.get(request.params.id as string, 'customer', 'customer'), params),
  );
  route('POST', '/v1/customers/:id', (params, request, ctx) =>
    render(backend.updateCustomer(request.params.id as string, params, ctx), params),
  );
  route('GET', '/v1/customers/:id/payment_methods', (params, request) => {
    const customer = backend.get(request.params.id as string, 'customer', 'customer');
    const type = stringParam(params, 'type');
    const methods = store.list(
      'payment_method',
      (item) => item.customer === customer.id && (!type || item.type === type),
    );
    return backend.listOf(
      methods.map((item) => backend.render(item)),
      `/v1/customers/${customer.id}/payment_methods`,
      listLimit(params),
    );
  });

  // Payment methods.
  route('POST', '/v1/payment_methods', (params) => render(backend.createPaymentMethod(params), params));
  route('GET', '/v1/payment_methods', (params) => {
    const customer = stringParam(params, 'customer');
    const methods = store.list('payment_method', (item) => !customer || item.customer === customer);
    return backend.listOf(
      methods.map((item) => backend.render(item)),
      '/v1/payment_methods',
      listLimit(params),
    );
  });
  route('GET', '/v1/payment_methods/:id', (params, request) =>
    render(backend.get(request.params.id as string, 'payment_method', 'PaymentMethod'), params),
  );
  route('POST', '/v1/payment_methods/:id/attach', (params, request, ctx) => {
    const customer = stringParam(params, 'customer');
    if (!customer) throw missingParam('customer');
    return render(backend.attach(request.params.id as string, customer, ctx), params);
  });
  route('POST', '/v1/payment_methods/:id/detach', (params, request, ctx) =>
    render(backend.detach(request.params.id as string, ctx), params),
  );

  // Payment intents.
  route('POST', '/v1/payment_intents', (params, _request, ctx) => {
    try {
      return render(backend.createPaymentIntent(params, ctx), params);
    } catch (error) {
      throw withExpandedIntent(error, params);
    }
  });
  route('GET', '/v1/payment_intents', (params) => {
    const customer = stringParam(params, 'customer');
    const intents = store.list('payment_intent', (item) => !customer || item.customer === customer);
    return backend.listOf(
      intents.map((item) => backend.render(item)),
      '/v1/payment_intents',
      listLimit(params),
    );
  });
  route('GET', '/v1/payment_intents/:id', (params, request) =>
    render(backend.get(request.params.id as string, 'payment_intent', 'payment_intent', 'intent'), params),
  );
  route('POST', '/v1/payment_intents/:id', (params, request, ctx) =>
    render(backend.updatePaymentIntent(request.params.id as string, params, ctx), params),
  );
  route('POST', '/v1/payment_intents/:id/confirm', (params, request, ctx) => {
    const intent = backend.get(request.params.id as string, 'payment_intent', 'payment_intent', 'intent');
    try {
      return render(backend.confirmPaymentIntent(intent, params, ctx), params);
    } catch (error) {
      throw withExpandedIntent(error, params);
    }
  });
  route('POST', '/v1/payment_intents/:id/capture', (params, request, ctx) =>
    render(backend.capturePaymentIntent(request.params.id as string, params, ctx), params),
  );
  route('POST', '/v1/payment_intents/:id/cancel', (params, request, ctx) =>
    render(backend.cancelPaymentIntent(request.params.id as string, params, ctx), params),
  );

  // Charges.
  route('GET', '/v1/charges/:id', (params, request) =>
    render(backend.get(request.params.id as string, 'charge', 'charge'), params),
  );
  route('GET', '/v1/charges', (params) => {
    const intent = stringParam(params, 'payment_intent');
    const charges = store.list('charge', (item) => !intent || item.payment_intent === intent);
    return backend.listOf(
      charges.map((item) => backend.render(item)),
      '/v1/charges',
      listLimit(params),
    );
  });

  // Refunds.
  route('POST', '/v1/refunds', (params, _request, ctx) => render(backend.createRefund(params, ctx), params));
  route('GET', '/v1/refunds', (params) => {
    const intent = stringParam(params, 'payment_intent');
    const charge = stringParam(params, 'charge');
    const refunds = store.list(
      'refund',
      (item) => (!intent || item.payment_intent === intent) && (!charge || item.charge === charge),
    );
    return backend.listOf(
      refunds.map((item) => backend.render(item)),
      '/v1/refunds',
      listLimit(params),
    );
  });
  route('GET', '/v1/refunds/:id', (params, request) =>
    render(backend.get(request.params.id as string, 'refund', 'refund'), params),
  );

  // Checkout sessions.
  route('POST', '/v1/checkout/sessions', (params) => render(backend.createCheckoutSession(params), params));
  route('GET', '/v1/checkout/sessions/:id', (params, request) =>
    render(
      backend.get(request.params.id as string, 'checkout.session', 'checkout.session', 'session'),
      params,
    ),
  );
  route('GET', '/v1/checkout/sessions/:id/line_items', (params, request) => {
    const session = backend.get(
      request.params.id as string,
      'checkout.session',
      'checkout.session',
      'session',
    );
    const items = store.lineItems.get(session.id) ?? [];
    return backend.listOf(items, `/v1/checkout/sessions/${session.id}/line_items`, listLimit(params));
  });
  route('POST', '/v1/checkout/sessions/:id/expire', (params, request, ctx) =>
    render(backend.expireCheckoutSession(request.params.id as string, ctx), params),
  );

  // Events.
  route('GET', '/v1/events/:id', (params, request) =>
    render(backend.get(request.params.id as string, 'event', 'event'), params),
  );
  route('GET', '/v1/events', (params) => {
    const type = stringParam(params, 'type');
    const events = [...store.events].reverse().filter((event) => !type || event.type === type);
    return backend.listOf(events, '/v1/events', listLimit(params));
  });

  // Webhook endpoints (Stripe returns the signing secret when creating one).
  route('POST', '/v1/webhook_endpoints', (params) => {
    const url = stringParam(params, 'url');
    if (!url) throw missingParam('url');
    const enabled = listParam(params, 'enabled_events').filter(
      (item): item is string => typeof item === 'string',
    );
    if (enabled.length === 0) throw missingParam('enabled_events');
    const endpoint: StripeWebhookEndpoint = {
      id: store.newId('we'),
      url,
      secret: `whsec_${randomToken(32)}`,
      enabledEvents: enabled,
      disabled: false,
      created: Math.floor(context.now() / 1000),
    };
    store.endpoints.set(endpoint.id, endpoint);
    return { ...endpointObject(endpoint), secret: endpoint.secret };
  });
  route('GET', '/v1/webhook_endpoints', () =>
    backend.listOf([...store.endpoints.values()].map(endpointObject), '/v1/webhook_endpoints', 100),
  );
  route('GET', '/v1/webhook_endpoints/:id', (_params, request) =>
    endpointObject(findEndpoint(request.params.id as string)),
  );
  route('POST', '/v1/webhook_endpoints/:id', (params, request) => {
    const endpoint = findEndpoint(request.params.id as string);
    const url = stringParam(params, 'url');
    if (url) endpoint.url = url;
    const enabled = listParam(params, 'enabled_events').filter(
      (item): item is string => typeof item === 'string',
    );
    if (enabled.length > 0) endpoint.enabledEvents = enabled;
    const disabled = stringParam(params, 'disabled');
    if (disabled !== undefined) endpoint.disabled = disabled === 'true';
    return endpointObject(endpoint);
  });
  route('DELETE', '/v1/webhook_endpoints/:id', (_params, request) => {
    const endpoint = findEndpoint(request.params.id as string);
    store.endpoints.delete(endpoint.id);
    return { id: endpoint.id, object: 'webhook_endpoint', deleted: true };
  });

  function findEndpoint(id: string): StripeWebhookEndpoint {
    const endpoint = store.endpoints.get(id);
    if (!endpoint) throw noSuch('webhook endpoint', id);
    return endpoint;
  }

  // A declined confirmation embeds the PaymentIntent; honour `expand` inside it too.
  function withExpandedIntent(error: unknown, params: StripeParams): unknown {
    if (!(error instanceof StripeApiError)) return error;
    const intent = error.body.error.payment_intent as StripeObject | undefined;
    const stored = intent ? store.find(intent.id) : undefined;
    if (stored) error.body.error.payment_intent = backend.render(stored, expandOf(params));
    return error;
  }
}

function endpointObject(endpoint: StripeWebhookEndpoint): StripeObject {
  return {
    id: endpoint.id,
    object: 'webhook_endpoint',
    api_version: null,
    application: null,
    created: endpoint.created,
    description: null,
    enabled_events: endpoint.enabledEvents,
    livemode: false,
    metadata: {},
    status: endpoint.disabled ? 'disabled' : 'enabled',
    url: endpoint.url,
  };
}

// stripe-node sends `Authorization: Bearer <key>`; curl's `-u sk_...:` sends Basic.
function authenticate(request: SandboxRequest, apiKey: string): StripeApiError | undefined {
  const header = request.headers.authorization;
  let key: string | undefined;
  if (typeof header === 'string') {
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    if (bearer) key = bearer[1];
    else if (basic)
      key = Buffer.from(basic[1] as string, 'base64')
        .toString('utf8')
        .split(':')[0];
  }
  if (!key) {
    return new StripeApiError(401, {
      type: 'invalid_request_error',
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    });
  }
  if (key !== apiKey) {
    return new StripeApiError(401, {
      type: 'invalid_request_error',
      message: `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`,
    });
  }
  return undefined;
}
