import { type NextAction, type ProviderCapabilities, toDecimalString } from '@colchis/core';
import {
  formatDate,
  formatMoney,
  formatTime,
  html,
  layout,
  type PaymentRecord,
  type SafeHtml,
  unsafeRaw,
} from '@colchis/example-shared';
import { RETRY_DELAYS_DAYS } from './billing-calendar.js';
import { checkoutPrice, findPlan, type Plan, recurringPrice } from './plans.js';
import type { Customer, Subscription, SubscriptionStatus } from './subscription-store.js';

const APP_NAME = 'Colchis Desk';

function page(title: string, customer: Customer | undefined, body: SafeHtml): SafeHtml {
  return layout({
    title,
    appName: APP_NAME,
    nav: [
      { href: '/', label: 'Plans' },
      { href: '/account', label: 'My subscriptions' },
      { href: '/admin', label: 'Admin' },
    ],
    who: customer
      ? html`Signed in as <strong id="who">${customer.email}</strong>
<form class="inline" method="post" action="/logout"><button class="secondary" type="submit">Sign out</button></form>`
      : html`<a href="/login">Sign in</a>`,
    body,
  });
}

function notice(text: string | undefined): SafeHtml {
  return text ? html`<div class="notice warn" id="notice">${text}</div>` : html``;
}

const BADGES: Record<SubscriptionStatus, { tone: string; label: string }> = {
  pending: { tone: 'warn', label: 'Awaiting payment' },
  active: { tone: 'ok', label: 'Active' },
  past_due: { tone: 'warn', label: 'Past due' },
  lapsed: { tone: 'bad', label: 'Lapsed' },
  canceled: { tone: 'bad', label: 'Canceled' },
  completed: { tone: 'ok', label: 'Paid in full' },
  expired: { tone: 'bad', label: 'Expired' },
};

function statusBadge(status: SubscriptionStatus): SafeHtml {
  const badge = BADGES[status];
  return html`<span class="badge ${badge.tone}" data-status="${status}">${badge.label}</span>`;
}

function paymentBadge(payment: PaymentRecord): SafeHtml {
  const tone =
    payment.status === 'captured'
      ? 'ok'
      : payment.status === 'failed' || payment.status === 'expired' || payment.status === 'canceled'
        ? 'bad'
        : 'warn';
  return html`<span class="badge ${tone}" data-payment-status="${payment.status}">${payment.status.replace('_', ' ')}</span>`;
}

function priceLine(plan: Plan, currency: string): string {
  const price = formatMoney(recurringPrice(plan, currency), currency);
  switch (plan.kind) {
    case 'installments':
      return `${formatMoney(checkoutPrice(plan, currency), currency)} today, then ${plan.installments} × ${price} monthly`;
    case 'licence':
      return `${price} per ${plan.interval.unit}`;
    default:
      return `${price} per ${plan.interval.unit}`;
  }
}

/** The plans page. */
export function plansPage(options: {
  plans: readonly Plan[];
  currency: string;
  customer: Customer | undefined;
  capabilities: ProviderCapabilities;
  providerLabel: string;
  notice?: string | undefined;
}): SafeHtml {
  const { customer, currency } = options;
  const cards = options.plans.map(
    (
      plan,
    ) => html`<div class="card" data-plan="${plan.id}"><h3>${plan.name}</h3><p class="muted">${plan.summary}</p>
<p class="price">${priceLine(plan, currency)}</p>
<form method="post" action="/plans/${plan.id}/checkout">
${customer ? html`` : html`<label class="muted" for="email-${plan.id}">E-mail</label><br><input type="email" required name="email" id="email-${plan.id}" placeholder="you@example.com"><br><br>`}
<button type="submit" data-checkout="${plan.id}">${plan.kind === 'licence' ? 'Buy licence' : 'Subscribe'}</button></form></div>`,
  );
  return page(
    'Plans',
    customer,
    html`<h1>Plans</h1>${notice(options.notice)}
<p class="muted">Payments go through <strong id="provider">${options.providerLabel}</strong>.
${options.capabilities.savedMethods ? 'Your card is saved at the gateway for renewals (we never see its number).' : 'This gateway cannot save cards: you will be asked to pay each period from your account page.'}</p>
<div class="cards">${cards}</div>`,
  );
}

/** The demo sign-in. */
export function loginPage(options: { notice?: string | undefined }): SafeHtml {
  return page(
    'Sign in',
    undefined,
    html`<h1>Sign in</h1>${notice(options.notice)}
<form method="post" action="/login" class="card" style="max-width:28rem"><p class="muted">A demo account is just an e-mail address.</p>
<label for="login-email">E-mail</label><br><input type="email" id="login-email" name="email" required><br><br>
<button type="submit" id="login">Sign in</button></form>`,
  );
}

