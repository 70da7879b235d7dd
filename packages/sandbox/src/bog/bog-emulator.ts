import { escapeHtml, renderCardForm, renderChallenge, renderPage } from '../hosted-page.js';
import type { RouteHandler, SandboxRequest, SandboxResponse } from '../router.js';
import type { GatewayEmulator, SandboxContext } from '../sandbox-context.js';
import { BOG_SANDBOX_TEST_CARDS, bogSandboxCard } from './bog-sandbox-cards.js';
import { bogDecimal } from './bog-sandbox-format.js';
import { BogSandboxError, parseBogOrderBody, readMoney } from './bog-sandbox-order-body.js';
import { generateBogSandboxKeyPair, signBogSandboxCallback } from './bog-sandbox-signing.js';
import { type BogSandboxOrder, BogSandboxStore } from './bog-sandbox-store.js';

/**
 * Settings that point `@colchis/bog` at the sandbox: spread them into `createBog` or `new BogClient`.
 */
export interface BogSandboxSettings {
  readonly environment: 'sandbox';
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenUrl: string;
  readonly apiUrl: string;
  readonly paymentPageUrl: string;
  /** The sandbox's own callback key: callbacks from the sandbox verify with it, not with BOG's. */
  readonly callbackPublicKey: string;
}

/** What tests need to know about the emulated Bank of Georgia Payments API v1. */
export interface BogSandbox {
  /** Base URL of everything BOG in the sandbox (`.../bog`). */
  url: string;
  /** The Payments API base (`.../bog/payments/v1`). */
  apiUrl: string;
  /** The token endpoint. */
  tokenUrl: string;
  /** The hosted payment page (`?order_id=`). */
  paymentPageUrl: string;
  clientId: string;
  clientSecret: string;
  /** PEM of the key callbacks are signed with (generated when the sandbox starts). */
  callbackPublicKey: string;
  /** The matching private key (PKCS#8 PEM), to sign callbacks of your own in tests. */
  callbackPrivateKey: string;
  /** Lifetime of the access tokens the sandbox issues, in ms. */
  tokenLifetimeMs: number;
  /** Ready-made client settings: `createBog({ ...sandbox.bog.settings })`. */
  settings: BogSandboxSettings;
  /** The hosted page's test cards and what each does. */
  testCards: ReadonlyArray<{ number: string; outcome: string }>;
  /** Every order's receipt (payment details), oldest first. */
  orders(): Array<Record<string, unknown>>;
  /** One order's receipt, or `undefined`. */
  order(id: string): Record<string, unknown> | undefined;
}

/** Options of {@link bogEmulator}. */
export interface BogEmulatorOptions {
  /** Access token lifetime in ms (default 10 minutes: short-lived, so refresh paths get exercised). */
  tokenLifetimeMs?: number | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
}

const TOKEN_PATH = '/auth/realms/bog/protocol/openid-connect/token';
const API_PATH = '/payments/v1';

function json(status: number, body: unknown): SandboxResponse {
  return { status, json: body };
}

