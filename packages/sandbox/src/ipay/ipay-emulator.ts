import { randomBytes } from 'node:crypto';
import { toDecimalString, toMinorUnits } from '@colchis/core';
import type { SandboxRequest, SandboxResponse } from '../router.js';
import type { GatewayEmulator, SandboxContext } from '../sandbox-context.js';
import {
  renderIpayClosedPage,
  renderIpayPaymentPage,
  renderIpayUnknownOrderPage,
} from './ipay-hosted-page.js';
import {
  callbackFields,
  IPAY_HOLD_LIFETIME_MS,
  IPAY_UNPAID_ORDER_LIFETIME_MS,
  type IpaySandboxOrder,
  ipayHexId,
  ipayTransactionId,
  orderDetailsBody,
  paymentDetailsBody,
} from './ipay-orders.js';
import { findIpayTestCard, IPAY_TEST_CARDS, type IpayTestCard, maskIpayPan } from './ipay-test-cards.js';

export type { IpaySandboxOrder } from './ipay-orders.js';
export { IPAY_TEST_CARDS, type IpayCardOutcome, type IpayTestCard } from './ipay-test-cards.js';

/** The merchant's two callback URLs (iPay registers them per merchant, not per order). */
export interface IpayCallbackUrls {
  /** "Payment status change" callback. */
  paymentStatus?: string | undefined;
  /** "Payment amount return" callback (after refunds). */
  amountReturn?: string | undefined;
}

/** What tests need to know about the emulated Bank of Georgia iPay, and how to steer it. */
export interface IpaySandbox {
  /** Base URL of the emulated API (`.../ipay/opay/api/v1`), the counterpart of `https://ipay.ge/opay/api/v1`. */
  url: string;
  /** The hosted payment page (`.../ipay/`), the counterpart of `https://ipay.ge/`. */
  hostedPageUrl: string;
  /** The sandbox merchant's `client_id` (iPay's public demo id). */
  clientId: string;
  /** The sandbox merchant's `secret_key` (iPay's public demo key). */
  secretKey: string;
  /** Settings for `createIpay` / `createIpayClient` from `@colchis/bog/ipay`. */
  settings: { baseUrl: string; clientId: string; secretKey: string };
  /** Lifetime of the access tokens it issues (short, so refresh paths get exercised). */
  tokenLifetimeMs: number;
  testCards: readonly IpayTestCard[];
  /**
   * Registers the merchant's callback URLs, as a merchant does with the bank. Without them no
   * callback is sent. They survive `reset()` (they are configuration, not state).
   * Also available as `PUT /ipay/_sandbox/callback-urls` with `{ paymentStatus, amountReturn }`.
   */
  registerCallbackUrls(urls: IpayCallbackUrls): void;
  /** Recurring payments are off by default at BOG; the sandbox has them on. Turn off to test the refusal. */
  setRecurringEnabled(enabled: boolean): void;
  /** An order's state (for assertions), or `undefined`. */
  getOrder(orderId: string): Readonly<IpaySandboxOrder> | undefined;
  /** Every order, oldest first. */
  listOrders(): ReadonlyArray<Readonly<IpaySandboxOrder>>;
}

/** Options of {@link ipayEmulator}. */
export interface IpayEmulatorOptions {
  /** Default 5 minutes. */
  tokenLifetimeMs?: number | undefined;
  /** How long a recurring charge stays `in_progress` before settling (real ms). Default 20. */
  recurringSettleMs?: number | undefined;
}

// iPay's public demo credentials, printed in its docs and samples: fine for a sandbox.
const CLIENT_ID = '1006';
const SECRET_KEY = '581ba5eeadd657c8ccddc74c839bd3ad';
const API_PATH = '/ipay/opay/api/v1';