function scheduleLine(subscription: Subscription): SafeHtml {
  switch (subscription.status) {
    case 'active':
      return subscription.kind === 'licence'
        ? html`Valid until <strong data-period-end>${formatDate(subscription.currentPeriodEnd)}</strong>`
        : html`Next charge <strong data-next-charge>${formatDate(subscription.nextChargeAt)}</strong>`;
    case 'past_due':
      return html`Payment failed ${subscription.failedAttempts} time(s); next try <strong data-next-charge>${formatDate(subscription.nextChargeAt)}</strong>`;
    case 'canceled':
      return html`No more charges. Paid until ${formatDate(subscription.currentPeriodEnd)}`;
    case 'lapsed':
      return html`Lapsed after ${subscription.failedAttempts} failed attempts`;
    case 'completed':
      return html`All ${subscription.installmentsTotal ?? ''} installments paid`;
    case 'expired':
      return html`Expired on ${formatDate(subscription.currentPeriodEnd)}`;
    default:
      return html`Waiting for the first payment`;
  }
}

/** The customer's subscriptions, with cancel / pay now / renew. */
export function accountPage(options: {
  customer: Customer;
  subscriptions: ReadonlyArray<{ subscription: Subscription; payments: readonly PaymentRecord[] }>;
  notice?: string | undefined;
}): SafeHtml {
  const rows = options.subscriptions.map(({ subscription, payments }) => {
    const plan = findPlan(subscription.planId);
    const actions: SafeHtml[] = [];
    if (['pending', 'past_due', 'lapsed'].includes(subscription.status)) {
      actions.push(
        html`<form class="inline" method="post" action="/subscriptions/${subscription.id}/pay"><button type="submit" data-action="pay-now">Pay now</button></form>`,
      );
    }
    if (
      subscription.kind === 'licence' &&
      (subscription.status === 'active' || subscription.status === 'expired')
    ) {
      actions.push(
        html`<form class="inline" method="post" action="/subscriptions/${subscription.id}/pay"><button type="submit" class="secondary" data-action="renew">Renew for another year</button></form>`,
      );
    }
    if (['active', 'past_due'].includes(subscription.status) && subscription.kind !== 'licence') {
      actions.push(
        html`<form class="inline" method="post" action="/subscriptions/${subscription.id}/cancel"><button type="submit" class="danger" data-action="cancel">Cancel</button></form>`,
      );
    }
    return html`<tr data-subscription="${subscription.id}" data-plan="${subscription.planId}">
<td>${plan?.name ?? subscription.planId}${subscription.kind === 'installments' ? html`<br><span class="muted" data-installments-paid="${subscription.installmentsPaid}">${subscription.installmentsPaid} of ${subscription.installmentsTotal ?? 0} installments</span>` : html``}</td>
<td>${statusBadge(subscription.status)}</td><td>${scheduleLine(subscription)}</td>
<td>${subscription.savedMethod ? html`<code>${subscription.savedMethod.maskedPan ?? 'saved card'}</code>` : html`<span class="muted">none</span>`}</td>
<td>${payments.map((payment) => html`<div data-payment="${payment.reference}" data-purpose="${payment.purpose}">${formatMoney(payment.amount, payment.currency)} ${paymentBadge(payment)} <span class="muted">${payment.purpose}</span>${payment.status === 'requires_action' && payment.redirectUrl && payment.note === 'off_session' ? html` <a href="${payment.redirectUrl}" data-action="authenticate">Your bank asks you to confirm this charge</a>` : html``}</div>`)}</td>
<td>${actions}</td></tr>`;
  });
  return page(
    'My subscriptions',
    options.customer,
    html`<h1>My subscriptions</h1>${notice(options.notice)}
${rows.length === 0 ? html`<p>No subscriptions yet. <a href="/">See the plans</a>.</p>` : html`<table id="subscriptions"><thead><tr><th>Plan</th><th>Status</th><th>Schedule</th><th>Card</th><th>Payments</th><th></th></tr></thead><tbody>${rows}</tbody></table>`}
<p class="muted">A failed renewal is retried ${RETRY_DELAYS_DAYS.join(', ')} days after each failed attempt; then the subscription lapses.</p>`,
  );
}

/** What the return page shows. */
export type ReturnView = 'success' | 'failure' | 'incomplete' | 'processing';

/** The view for a payment's status. */
export function returnViewOf(payment: PaymentRecord): ReturnView {
  if (
    payment.status === 'captured' ||
    payment.status === 'partially_refunded' ||
    payment.status === 'refunded'
  ) {
    return 'success';
  }
  if (payment.status === 'failed' || payment.status === 'expired' || payment.status === 'canceled')
    return 'failure';
  return payment.status === 'requires_action' ? 'incomplete' : 'processing';
}

