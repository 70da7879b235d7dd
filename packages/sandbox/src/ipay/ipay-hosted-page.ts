import { toDecimalString } from '@colchis/core';
import { escapeHtml, renderCardForm, renderPage } from '../hosted-page.js';
import type { IpaySandboxOrder } from './ipay-orders.js';
import { IPAY_TEST_CARDS } from './ipay-test-cards.js';

/**
 * The iPay payment page of an order: the card form (test cards listed) and, for `intent:
 * CAPTURE`, the Bank of Georgia internet-bank login option that iPay offers besides cards.
 */
export function renderIpayPaymentPage(order: IpaySandboxOrder, pageUrl: string): string {
  const action = `${pageUrl}pay`;
  const cardForm = renderCardForm({
    action,
    merchant: 'iPay sandbox merchant',
    amountText: `${toDecimalString(order.amount, 'GEL')} GEL`,
    description: order.items.map((item) => item.description).join(', '),
    hidden: { order_id: order.orderId },
    cards: IPAY_TEST_CARDS.map((card) => ({ number: card.number, outcome: card.label })),
    cancelUrl: `${pageUrl}cancel?order_id=${encodeURIComponent(order.orderId)}`,
  });
  const bankLogin =
    order.intent.toUpperCase() === 'CAPTURE'
      ? `<form method="post" action="${escapeHtml(action)}" id="bog-login-form">
<input type="hidden" name="order_id" value="${escapeHtml(order.orderId)}">
<input type="hidden" name="method" value="bog_login">
<button type="submit" id="pay-with-bog-login">Pay with Bank of Georgia internet bank</button></form>`
      : '';
  const hold =
    order.captureMethod === 'MANUAL'
      ? '<p class="muted" id="hold-note">The amount will be held (pre-authorization), not taken yet.</p>'
      : '';
  return renderPage({
    title: 'iPay payment',
    gateway: 'Bank of Georgia iPay',
    body: cardForm + hold + bankLogin,
  });
}

/** The page shown for an order that can no longer be paid. */
export function renderIpayClosedPage(order: IpaySandboxOrder): string {
  return renderPage({
    title: 'iPay payment',
    gateway: 'Bank of Georgia iPay',
    body: `<h1>This order is ${order.status === 'success' ? 'already paid' : 'closed'}</h1>
<p id="order-status">${escapeHtml(order.status)} (${escapeHtml(order.statusDescription)})</p>
<p><a href="${escapeHtml(order.redirectUrl)}" id="back">Back to the shop</a></p>`,
  });
}

/** The page shown for an unknown order id. */
export function renderIpayUnknownOrderPage(orderId: string): string {
  return renderPage({
    title: 'iPay payment',
    gateway: 'Bank of Georgia iPay',
    body: `<h1>Unknown order</h1><p>No iPay order ${escapeHtml(orderId)}.</p>`,
  });
}
