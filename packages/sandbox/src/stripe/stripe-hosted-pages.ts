import { toDecimalString } from '@colchis/core';
import { escapeHtml, renderCardForm, renderChallenge, renderPage } from '../hosted-page.js';
import type { Router, SandboxResponse } from '../router.js';
import type { StripeBackend } from './stripe-backend.js';
import type { StripeObject, StripeStore } from './stripe-store.js';
import { randomToken } from './stripe-store.js';
import { STRIPE_TEST_CARDS } from './stripe-test-cards.js';

const GATEWAY = 'Stripe';
const CHALLENGE_HINT =
  'Sandbox 3-D Secure: any password completes the authentication; type "fail" to fail it.';

/**
 * The hosted pages of the emulated Stripe: Checkout (`/stripe/checkout/:session`, the URL
 * `session.url` points at) with a card form whose test cards pick the outcome, its 3-D Secure
 * challenge, and the challenge a PaymentIntent's `next_action.redirect_to_url` points at
 * (`/stripe/3ds/:intent`), which returns to `return_url` the way Stripe does
 * (`?payment_intent=...&payment_intent_client_secret=...&redirect_status=succeeded|failed`).
 */
export function mountStripeHostedPages(router: Router, store: StripeStore, backend: StripeBackend): void {
  const context = () => ({ id: `req_${randomToken(14)}` });
  const html = (status: number, title: string, body: string): SandboxResponse => ({
    status,
    html: renderPage({ title, gateway: GATEWAY, body }),
  });

  function session(id: string): StripeObject | undefined {
    return store.find(id, 'checkout.session');
  }

  function checkoutForm(current: StripeObject, error?: string, status = 200): SandboxResponse {
    const items = (store.lineItems.get(current.id) ?? [])
      .map((item) => `${item.quantity} × ${item.description}`)
      .join(', ');
    const currency = String(current.currency).toUpperCase();
    const form = renderCardForm({
      action: `/stripe/checkout/${current.id}/pay`,
      merchant: 'Checkout (Stripe test mode)',
      amountText: `${toDecimalString(current.amount_total as number, currency)} ${currency}`,
      description: items,
      cards: STRIPE_TEST_CARDS.map((card) => ({ number: card.number, outcome: card.outcome })),
      cancelUrl: current.cancel_url ? `/stripe/checkout/${current.id}/cancel` : undefined,
    });
    const banner = error
      ? `<p class="error" id="error" role="alert" style="color:#b00020">${escapeHtml(error)}</p>`
      : '';
    return html(status, 'Stripe Checkout (sandbox)', banner + form);
  }

  function ended(current: StripeObject): SandboxResponse {
    if (current.status === 'complete') {
      const url = String(current.success_url).replace(/\{CHECKOUT_SESSION_ID\}/g, current.id);
      return html(
        200,
        'Payment complete',
        `<h1>Payment complete</h1><p><a id="continue" href="${escapeHtml(url)}">Return to the merchant</a></p>`,
      );
    }
    return html(
      410,
      'Checkout Session expired',
      '<h1>This Checkout Session has expired</h1><p>Ask the merchant for a new payment link.</p>',
    );
  }

  router.add('GET', '/stripe/checkout/:id', (request) => {
    const current = session(request.params.id as string);
    if (!current) return html(404, 'Not found', '<h1>No such Checkout Session</h1>');
    return current.status === 'open' ? checkoutForm(current) : ended(current);
  });

  router.add('POST', '/stripe/checkout/:id/pay', (request) => {
    const current = session(request.params.id as string);
    if (!current) return html(404, 'Not found', '<h1>No such Checkout Session</h1>');
    if (current.status !== 'open') return ended(current);
    const form = request.form();
    const result = backend.payCheckoutSession(
      current,
      {
        number: form.get('card_number') ?? '',
        expiry: form.get('expiry') ?? '',
        cvc: form.get('cvc') ?? '',
        email: form.get('email') ?? undefined,
      },
      context(),
    );
    if (result.kind === 'completed') return { status: 303, redirect: result.redirectUrl };
    if (result.kind === 'challenge')
      return { status: 303, redirect: `/stripe/checkout/${current.id}/authenticate` };
    return checkoutForm(current, result.message, 402);
  });

  router.add('GET', '/stripe/checkout/:id/authenticate', (request) => {
    const current = session(request.params.id as string);
    if (!current) return html(404, 'Not found', '<h1>No such Checkout Session</h1>');
    if (current.status !== 'open') return ended(current);
    return html(
      200,
      '3-D Secure (sandbox)',
      renderChallenge({
        action: `/stripe/checkout/${current.id}/authenticate`,
        hidden: {},
        hint: CHALLENGE_HINT,
      }),
    );
  });

  router.add('POST', '/stripe/checkout/:id/authenticate', (request) => {
    const current = session(request.params.id as string);
    if (!current) return html(404, 'Not found', '<h1>No such Checkout Session</h1>');
    if (current.status !== 'open') return ended(current);
    const intent = current.payment_intent ? store.find(current.payment_intent as string) : undefined;
    if (!intent) return checkoutForm(current);
    const passed = (request.form().get('password') ?? '').trim().toLowerCase() !== 'fail';
    const ctx = context();
    backend.authenticate(intent, passed, ctx, current.id);
    if (intent.status === 'succeeded' || intent.status === 'requires_capture') {
      return { status: 303, redirect: backend.completeCheckoutSession(current, intent, ctx) };
    }
    return checkoutForm(
      current,
      'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
      402,
    );
  });

  router.add('POST', '/stripe/checkout/:id/cancel', (request) => {
    const current = session(request.params.id as string);
    if (!current) return html(404, 'Not found', '<h1>No such Checkout Session</h1>');
    // Stripe's back link leaves the session open until it expires.
    if (current.cancel_url) return { status: 303, redirect: String(current.cancel_url) };
    return checkoutForm(current);
  });

  router.add('GET', '/stripe/3ds/:intent', (request) => {
    const intent = store.find(request.params.intent as string, 'payment_intent');
    if (!intent) return html(404, 'Not found', '<h1>No such PaymentIntent</h1>');
    if (intent.status !== 'requires_action') {
      return html(
        409,
        '3-D Secure',
        `<h1>Nothing to authenticate</h1><p>The PaymentIntent is ${escapeHtml(String(intent.status))}.</p>`,
      );
    }
    return html(
      200,
      '3-D Secure (sandbox)',
      renderChallenge({ action: `/stripe/3ds/${intent.id}`, hidden: {}, hint: CHALLENGE_HINT }),
    );
  });

  router.add('POST', '/stripe/3ds/:intent', (request) => {
    const intent = store.find(request.params.intent as string, 'payment_intent');
    if (!intent) return html(404, 'Not found', '<h1>No such PaymentIntent</h1>');
    const returnUrl = intent.__return_url as string | null | undefined;
    const passed = (request.form().get('password') ?? '').trim().toLowerCase() !== 'fail';
    backend.authenticate(intent, passed, context());
    const ok = intent.status === 'succeeded' || intent.status === 'requires_capture';
    if (!returnUrl) return html(200, '3-D Secure', `<h1>Authentication ${ok ? 'complete' : 'failed'}</h1>`);
    const target = new URL(returnUrl);
    target.searchParams.set('payment_intent', intent.id);
    target.searchParams.set('payment_intent_client_secret', String(intent.client_secret));
    target.searchParams.set('redirect_status', ok ? 'succeeded' : 'failed');
    return { status: 303, redirect: target.toString() };
  });
}