const POLL_SCRIPT = `
(function(){
  var el=document.getElementById('payment-result');var ref=el.getAttribute('data-reference');var tries=0;
  function tick(){
    tries++;
    fetch('/payment/status/'+encodeURIComponent(ref),{headers:{accept:'application/json'}})
      .then(function(r){return r.json()})
      .then(function(s){
        document.getElementById('poll-count').textContent=String(tries);
        if(s.view!=='processing'&&s.view!=='incomplete'){location.reload();return}
        if(tries<80)setTimeout(tick,1500);else document.getElementById('poll-note').textContent='This is taking longer than usual. Your account page will show the subscription as soon as the bank confirms.';
      })
      .catch(function(){if(tries<80)setTimeout(tick,3000)});
  }
  setTimeout(tick,1000);
})();`;

/** The return page: the outcome as the server confirmed it with the gateway. */
export function returnPage(options: {
  payment: PaymentRecord;
  subscription: Subscription;
  customer: Customer | undefined;
  view: ReturnView;
}): SafeHtml {
  const { payment, subscription, view } = options;
  const plan = findPlan(subscription.planId);
  const name = plan?.name ?? subscription.planId;
  const money = formatMoney(payment.amount, payment.currency);
  let body: SafeHtml;
  if (view === 'success') {
    body = html`<div class="notice ok"><h1>Payment received</h1><p>${money} for <strong>${name}</strong>.
${subscription.status === 'active' ? (subscription.kind === 'licence' ? html`Valid until ${formatDate(subscription.currentPeriodEnd)}.` : html`Next charge on ${formatDate(subscription.nextChargeAt)}.`) : html``}</p></div>
<p><a href="/account" id="to-account">Go to my subscriptions</a></p>`;
  } else if (view === 'failure') {
    body = html`<div class="notice bad"><h1>Payment not completed</h1><p id="failure-message">${payment.failureMessage ?? `The payment was ${payment.status}.`}</p>
<p class="muted">Nothing was charged for this attempt.</p></div>
<form method="post" action="/subscriptions/${subscription.id}/pay"><button type="submit" id="retry">Try again</button></form>`;
  } else if (view === 'incomplete') {
    body = html`<div class="notice warn"><h1>Payment not completed yet</h1>
${payment.failureMessage ? html`<p id="failure-message">${payment.failureMessage}</p>` : html`<p>The bank has not received ${money} for <strong>${name}</strong>.</p>`}
<p class="muted" id="poll-note">If you just paid, this page updates by itself (checked <span id="poll-count">0</span> times).</p></div>
${payment.redirectUrl ? html`<p><a href="${payment.redirectUrl}" id="resume">Return to the payment page</a></p>` : html``}
<form method="post" action="/subscriptions/${subscription.id}/pay"><button type="submit" class="secondary" id="retry">Start a new payment</button></form>
<script>${unsafeRaw(POLL_SCRIPT)}</script>`;
  } else {
    body = html`<div class="notice warn"><h1>Still processing</h1><p>We are waiting for the bank to confirm ${money} for <strong>${name}</strong>. This page updates by itself.</p>
<p class="muted" id="poll-note">Checked <span id="poll-count">0</span> times.</p></div>
<script>${unsafeRaw(POLL_SCRIPT)}</script>`;
  }
  return page(
    view === 'success' ? 'Payment received' : view === 'failure' ? 'Payment failed' : 'Payment pending',
    options.customer,
    html`<div id="payment-result" data-view="${view}" data-reference="${payment.reference}" data-status="${payment.status}">${body}</div>`,
  );
}

/** Auto-submits a POST to the gateway's hosted page. */
export function postRedirectPage(action: Extract<NextAction, { method: 'POST' }>): SafeHtml {
  const fields = Object.entries(action.formData).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  );
  return html`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Redirecting to the payment page</title></head>
<body><form id="to-gateway" method="post" action="${action.url}">${fields}<noscript><button type="submit">Continue to payment</button></noscript></form>
<script>document.getElementById('to-gateway').submit();</script></body></html>`;
}

/** A short error page. */
export function messagePage(title: string, message: string, customer: Customer | undefined): SafeHtml {
  return page(
    title,
    customer,
    html`<h1>${title}</h1><div class="notice bad">${message}</div><p><a href="/">Back to the plans</a></p>`,
  );
}