/**
 * The Bank of Georgia iPay emulator: OAuth token endpoint (epoch-ms `expires_in`), orders with
 * state, the hosted payment page with test cards (and internet-bank login for `CAPTURE`),
 * payment and order details, refunds (form-encoded), recurring charges, pre-authorization
 * completion, and unsigned form-encoded callbacks to the merchant's registered URLs. Unpaid orders
 * expire after an hour and holds are released after 30 days of sandbox clock.
 */
export function ipayEmulator(options: IpayEmulatorOptions = {}): GatewayEmulator<IpaySandbox> {
  const tokenLifetimeMs = options.tokenLifetimeMs ?? 5 * 60 * 1000;
  const recurringSettleMs = options.recurringSettleMs ?? 20;
  const orders = new Map<string, IpaySandboxOrder>();
  const tokens = new Map<string, number>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let callbackUrls: IpayCallbackUrls = {};
  let recurringEnabled = true;
  let paymentCounter = 18_000;

  return {
    name: 'ipay',
    mount(context: SandboxContext): IpaySandbox {
      const { router, clock } = context;
      const api = `${context.url}${API_PATH}`;
      const pageUrl = `${context.url}/ipay/`;

      function sendCallback(order: IpaySandboxOrder, kind: 'payment_status' | 'amount_return'): void {
        const url = kind === 'payment_status' ? callbackUrls.paymentStatus : callbackUrls.amountReturn;
        if (!url) return;
        context.webhooks.enqueue({
          gateway: 'ipay',
          url,
          body: new URLSearchParams(callbackFields(order, kind)).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
      }

      // Time-driven changes the docs describe, applied on access and whenever the clock moves.
      function expire(order: IpaySandboxOrder, now: number): void {
        if (
          order.status === 'in_progress' &&
          order.parentOrderId === undefined &&
          now - order.createdAt >= IPAY_UNPAID_ORDER_LIFETIME_MS
        ) {
          decline(order, now);
          sendCallback(order, 'payment_status');
        } else if (
          order.status === 'success' &&
          order.preAuthStatus === 'in_progress' &&
          now - (order.paidAt ?? order.createdAt) >= IPAY_HOLD_LIFETIME_MS
        ) {
          order.preAuthStatus = 'success_unblocked';
          order.updatedAt = now;
          sendCallback(order, 'payment_status');
        }
      }
      clock.onAdvance((now) => {
        for (const order of orders.values()) expire(order, now);
      });

      function find(orderId: string | null | undefined): IpaySandboxOrder | undefined {
        const order = orderId ? orders.get(orderId) : undefined;
        if (order) expire(order, clock.now());
        return order;
      }

      function authorize(request: SandboxRequest): SandboxResponse | undefined {
        const header = String(request.headers.authorization ?? '');
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        const expiresAt = match ? tokens.get(match[1] as string) : undefined;
        if (expiresAt === undefined || expiresAt <= clock.now()) {
          if (match) tokens.delete(match[1] as string);
          return {
            status: 401,
            json: {
              error: 'invalid_token',
              error_description: 'Access token is missing, invalid or expired',
            },
          };
        }
        return undefined;
      }

      router.add('POST', `${API_PATH}/oauth2/token`, (request) => {
        const header = String(request.headers.authorization ?? '');
        const match = /^Basic\s+(\S+)$/i.exec(header);
        const credentials = match ? Buffer.from(match[1] as string, 'base64').toString('utf8') : '';
        if (credentials !== `${CLIENT_ID}:${SECRET_KEY}`) {
          return {
            status: 401,
            json: { error: 'invalid_client', error_description: 'Bad client credentials' },
          };
        }
        if (request.form().get('grant_type') !== 'client_credentials') {
          return {
            status: 400,
            json: {
              error: 'unsupported_grant_type',
              error_description: 'grant_type must be client_credentials',
            },
          };
        }
        const token = `ipay_sandbox_${randomBytes(24).toString('base64url')}`;
        const expiresAt = clock.now() + tokenLifetimeMs;
        tokens.set(token, expiresAt);
        // iPay's examples give expires_in as an epoch in milliseconds.
        return {
          status: 200,
          json: { access_token: token, token_type: 'Bearer', app_id: 'SANDBOX', expires_in: expiresAt },
        };
      });

      router.add('POST', `${API_PATH}/checkout/orders`, (request) => {
        const denied = authorize(request);
        if (denied) return denied;
        const body = request.json<Record<string, unknown>>();
        if (!body || typeof body !== 'object') return invalid('The body must be JSON.');
        const intent = body.intent;
        if (intent !== 'CAPTURE' && intent !== 'AUTHORIZE')
          return invalid('intent must be CAPTURE or AUTHORIZE.');
        const redirectUrl = body.redirect_url;
        if (typeof redirectUrl !== 'string' || !/^https?:\/\//i.test(redirectUrl)) {
          return invalid('redirect_url is required (an absolute URL).');
        }
        const units = body.purchase_units;
        const unit = Array.isArray(units) ? (units[0] as Record<string, unknown> | undefined) : undefined;
        const unitAmount = unit?.amount as Record<string, unknown> | undefined;
        if (unitAmount?.currency_code !== 'GEL') {
          return invalid('purchase_units[0].amount.currency_code must be GEL.');
        }
        const amount = tetri(unitAmount.value);
        if (amount === undefined || amount <= 0)
          return invalid('purchase_units[0].amount.value must be a positive amount.');
        const items = body.items;
        if (!Array.isArray(items) || items.length === 0)
          return invalid('items must list at least one product.');
        for (const item of items as Array<Record<string, unknown>>) {
          if (
            tetri(item?.amount) === undefined ||
            typeof item.description !== 'string' ||
            item.product_id === undefined ||
            !(Number(item.quantity) >= 1)
          ) {
            return invalid('every item needs amount, description, quantity and product_id.');
          }
        }
        const captureMethod = body.capture_method ?? 'AUTOMATIC';
        if (captureMethod !== 'AUTOMATIC' && captureMethod !== 'MANUAL') {
          return invalid('capture_method must be AUTOMATIC or MANUAL.');
        }
        const now = clock.now();
        const order: IpaySandboxOrder = {
          orderId: ipayHexId(),
          paymentHash: ipayHexId(),
          shopOrderId: textOrUndefined(body.shop_order_id),
          intent,
          captureMethod,
          amount,
          items: (items as Array<Record<string, unknown>>).map((item) => ({
            amount: String(item.amount),
            description: String(item.description),
            quantity: Number(item.quantity),
            product_id: String(item.product_id),
          })),
          redirectUrl,
          locale: textOrUndefined(body.locale),
          status: 'in_progress',
          statusDescription: 'CREATED',
          paymentMethod: 'UNKNOWN',
          cardType: 'UNKNOWN',
          pan: undefined,
          transactionId: undefined,
          ipayPaymentId: String(++paymentCounter),
          preAuthStatus: undefined,
          captured: 0,
          refunded: 0,
          cardOutcome: undefined,
          parentOrderId: undefined,
          createdAt: now,
          updatedAt: now,
          paidAt: undefined,
        };
        orders.set(order.orderId, order);
        const locale = order.locale === 'en-US' ? 'en-US' : 'ka';
        return {
          status: 200,
          json: {
            status: 'CREATED',
            payment_hash: order.paymentHash,
            links: [
              { href: `${api}/checkout/orders/${order.orderId}`, rel: 'self', method: 'GET' },
              {
                href: `${pageUrl}?order_id=${order.orderId}&locale=${locale}`,
                rel: 'approve',
                method: 'REDIRECT',
              },
            ],
            order_id: order.orderId,
          },
        };
      });

      router.add('GET', `${API_PATH}/checkout/orders/:id`, (request) => {
        const denied = authorize(request);
        if (denied) return denied;
        const order = find(request.params.id);
        return order ? { status: 200, json: orderDetailsBody(order) } : unknownOrder(request.params.id);
      });

      router.add('GET', `${API_PATH}/checkout/payment/:id`, (request) => {
        const denied = authorize(request);
        if (denied) return denied;
        const order = find(request.params.id);
        return order ? { status: 200, json: paymentDetailsBody(order) } : unknownOrder(request.params.id);
      });

      router.add('POST', `${API_PATH}/checkout/refund`, (request) => {
        const denied = authorize(request);
        if (denied) return denied;
        const form = request.form();
        const order = find(form.get('order_id'));
        if (!order) return unknownOrder(form.get('order_id'));
        const requested = form.get('amount');
        const amount = requested === null || requested === '' ? undefined : tetri(requested);
        if (requested !== null && requested !== '' && (amount === undefined || amount <= 0)) {
          return invalid('amount must be a positive amount in GEL.');
        }
        if (order.status !== 'success') return invalid('Only a successful payment can be returned.');
        if (order.cardOutcome === 'success_then_reject') return invalid('The issuer rejected the return.');
        const now = clock.now();
        if (order.preAuthStatus === 'in_progress') {
          // Returning a held amount unblocks it (the docs: "the return method should be used to unblock").
          if (amount !== undefined) return invalid('A held amount can only be returned in full.');
          order.preAuthStatus = 'success_unblocked';
          order.updatedAt = now;
          sendCallback(order, 'amount_return');
          return { status: 200, text: '' };
        }
        if (order.preAuthStatus === 'success_unblocked')
          return invalid('The held amount was already released.');
        const remaining = order.captured - order.refunded;
        if (remaining <= 0) return invalid('The payment was already returned in full.');
        if (amount !== undefined && amount >= order.captured) {
          return invalid(
            'A partial amount must be less than the paid amount; omit amount for a full return.',
          );
        }
        if (amount !== undefined && amount > remaining)
          return invalid('The amount exceeds what is left to return.');
        order.refunded += amount ?? remaining;
        order.updatedAt = now;
        sendCallback(order, 'amount_return');
        // The docs show no response body for a return: a 200 is the answer.
        return { status: 200, text: '' };
      });

      router.add('POST', `${API_PATH}/checkout/payment/subscription`, (request) => {
        const denied = authorize(request);
        if (denied) return denied;
        if (!recurringEnabled) {
          return {
            status: 403,
            json: { error: 'forbidden', message: 'Recurring payments are not enabled for this merchant' },
          };
        }
        const body = request.json<Record<string, unknown>>();
        const parent = find(textOrUndefined(body?.order_id));
        if (!parent) return unknownOrder(textOrUndefined(body?.order_id) ?? null);
        const amountBody = body?.amount as Record<string, unknown> | undefined;
        if (amountBody?.currency_code !== 'GEL') return invalid('amount.currency_code must be GEL.');
        const amount = tetri(amountBody.value);
        if (amount === undefined || amount <= 0) return invalid('amount.value must be a positive amount.');
        if (parent.status !== 'success' || parent.paymentMethod !== 'GC_CARD' || !parent.transactionId) {
          return invalid('order_id must be a successful card payment to charge again.');
        }
        const now = clock.now();
        const child: IpaySandboxOrder = {
          ...parent,
          orderId: ipayHexId(),
          paymentHash: ipayHexId(),
          shopOrderId: textOrUndefined(body?.shop_order_id),
          captureMethod: 'AUTOMATIC',
          amount,
          items: [
            {
              amount: toDecimalString(amount, 'GEL'),
              description: textOrUndefined(body?.purchase_description) ?? 'Recurring payment',
              quantity: 1,
              product_id: 'recurring',
            },
          ],
          status: 'in_progress',
          statusDescription: 'CREATED',
          transactionId: undefined,
          ipayPaymentId: String(++paymentCounter),
          preAuthStatus: undefined,
          captured: 0,
          refunded: 0,
          parentOrderId: parent.orderId,
          createdAt: now,
          updatedAt: now,
          paidAt: undefined,
        };
        orders.set(child.orderId, child);
        // "In most cases, the Payment Status will be in_progress": settle a moment later.
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (orders.get(child.orderId) !== child) return;
          const settledAt = clock.now();
          if (child.cardOutcome === 'success_then_reject') {
            decline(child, settledAt);
          } else {
            child.status = 'success';
            child.statusDescription = 'PERFORMED';
            child.transactionId = ipayTransactionId();
            child.captured = child.amount;
            child.paidAt = settledAt;
            child.updatedAt = settledAt;
          }
          sendCallback(child, 'payment_status');
        }, recurringSettleMs);
        timers.add(timer);
        return {
          status: 200,
          json: { status: 'in_progress', payment_hash: child.paymentHash, order_id: child.orderId },
        };
      });

      router.add('POST', `${API_PATH}/checkout/payment/:id/pre-auth/completion`, (request) => {
        const denied = authorize(request);
        if (denied) return denied;
        const order = find(request.params.id);
        if (!order) return unknownOrder(request.params.id);
        const body = request.json<Record<string, unknown>>();
        const authType = body?.auth_type;
        if (authType !== 'FULL_COMPLETE' && authType !== 'PARTIAL_COMPLETE' && authType !== 'CANCEL') {
          return invalid('auth_type must be FULL_COMPLETE, PARTIAL_COMPLETE or CANCEL.');
        }
        if (order.captureMethod !== 'MANUAL')
          return invalid('The order was not created with capture_method MANUAL.');
        if (order.status !== 'success') return invalid('The order holds no amount yet.');
        if (order.preAuthStatus === 'success_unblocked')
          return invalid('The held amount was already released.');
        if (order.preAuthStatus === 'success') {
          if (authType === 'CANCEL') return invalid('The pre-authorization was already completed.');
          return { status: 200, json: { status: 'success', description: 'Already completed successful' } };
        }
        const now = clock.now();
        if (authType === 'CANCEL') {
          order.preAuthStatus = 'success_unblocked';
        } else {
          let captured = order.amount;
          if (authType === 'PARTIAL_COMPLETE') {
            const partial = tetri(body?.amount);
            if (partial === undefined || partial <= 0 || partial >= order.amount) {
              return invalid('A PARTIAL_COMPLETE amount must be positive and less than the held amount.');
            }
            captured = partial;
          }
          order.preAuthStatus = 'success';
          order.captured = captured;
        }
        order.updatedAt = now;
        sendCallback(order, 'payment_status');
        return {
          status: 200,
          json: { status: 'success', description: 'Pre-authorization successfully completed' },
        };
      });

      router.add('GET', '/ipay', (request) => {
        const orderId = request.query.get('order_id') ?? '';
        const order = find(orderId);
        if (!order) return { status: 404, html: renderIpayUnknownOrderPage(orderId) };
        if (order.status !== 'in_progress' || order.parentOrderId !== undefined) {
          return { status: 200, html: renderIpayClosedPage(order) };
        }
        return { status: 200, html: renderIpayPaymentPage(order, pageUrl) };
      });

      router.add('POST', '/ipay/pay', (request) => {
        const form = request.form();
        const order = find(form.get('order_id'));
        if (!order) return { status: 404, html: renderIpayUnknownOrderPage(form.get('order_id') ?? '') };
        if (order.status !== 'in_progress' || order.parentOrderId !== undefined) {
          return { status: 409, html: renderIpayClosedPage(order) };
        }
        const now = clock.now();
        if (form.get('method') === 'bog_login') {
          if (order.intent.toUpperCase() !== 'CAPTURE')
            return { status: 400, html: renderIpayClosedPage(order) };
          succeed(order, now, {
            paymentMethod: 'BOG_CARD',
            cardType: 'MC',
            pan: undefined,
            transactionId: undefined,
          });
        } else {
          const number = form.get('card_number') ?? '';
          const card = findIpayTestCard(number);
          if (!card || card.outcome === 'insufficient_funds' || card.outcome === 'declined') {
            decline(order, now);
          } else {
            succeed(order, now, {
              paymentMethod: 'GC_CARD',
              cardType: card.cardType,
              pan: maskIpayPan(card.number),
              transactionId: ipayTransactionId(),
            });
            order.cardOutcome = card.outcome;
          }
        }
        sendCallback(order, 'payment_status');
        return { status: 302, redirect: order.redirectUrl };
      });

      router.add('POST', '/ipay/cancel', (request) => {
        const order = find(request.query.get('order_id'));
        if (!order)
          return { status: 404, html: renderIpayUnknownOrderPage(request.query.get('order_id') ?? '') };
        if (order.status === 'in_progress' && order.parentOrderId === undefined) {
          decline(order, clock.now());
          sendCallback(order, 'payment_status');
        }
        return { status: 302, redirect: order.redirectUrl };
      });

      router.add('PUT', '/ipay/_sandbox/callback-urls', (request) => {
        const body = request.json<IpayCallbackUrls>() ?? {};
        callbackUrls = { paymentStatus: body.paymentStatus, amountReturn: body.amountReturn };
        return { status: 200, json: callbackUrls };
      });
      router.add('GET', '/ipay/_sandbox/callback-urls', () => ({ status: 200, json: callbackUrls }));

      return {
        url: api,
        hostedPageUrl: pageUrl,
        clientId: CLIENT_ID,
        secretKey: SECRET_KEY,
        settings: { baseUrl: api, clientId: CLIENT_ID, secretKey: SECRET_KEY },
        tokenLifetimeMs,
        testCards: IPAY_TEST_CARDS,
        registerCallbackUrls(urls) {
          callbackUrls = { paymentStatus: urls.paymentStatus, amountReturn: urls.amountReturn };
        },
        setRecurringEnabled(enabled) {
          recurringEnabled = enabled;
        },
        getOrder: (orderId) => find(orderId),
        listOrders: () => [...orders.values()],
      };
    },
    reset() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      orders.clear();
      // Issued tokens survive a reset (clients keep them cached), as in the BOG emulator.
      recurringEnabled = true;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
    describe(info) {
      return [
        `Bank of Georgia iPay (legacy): API ${info.url}, payment page ${info.hostedPageUrl}`,
        `  client_id ${info.clientId}, secret_key ${info.secretKey} (iPay's public demo credentials)`,
        '  callbacks go to the URLs registered with PUT /ipay/_sandbox/callback-urls',
        ...info.testCards.map((card) => `  test card ${card.number}: ${card.label}`),
      ];
    },
  };
}