function header(request: SandboxRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The Bank of Georgia Payments API v1 emulator: the Keycloak-style token endpoint (short-lived
 * tokens, `expires_in` as an epoch in ms, as the docs show), every documented endpoint with state,
 * `Idempotency-Key` replay, 400 "Invalid order_id" for unknown orders, a hosted page with test cards,
 * pre-authorization, refunds, saved cards, automatic charges, Apple Pay and Google Pay on the
 * merchant's page, and callbacks to `callback_url` signed with a key generated at start.
 */
export function bogEmulator(options: BogEmulatorOptions = {}): GatewayEmulator<BogSandbox> {
  const keys = generateBogSandboxKeyPair();
  const clientId = options.clientId ?? 'colchis-sandbox-client';
  const clientSecret = options.clientSecret ?? 'colchis-sandbox-secret';
  const tokenLifetimeMs = options.tokenLifetimeMs ?? 600_000;
  const tokens = new Map<string, number>();
  const replays = new Map<string, SandboxResponse>();
  let store: BogSandboxStore | undefined;

  function mount(context: SandboxContext): BogSandbox {
    const base = `${context.url}/bog`;
    const apiUrl = `${base}${API_PATH}`;
    const pageUrl = `${base}/payment`;
    const { router, clock, webhooks } = context;

    const orders = new BogSandboxStore(clock, (order) => {
      const body = JSON.stringify({
        event: 'order_payment',
        zoned_request_time: new Date(clock.now()).toISOString().replace('Z', '000Z'),
        body: orders.receipt(order, base),
      });
      webhooks.enqueue({
        gateway: 'bog',
        url: order.request.callbackUrl,
        body,
        headers: {
          'content-type': 'application/json',
          'callback-signature': signBogSandboxCallback(body, keys.privateKey),
        },
      });
    });
    store = orders;
    clock.onAdvance((now) => orders.sweep(now));

    const receipt = (order: BogSandboxOrder) => orders.receipt(order, base);
    const links = (order: BogSandboxOrder, extra: Record<string, unknown> = {}) => ({
      details: { href: `${apiUrl}/receipt/${order.id}` },
      ...extra,
    });
    const redirectOf = (order: BogSandboxOrder) => ({ href: `${pageUrl}/?order_id=${order.id}` });

    /** Authenticated, keyed API route: 401 without a live token, replay for a repeated key. */
    function api(
      handler: (request: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>,
    ): RouteHandler {
      return async (request) => {
        const authorization = header(request, 'authorization') ?? '';
        const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
        const expiresAt = token ? tokens.get(token) : undefined;
        if (expiresAt === undefined || clock.now() >= expiresAt) {
          return json(401, {
            error: 'invalid_token',
            message: 'The access token is missing, unknown or expired',
          });
        }
        const key = header(request, 'idempotency-key');
        const replayKey = key ? `${request.method} ${request.path} ${key}` : undefined;
        if (replayKey) {
          const previous = replays.get(replayKey);
          if (previous) return previous;
        }
        let result: SandboxResponse;
        try {
          result = await handler(request);
        } catch (error) {
          if (!(error instanceof BogSandboxError)) throw error;
          result = json(error.status, { error: error.error, message: error.message });
        }
        if (replayKey) replays.set(replayKey, result);
        return result;
      };
    }

    function orderResponse(order: BogSandboxOrder): SandboxResponse {
      const request = order.request;
      if (request.googlePay?.external) {
        const card = bogSandboxCard(
          /insufficient/i.test(request.googlePay.token ?? '') ? '4000000000000002' : '4000000000000001',
        );
        orders.pay(order, card, 'google_pay');
        return json(200, {
          id: order.id,
          status: order.status,
          order_details: receipt(order),
          _links: links(order),
        });
      }
      if (request.applePayExternal) {
        return json(200, {
          id: order.id,
          // A stand-in for the Apple Pay session payload BOG returns (its fields are not documented).
          result: {
            order_id: order.id,
            country_code: 'GE',
            currency_code: request.currency,
            total: { label: 'Colchis Sandbox', amount: bogDecimal(request.totalAmount) },
            merchant_capabilities: ['supports3DS'],
            supported_networks: ['visa', 'masterCard', 'amex'],
          },
          _links: links(order, { accept: { href: `${apiUrl}/ecommerce/orders/${order.id}/payment` } }),
        });
      }
      return json(200, { id: order.id, _links: links(order, { redirect: redirectOf(order) }) });
    }

    const languageOf = (request: SandboxRequest) =>
      (header(request, 'accept-language') ?? '').toLowerCase().startsWith('en') ? 'en' : 'ka';
    const themeOf = (request: SandboxRequest) =>
      (header(request, 'theme') ?? '').toLowerCase() === 'dark' ? 'dark' : 'light';

    router.add('POST', `/bog${TOKEN_PATH}`, (request) => {
      const basic = /^Basic\s+(.+)$/i.exec(header(request, 'authorization') ?? '')?.[1];
      const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
      const separator = decoded.indexOf(':');
      if (
        separator < 0 ||
        decoded.slice(0, separator) !== clientId ||
        decoded.slice(separator + 1) !== clientSecret
      ) {
        return json(401, {
          error: 'invalid_client',
          error_description: 'Invalid client or Invalid client credentials',
        });
      }
      if (request.form().get('grant_type') !== 'client_credentials') {
        return json(400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' });
      }
      const token = `sandbox.${globalThis.crypto.randomUUID()}`;
      const expiresAt = clock.now() + tokenLifetimeMs;
      tokens.set(token, expiresAt);
      // The docs call expires_in seconds but show an epoch in milliseconds: the sandbox sends that form.
      return json(200, { access_token: token, token_type: 'Bearer', expires_in: expiresAt });
    });

    router.add(
      'POST',
      `/bog${API_PATH}/ecommerce/orders`,
      api((request) => {
        const order = orders.create(parseBogOrderBody(request.json()), {
          language: languageOf(request),
          theme: themeOf(request),
        });
        return orderResponse(order);
      }),
    );

    router.add(
      'POST',
      `/bog${API_PATH}/ecommerce/orders/:id/subscribe`,
      api((request) => {
        const parent = orders.require(request.params.id as string);
        const body = request.json<Record<string, unknown>>() ?? {};
        for (const key of Object.keys(body)) {
          if (key !== 'callback_url' && key !== 'external_order_id') {
            throw new BogSandboxError(
              400,
              `Unknown field ${key}: an automatic payment takes the parent order's amount, currency and buyer; only callback_url and external_order_id may be given`,
            );
          }
        }
        const child = orders.chargeSubscription(parent, {
          callbackUrl: typeof body.callback_url === 'string' ? body.callback_url : undefined,
          externalOrderId: typeof body.external_order_id === 'string' ? body.external_order_id : undefined,
        });
        return json(200, { id: child.id, _links: links(child) });
      }),
    );

    router.add(
      'POST',
      `/bog${API_PATH}/ecommerce/orders/:id/payment`,
      api((request) => {
        const order = orders.require(request.params.id as string);
        if (!order.request.applePayExternal) {
          throw new BogSandboxError(400, 'The order was not created for an external Apple Pay payment');
        }
        const token = request.json<{ apple_pay_token?: unknown }>()?.apple_pay_token;
        if (typeof token !== 'string' || token === '') {
          throw new BogSandboxError(400, 'apple_pay_token is required (the Apple Pay payment, stringified)');
        }
        orders.pay(
          order,
          bogSandboxCard(/insufficient/i.test(token) ? '4000000000000002' : '4000000000000001'),
          'apple_pay',
        );
        return json(200, {
          id: order.id,
          status: order.status,
          order_details: receipt(order),
          _links: links(order),
        });
      }),
    );

    router.add(
      'POST',
      `/bog${API_PATH}/ecommerce/orders/:id`,
      api((request) => {
        const parent = orders.require(request.params.id as string);
        orders.savedCardOf(parent, 'recurrent');
        const order = orders.create(parseBogOrderBody(request.json()), {
          language: languageOf(request),
          theme: themeOf(request),
          parent,
          paymentOption: 'recurrent',
        });
        return orderResponse(order);
      }),
    );

    router.add(
      'GET',
      `/bog${API_PATH}/receipt/:id`,
      api((request) => json(200, receipt(orders.require(request.params.id as string)))),
    );

    const amountOf = (request: SandboxRequest): number | undefined => {
      const body = request.json<{ amount?: unknown }>();
      if (body === undefined && request.body.trim() !== '')
        throw new BogSandboxError(400, 'The body must be JSON');
      return body?.amount === undefined || body.amount === null
        ? undefined
        : readMoney(body.amount, 'amount', true);
    };

    router.add(
      'POST',
      `/bog${API_PATH}/payment/refund/:id`,
      api((request) => {
        const order = orders.require(request.params.id as string);
        const action = orders.refund(order, amountOf(request));
        return json(200, {
          key: 'request_received',
          message: 'Refund request received',
          action_id: action.id,
        });
      }),
    );

    router.add(
      'POST',
      `/bog${API_PATH}/payment/authorization/approve/:id`,
      api((request) => {
        const order = orders.require(request.params.id as string);
        const action = orders.approve(order, amountOf(request));
        return json(200, {
          key: 'request_received',
          message: 'Pre-authorization payment approval request received',
          action_id: action.id,
        });
      }),
    );

    router.add(
      'POST',
      `/bog${API_PATH}/payment/authorization/cancel/:id`,
      api((request) => {
        const order = orders.require(request.params.id as string);
        const action = orders.cancel(order);
        return json(200, {
          key: 'request_received',
          message: 'Pre-authorization payment cancellation request received',
          action_id: action.id,
        });
      }),
    );

    for (const [path, type] of [
      ['cards', 'recurrent'],
      ['subscriptions', 'subscription'],
    ] as const) {
      router.add(
        'PUT',
        `/bog${API_PATH}/orders/:id/${path}`,
        api((request) => {
          orders.requestCardSaving(orders.require(request.params.id as string), type);
          return { status: 202, text: '' };
        }),
      );
    }

    router.add(
      'DELETE',
      `/bog${API_PATH}/charges/card/:id`,
      api((request) => {
        const parent = orders.require(request.params.id as string);
        const saved = parent.savedCard;
        if (!saved?.active) throw new BogSandboxError(400, "Saved card wasn't found", 'saved_card_not_found');
        saved.active = false;
        return { status: 202, text: '' };
      }),
    );

    // The hosted payment page.
    const page = (title: string, body: string, status = 200): SandboxResponse => ({
      status,
      html: renderPage({ title, gateway: 'Bank of Georgia', body }),
    });
    const finish = (order: BogSandboxOrder): SandboxResponse => {
      const paid = order.status === 'completed' || order.status === 'blocked';
      const target = paid ? order.request.redirectUrls?.success : order.request.redirectUrls?.fail;
      if (target) return { status: 303, redirect: target };
      return page(
        'Payment result',
        `<h1 id="result">${paid ? 'Payment accepted' : 'Payment declined'}</h1><p>Order <code>${escapeHtml(order.id)}</code> is <strong id="status">${escapeHtml(order.status)}</strong>.</p>`,
      );
    };
    const pageOrder = (id: string | null): BogSandboxOrder | SandboxResponse => {
      if (!id) return page('Unknown order', '<h1>Unknown order</h1><p>order_id is missing.</p>', 400);
      try {
        return orders.require(id);
      } catch {
        return page(
          'Unknown order',
          `<h1>Unknown order</h1><p>No order <code>${escapeHtml(id)}</code>.</p>`,
          404,
        );
      }
    };

    router.add('GET', '/bog/payment', (request) => {
      const order = pageOrder(request.query.get('order_id'));
      if (!('id' in order)) return order;
      if (order.status !== 'created') {
        return page(
          'Order closed',
          `<h1>This order is ${escapeHtml(order.status)}</h1><p id="status">${escapeHtml(order.status)}${order.rejectReason ? ` (${escapeHtml(order.rejectReason)})` : ''}</p>`,
        );
      }
      const amountText = `${bogDecimal(order.request.totalAmount)} ${order.request.currency}`;
      const language = `<p class="muted">Language ${escapeHtml(order.language)}, theme ${escapeHtml(order.theme)}</p>`;
      if (order.parentOrderId) {
        const parent = orders.orders.get(order.parentOrderId);
        const saved = parent?.savedCard;
        return page(
          'Pay with your saved card',
          `<h1>Colchis Sandbox Merchant</h1><p class="amount" id="amount">${escapeHtml(amountText)}</p>${language}
<form method="post" action="${escapeHtml(`${pageUrl}/pay`)}" id="card-form"><input type="hidden" name="order_id" value="${escapeHtml(order.id)}"><input type="hidden" name="saved_card" value="1">
<p>Saved card ${escapeHtml(saved ? `${saved.card.number.slice(0, 6)}xxxxxx${saved.card.number.slice(-4)}` : '(none)')}</p>
<button type="submit" id="pay">Pay</button></form>`,
        );
      }
      return page(
        'Bank of Georgia payment',
        `${renderCardForm({
          action: `${pageUrl}/pay`,
          merchant: 'Colchis Sandbox Merchant',
          amountText,
          description: order.request.basket.map((item) => item.description ?? item.productId).join(', '),
          hidden: { order_id: order.id },
          cards: BOG_SANDBOX_TEST_CARDS,
          cancelUrl: `${pageUrl}/cancel?order_id=${encodeURIComponent(order.id)}`,
        })}${language}`,
      );
    });

    router.add('POST', '/bog/payment/pay', (request) => {
      const form = request.form();
      const order = pageOrder(form.get('order_id'));
      if (!('id' in order)) return order;
      if (order.status !== 'created') return finish(order);
      if (form.get('saved_card') && order.parentOrderId) {
        const parent = orders.orders.get(order.parentOrderId);
        const saved = parent?.savedCard;
        if (!saved?.active) return page('Saved card', "<h1>Saved card wasn't found</h1>", 400);
        const card = saved.card.rejectsLaterOperations
          ? { ...saved.card, result: 'declined' as const, code: '122' }
          : saved.card;
        orders.pay(order, card, 'card', saved.expiry);
        return finish(order);
      }
      const card = bogSandboxCard(form.get('card_number'));
      const expiry = form.get('expiry') ?? '12/30';
      if (card.result === 'three_d_secure') {
        return page(
          '3-D Secure',
          renderChallenge({
            action: `${pageUrl}/challenge`,
            hidden: { order_id: order.id, card_number: card.number, expiry },
            hint: 'Sandbox: the password 1234 passes, anything else fails.',
          }),
        );
      }
      orders.pay(order, card, 'card', expiry);
      return finish(order);
    });

    router.add('POST', '/bog/payment/challenge', (request) => {
      const form = request.form();
      const order = pageOrder(form.get('order_id'));
      if (!('id' in order)) return order;
      if (order.status !== 'created') return finish(order);
      const card = bogSandboxCard(form.get('card_number'));
      if (form.get('password') === '1234') orders.pay(order, card, 'card', form.get('expiry') ?? '12/30');
      else orders.declineAuthentication(order, card);
      return finish(order);
    });

    // The customer gives up: the order stays open until it expires, as on the real page.
    router.add('POST', '/bog/payment/cancel', (request) => {
      const order = pageOrder(request.query.get('order_id') ?? request.form().get('order_id'));
      if (!('id' in order)) return order;
      const target = order.request.redirectUrls?.fail;
      if (target) return { status: 303, redirect: target };
      return page('Payment cancelled', '<h1 id="result">Payment cancelled</h1>');
    });

    const settings: BogSandboxSettings = Object.freeze({
      environment: 'sandbox',
      clientId,
      clientSecret,
      tokenUrl: `${base}${TOKEN_PATH}`,
      apiUrl,
      paymentPageUrl: `${pageUrl}/`,
      callbackPublicKey: keys.publicKey,
    });
    return {
      url: base,
      apiUrl,
      tokenUrl: settings.tokenUrl,
      paymentPageUrl: settings.paymentPageUrl,
      clientId,
      clientSecret,
      callbackPublicKey: keys.publicKey,
      callbackPrivateKey: keys.privateKey,
      tokenLifetimeMs,
      settings,
      testCards: BOG_SANDBOX_TEST_CARDS.map(({ number, outcome }) => ({ number, outcome })),
      orders: () => [...orders.orders.values()].map(receipt),
      order(id) {
        const order = orders.orders.get(id);
        return order ? receipt(order) : undefined;
      },
    };
  }

  return {
    name: 'bog',
    mount,
    reset() {
      // Issued tokens survive a reset: clients keep them cached, and a reset that invalidated
      // them would turn the next call into a 401 + refresh that tests did not ask for.
      store?.reset();
      replays.clear();
    },
    describe(info) {
      return [
        `Bank of Georgia Payments API v1: ${info.apiUrl}`,
        `  token URL ${info.tokenUrl}, client id ${info.clientId}, client secret ${info.clientSecret}`,
        `  hosted page ${info.paymentPageUrl}?order_id=...`,
        "  callbacks are signed with the sandbox key (sandbox.bog.callbackPublicKey), not BOG's",
        ...info.testCards.map((card) => `  card ${card.number}: ${card.outcome}`),
      ];
    },
  };
}
