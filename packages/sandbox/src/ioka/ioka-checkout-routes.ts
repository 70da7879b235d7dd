import { toDecimalString } from '@colchis/core';
import { escapeHtml, renderCardForm, renderChallenge, renderPage } from '../hosted-page.js';
import type { Router, SandboxRequest, SandboxResponse } from '../router.js';
import { normalizeCardNumber } from '../test-cards.js';
import { IOKA_ACS_PASSWORD, IOKA_TEST_CARDS } from './ioka-sandbox-cards.js';
import { type IokaCardSource, type IokaSandboxEngine, IokaSandboxError } from './ioka-sandbox-engine.js';
import type { IokaOrderRecord, IokaPaymentRecord } from './ioka-sandbox-records.js';

// ioka's hosted pages in the sandbox: the order checkout page (`order.checkout_url`), the 3-D
// Secure challenge, and the card-save page (`customer.checkout_url`). Plain HTML forms, so a
// test can drive them with fetch and a person with a browser.

const MERCHANT = 'ioka sandbox shop';
const TEST_CARD_ROWS = IOKA_TEST_CARDS.map((card) => ({ number: card.number, outcome: card.description }));

/** Mounts the hosted pages under `/ioka/checkout`. */
export function mountIokaCheckoutRoutes(router: Router, engine: IokaSandboxEngine): void {
  const page = (title: string, body: string, status = 200): SandboxResponse => ({
    status,
    html: renderPage({ title, gateway: 'ioka', body }),
  });
  const message = (title: string, text: string, status = 200, link?: { href: string; label: string }) =>
    page(
      title,
      `<h1 id="result-title">${escapeHtml(title)}</h1><p id="result-message">${escapeHtml(text)}</p>${
        link ? `<p><a id="result-link" href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : ''
      }`,
      status,
    );
  const guard =
    (handler: (request: SandboxRequest) => SandboxResponse): ((request: SandboxRequest) => SandboxResponse) =>
    (request) => {
      try {
        return handler(request);
      } catch (caught) {
        if (caught instanceof IokaSandboxError) return message(caught.code, caught.message, caught.status);
        throw caught;
      }
    };

  /** Where the shopper goes once a payment is settled. */
  const finish = (order: IokaOrderRecord, payment: IokaPaymentRecord): SandboxResponse => {
    if (payment.status === 'REQUIRES_ACTION' && payment.actionUrl)
      return { status: 303, redirect: payment.actionUrl };
    const succeeded = payment.status === 'CAPTURED' || payment.status === 'APPROVED';
    const target = succeeded ? (order.success_url ?? order.back_url) : (order.failure_url ?? order.back_url);
    if (target) return { status: 303, redirect: target };
    if (succeeded) return message('Payment successful', `Order ${order.id} is ${order.status}.`);
    return message(
      'Payment declined',
      payment.error?.message ?? 'The payment was declined.',
      200,
      order.attempts > 0 ? { href: engine.orderCheckoutUrl(order), label: 'Try another card' } : undefined,
    );
  };

  const findPayment = (paymentId: string): { order: IokaOrderRecord; payment: IokaPaymentRecord } => {
    for (const order of engine.orders.values()) {
      const payment = order.payments.find((item) => item.id === paymentId);
      if (payment) return { order, payment };
    }
    throw new IokaSandboxError(404, 'PaymentNotFound', `Payment ${paymentId} not found`);
  };

  router.add(
    'GET',
    '/ioka/checkout/orders/:orderId',
    guard((request) => {
      const order = engine.order(request.params.orderId ?? '');
      if (order.status === 'EXPIRED')
        return message('Order expired', `Order ${order.id} can no longer be paid.`, 410);
      if (order.status !== 'UNPAID') return message('Already paid', `Order ${order.id} is ${order.status}.`);
      const started = order.payments.find((item) => item.status === 'REQUIRES_ACTION');
      if (started?.actionUrl) return { status: 303, redirect: started.actionUrl };
      const amountText = `${toDecimalString(order.amount, 'KZT')} ${order.currency}`;
      const last = order.payments.at(-1);
      const notice =
        last?.status === 'DECLINED'
          ? `<p class="muted" id="last-decline">Previous attempt declined: ${escapeHtml(last.error?.message ?? 'declined')}. Attempts left: ${order.attempts}.</p>`
          : '';
      const action = engine.orderCheckoutUrl(order);
      if (order.card_id) {
        const card = engine.cards.get(order.card_id);
        return page(
          'ioka checkout',
          `<h1>${escapeHtml(MERCHANT)}</h1><p class="amount" id="amount">${escapeHtml(amountText)}</p>${notice}
<form method="post" action="${escapeHtml(action)}" id="card-form"><p>Saved card <code id="saved-card">${escapeHtml(card?.pan_masked ?? '')}</code></p>
<label for="card-cvc">CVC</label><input id="card-cvc" name="cvc" value="123">
<button type="submit" id="pay">Pay</button></form>`,
        );
      }
      let form = renderCardForm({
        action,
        merchant: MERCHANT,
        amountText,
        description: order.description ?? undefined,
        cards: TEST_CARD_ROWS,
        cancelUrl: `${action}/back`,
      });
      if (order.customer_id) {
        // Tied to a customer: the card is saved for them (ioka's "save card" box, ticked).
        form = form.replace(
          '<button type="submit" id="pay">',
          '<label><input type="checkbox" id="save-card" name="save" value="1" checked style="width:auto"> Save this card</label><button type="submit" id="pay">',
        );
      }
      return page(
        'ioka checkout',
        `${notice}${form}<p class="muted">3-D Secure password: ${IOKA_ACS_PASSWORD}</p>`,
      );
    }),
  );

  router.add(
    'POST',
    '/ioka/checkout/orders/:orderId',
    guard((request) => {
      const order = engine.order(request.params.orderId ?? '');
      const form = request.form();
      let source: IokaCardSource;
      if (order.card_id) {
        const card = engine.cards.get(order.card_id);
        if (card?.status !== 'APPROVED')
          throw new IokaSandboxError(400, 'CardNotFound', 'The saved card is gone');
        if (!/^\d{3,4}$/.test(form.get('cvc') ?? '')) {
          throw new IokaSandboxError(400, 'InvalidRequest', 'Enter the 3-digit CVC');
        }
        // The customer confirms the saved card with its CVC on this page.
        source = { kind: 'saved', card, merchantInitiated: false };
      } else {
        const pan = normalizeCardNumber(form.get('card_number'));
        if (!/^\d{12,19}$/.test(pan))
          throw new IokaSandboxError(400, 'InvalidRequest', 'Enter a card number');
        source = {
          kind: 'card',
          pan,
          expiry: form.get('expiry') ?? '12/30',
          holder: form.get('holder') ?? undefined,
          save: form.get('save') === '1',
        };
      }
      return finish(order, engine.startPayment(order, source));
    }),
  );

  router.add(
    'POST',
    '/ioka/checkout/orders/:orderId/back',
    guard((request) => {
      const order = engine.order(request.params.orderId ?? '');
      if (order.back_url) return { status: 303, redirect: order.back_url };
      return message('Payment not completed', `You left the payment of order ${order.id}.`);
    }),
  );

  const challengePage = (action: string) =>
    page(
      '3-D Secure',
      renderChallenge({ action, hidden: {}, hint: `Sandbox ACS: the password is ${IOKA_ACS_PASSWORD}.` }),
    );

  router.add(
    'GET',
    '/ioka/checkout/payments/:paymentId/3ds',
    guard((request) => {
      const { order, payment } = findPayment(request.params.paymentId ?? '');
      if (payment.status !== 'REQUIRES_ACTION') return finish(order, payment);
      return challengePage(payment.actionUrl ?? '');
    }),
  );

  router.add(
    'POST',
    '/ioka/checkout/payments/:paymentId/3ds',
    guard((request) => {
      const { order, payment } = findPayment(request.params.paymentId ?? '');
      engine.completeChallenge(order, payment, request.form().get('password') ?? '');
      return finish(order, payment);
    }),
  );

  // The card-save page (`customer.checkout_url`): verifies and saves a card without a payment.
  router.add(
    'GET',
    '/ioka/checkout/customers/:customerId',
    guard((request) => {
      const customer = engine.customer(request.params.customerId ?? '');
      return page(
        'ioka: save a card',
        `${renderCardForm({
          action: engine.customerCheckoutUrl(customer),
          merchant: MERCHANT,
          amountText: 'Save a card',
          description: 'No money is taken: the card is verified and saved for later payments.',
          cards: TEST_CARD_ROWS,
        }).replace(
          '>Pay</button>',
          '>Save card</button>',
        )}<p class="muted">3-D Secure password: ${IOKA_ACS_PASSWORD}</p>`,
      );
    }),
  );

  const cardResult = (status: string, errorMessage: string | undefined) =>
    status === 'APPROVED'
      ? message('Card saved', 'The card was verified and saved.')
      : message('Card declined', errorMessage ?? 'The card could not be verified.');

  router.add(
    'POST',
    '/ioka/checkout/customers/:customerId',
    guard((request) => {
      const customer = engine.customer(request.params.customerId ?? '');
      const form = request.form();
      const pan = normalizeCardNumber(form.get('card_number'));
      if (!/^\d{12,19}$/.test(pan)) throw new IokaSandboxError(400, 'InvalidRequest', 'Enter a card number');
      const card = engine.startCardSave(
        customer,
        pan,
        form.get('expiry') ?? '12/30',
        form.get('holder') ?? 'CARD HOLDER',
      );
      if (card.status === 'REQUIRES_ACTION' && card.actionUrl)
        return { status: 303, redirect: card.actionUrl };
      return cardResult(card.status, card.error?.message);
    }),
  );

  const findCard = (cardId: string) => {
    const card = engine.cards.get(cardId);
    if (!card) throw new IokaSandboxError(404, 'CardNotFound', `Card ${cardId} not found`);
    return card;
  };

  router.add(
    'GET',
    '/ioka/checkout/cards/:cardId/3ds',
    guard((request) => {
      const card = findCard(request.params.cardId ?? '');
      if (card.status !== 'REQUIRES_ACTION') return cardResult(card.status, card.error?.message);
      return challengePage(card.actionUrl ?? '');
    }),
  );

  router.add(
    'POST',
    '/ioka/checkout/cards/:cardId/3ds',
    guard((request) => {
      const card = findCard(request.params.cardId ?? '');
      engine.completeCardChallenge(card, request.form().get('password') ?? '');
      return cardResult(card.status, card.error?.message);
    }),
  );
}