function succeed(
  order: IpaySandboxOrder,
  now: number,
  card: Pick<IpaySandboxOrder, 'paymentMethod' | 'cardType' | 'pan' | 'transactionId'>,
): void {
  Object.assign(order, card);
  order.status = 'success';
  order.statusDescription = 'PERFORMED';
  order.paidAt = now;
  order.updatedAt = now;
  if (order.captureMethod === 'MANUAL') {
    order.preAuthStatus = 'in_progress';
    order.captured = 0;
  } else {
    order.captured = order.amount;
  }
}

function decline(order: IpaySandboxOrder, now: number): void {
  order.status = 'error';
  order.statusDescription = 'REJECTED';
  order.paymentMethod = 'UNKNOWN';
  order.cardType = 'UNKNOWN';
  order.pan = undefined;
  order.transactionId = undefined;
  order.updatedAt = now;
}

function tetri(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  try {
    return toMinorUnits(value, 'GEL');
  } catch {
    return undefined;
  }
}

function textOrUndefined(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function invalid(message: string): SandboxResponse {
  return { status: 400, json: { error: 'invalid_request', message } };
}

function unknownOrder(orderId: string | null | undefined): SandboxResponse {
  // Bank of Georgia answers an unknown order id with 400, not 404.
  return { status: 400, json: { error: 'invalid_request', message: `Order ${orderId ?? ''} not found` } };
}