/** The admin page: subscriptions (with offline payments), payments, webhooks, jobs. */
export function adminPage(options: {
  subscriptions: readonly Subscription[];
  payments: readonly PaymentRecord[];
  webhooks: ReadonlyArray<{
    id: number;
    paymentId: number | null;
    status: string | null;
    signed: boolean;
    outcome: string;
    receivedAt: number;
  }>;
  providerLabel: string;
  displayPaymentId: (id: string) => string;
  capabilities: ProviderCapabilities;
  now: number;
  notice?: string | undefined;
}): SafeHtml {
  const subscriptionRows = options.subscriptions.map((subscription) => {
    const due = subscription.status === 'pending' ? undefined : subscription.amount;
    const recordable = !['canceled', 'completed'].includes(subscription.status);
    return html`<tr data-subscription="${subscription.id}" data-plan="${subscription.planId}" data-email="${subscription.email}">
<td>${subscription.id}</td><td>${subscription.email}</td><td>${findPlan(subscription.planId)?.name ?? subscription.planId}</td>
<td>${statusBadge(subscription.status)}</td><td>${formatMoney(subscription.amount, subscription.currency)}</td>
<td>${formatDate(subscription.currentPeriodEnd)}</td><td data-next-charge-at="${subscription.nextChargeAt ?? ''}">${formatTime(subscription.nextChargeAt)}</td>
<td data-failed-attempts="${subscription.failedAttempts}">${subscription.failedAttempts}</td><td>${subscription.cycle}</td>
<td>${
      recordable
        ? html`<form class="inline" method="post" action="/admin/subscriptions/${subscription.id}/offline-payment">
<input class="amount" name="amount" value="${due === undefined ? '' : toDecimalString(due, subscription.currency)}" aria-label="Amount" data-input="offline-amount">
<select name="method" aria-label="Method"><option value="bank_transfer">bank transfer</option><option value="cash">cash</option><option value="other">other</option></select>
<input name="note" placeholder="note" aria-label="Note">
<button type="submit" class="secondary" data-action="record-offline">Record offline payment</button></form>`
        : html``
    }</td></tr>`;
  });
  const paymentRows = options.payments.map(
    (payment) => html`<tr data-payment="${payment.reference}" data-payment-id="${payment.id}">
<td><code>${payment.reference}</code><br><span class="muted">${payment.provider} ${payment.providerPaymentId ? options.displayPaymentId(payment.providerPaymentId) : ''}</span></td>
<td>${payment.ownerId}</td><td>${payment.purpose}${payment.note ? html`<br><span class="muted">${payment.note}</span>` : html``}</td>
<td>${formatMoney(payment.amount, payment.currency)}</td><td>${paymentBadge(payment)}</td><td>${payment.failureMessage ?? ''}</td><td>${formatTime(payment.createdAt)}</td>
<td>${
      payment.note === 'off_session' &&
      !payment.providerPaymentId &&
      (payment.status === 'processing' || payment.status === 'requires_action')
        ? html`<span class="muted">No answer from the gateway. Check its dashboard, then:</span>
<form class="inline" method="post" action="/admin/payments/${payment.id}/abandon"><button type="submit" class="danger" data-action="abandon">Not charged</button></form>`
        : html``
    }</td></tr>`,
  );
  const webhookRows = options.webhooks.map(
    (webhook) =>
      html`<tr data-webhook="${webhook.id}" data-outcome="${webhook.outcome}"><td>${webhook.id}</td><td>${formatTime(webhook.receivedAt)}</td><td>${webhook.paymentId ?? '—'}</td><td>${webhook.status ?? '—'}</td><td>${webhook.signed ? 'signed' : 'confirmed by fetch'}</td><td>${webhook.outcome}</td></tr>`,
  );
  return page(
    'Admin',
    undefined,
    html`<h1>Admin</h1>${notice(options.notice)}
<p class="muted">Gateway <strong>${options.providerLabel}</strong> · saved cards ${options.capabilities.savedMethods ? 'yes' : 'no'} · webhooks ${options.capabilities.webhooks} · app time <strong id="app-time">${formatTime(options.now)}</strong></p>
<form class="inline" method="post" action="/admin/billing"><button type="submit" id="run-billing">Run billing now</button></form>
<form class="inline" method="post" action="/admin/reconcile"><button type="submit" class="secondary" id="reconcile">Run reconciliation now</button></form>
<h2>Subscriptions</h2><table id="admin-subscriptions"><thead><tr><th>#</th><th>Customer</th><th>Plan</th><th>Status</th><th>Amount</th><th>Period end</th><th>Next charge</th><th>Failed</th><th>Periods</th><th>Offline payment</th></tr></thead><tbody>${subscriptionRows}</tbody></table>
<h2>Payments</h2><table id="admin-payments"><thead><tr><th>Reference</th><th>Subscription</th><th>Purpose</th><th>Amount</th><th>Status</th><th>Failure</th><th>Created</th><th></th></tr></thead><tbody>${paymentRows}</tbody></table>
<h2>Webhook deliveries</h2><table id="admin-webhooks"><thead><tr><th>#</th><th>Received</th><th>Payment</th><th>Status</th><th>Trust</th><th>Outcome</th></tr></thead><tbody>${webhookRows}</tbody></table>`,
  );
}
