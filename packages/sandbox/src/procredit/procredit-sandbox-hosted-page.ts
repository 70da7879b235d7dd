import { toDecimalString } from '@colchis/core';
import { escapeHtml, renderCardForm, renderChallenge, renderPage } from '../hosted-page.js';
import type { Router, SandboxResponse } from '../router.js';
import { normalizeCardNumber } from '../test-cards.js';
import {
  declineFor,
  PROCREDIT_SANDBOX_CARDS,
  PROCREDIT_SANDBOX_CHALLENGE_PASSWORD,
  type ProCreditSandboxCard,
  procreditSandboxCard,
} from './procredit-sandbox-cards.js';
import type { ProCreditSandboxOrder, ProCreditSandboxStore } from './procredit-sandbox-store.js';

const GATEWAY = 'ProCredit (Quipu hosted page)';

/**
 * The hosted card page (`/procredit/flex?id=…&password=…`) on the sandbox's plain HTTP server:
 * it faces the customer's browser, which has no client certificate and does not trust the
 * sandbox CA. After paying, cancelling or failing, the browser is sent to `hppRedirectUrl` with
 * `ID`, `STATUS`, `PASSWORD` (and `TOKENID` when a card was saved), as the bank does.
 */
export function mountProCreditHostedPage(router: Router, store: ProCreditSandboxStore): void {
  function find(id: string | null, password: string | null): ProCreditSandboxOrder | SandboxResponse {
    const order = id && /^\d{1,12}$/.test(id) ? store.order(id) : undefined;
    if (!order || !password || order.password !== password) {
      return page(
        400,
        'Order not found',
        '<h1>Order not found</h1><p>The link is missing its id or password, or they do not match.</p>',
      );
    }
    if (order.status === 'Expired') {
      return page(
        410,
        'Order expired',
        '<h1>This payment has expired</h1><p>Return to the shop and start again.</p>',
      );
    }
    if (order.status !== 'Preparing' || !order.hppRedirectUrl) {
      return page(
        409,
        'Order processed',
        `<h1>This order was already processed</h1><p>Status: ${escapeHtml(order.status)}</p>`,
      );
    }
    return order;
  }

  router.add('GET', '/procredit/flex', (request) => {
    const order = find(request.query.get('id'), request.query.get('password'));
    if (!isOrder(order)) return order;
    const hidden = { id: String(order.id), password: order.password };
    const saves = order.hppCofCapturePurposes.length > 0;
    return page(
      200,
      'Pay by card',
      `${renderCardForm({
        action: '/procredit/flex/pay',
        merchant: 'Colchis Sandbox Merchant',
        amountText: `${toDecimalString(order.amount, order.currency)} ${order.currency}`,
        description: order.description,
        hidden,
        cards: PROCREDIT_SANDBOX_CARDS.map((card) => ({ number: card.number, outcome: card.description })),
        cancelUrl: `/procredit/flex/cancel?${new URLSearchParams(hidden)}`,
      })}${saves ? '<p class="muted" id="save-card-notice">Your card will be saved for future payments to this shop.</p>' : ''}`,
    );
  });

  router.add('POST', '/procredit/flex/pay', (request) => {
    const form = request.form();
    const order = find(form.get('id'), form.get('password'));
    if (!isOrder(order)) return order;
    const number = normalizeCardNumber(form.get('card_number'));
    const card = procreditSandboxCard(number);
    const expiration = (form.get('expiry') ?? '').replace(/\D/g, '').slice(0, 4) || '1230';
    if (card?.outcome === 'three_d_secure') {
      return page(
        200,
        '3-D Secure',
        renderChallenge({
          action: '/procredit/flex/challenge',
          hidden: {
            id: String(order.id),
            order_password: order.password,
            card_number: number,
            expiry: expiration,
          },
          hint: `Sandbox issuer: the password "${PROCREDIT_SANDBOX_CHALLENGE_PASSWORD}" approves, anything else fails.`,
        }),
      );
    }
    return finish(order, card, expiration, card ? card.outcome : 'invalid_card');
  });

  router.add('POST', '/procredit/flex/challenge', (request) => {
    const form = request.form();
    // The challenge form's own field is `password`; the order's travels as `order_password`.
    const order = find(form.get('id'), form.get('order_password'));
    if (!isOrder(order)) return order;
    const card = procreditSandboxCard(form.get('card_number'));
    const passed = form.get('password') === PROCREDIT_SANDBOX_CHALLENGE_PASSWORD;
    return finish(order, card, form.get('expiry') ?? '1230', passed ? 'success' : 'authentication_failed');
  });

  router.add('POST', '/procredit/flex/cancel', (request) => {
    const order = find(request.query.get('id'), request.query.get('password'));
    if (!isOrder(order)) return order;
    // Kapital's definition: "Refused: the consumer refused to pay".
    store.setStatus(order, 'Refused');
    return { status: 303, redirect: returnUrl(order) };
  });

  function finish(
    order: ProCreditSandboxOrder,
    card: ProCreditSandboxCard | undefined,
    expiration: string,
    outcome: string,
  ): SandboxResponse {
    order.card = card;
    order.cardExpiration = expiration;
    if (outcome === 'success' && card) {
      if (order.kind === 'preauthorization') {
        order.authorized = order.amount;
        order.authorizedAt = store.now();
        store.setStatus(order, 'Authorized');
        store.addTransaction(order, {
          clearAmount: 0,
          description: 'Preauthorization',
          phase: 'Auth',
          type: 'Purchase',
          isReversal: false,
        });
      } else {
        order.cleared = order.amount;
        order.clearedOn = store.today();
        store.setStatus(order, 'FullyPaid');
        store.addTransaction(order, {
          clearAmount: order.amount,
          description: 'Purchase',
          phase: 'Single',
          type: 'Purchase',
          isReversal: false,
        });
      }
      if (order.hppCofCapturePurposes.length > 0) store.saveCard(order, card, expiration);
    } else {
      const decline = declineFor(outcome as Parameters<typeof declineFor>[0]);
      order.declineCode = decline.pmoResultCode;
      order.declineDescription = decline.description;
      store.setStatus(order, decline.status);
    }
    return { status: 303, redirect: returnUrl(order) };
  }
}

/** `hppRedirectUrl` with the bank's return parameters set through the URL API. */
function returnUrl(order: ProCreditSandboxOrder): string {
  const url = new URL(order.hppRedirectUrl as string);
  url.searchParams.set('ID', String(order.id));
  url.searchParams.set('STATUS', order.status);
  url.searchParams.set('PASSWORD', order.password);
  if (order.storedTokenId !== undefined) url.searchParams.set('TOKENID', String(order.storedTokenId));
  return url.toString();
}

function page(status: number, title: string, body: string): SandboxResponse {
  return { status, html: renderPage({ title, gateway: GATEWAY, body }) };
}

function isOrder(value: ProCreditSandboxOrder | SandboxResponse): value is ProCreditSandboxOrder {
  return typeof (value as ProCreditSandboxOrder).password === 'string' && 'kind' in value;
}
