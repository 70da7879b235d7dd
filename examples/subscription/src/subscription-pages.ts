import { type ProviderCapabilities, toDecimalString } from '@colchis/core';
import {
  type BadgeStyle,
  formatDate,
  formatMoney,
  formatTime,
  html,
  layout,
  notice,
  type PaymentRecord,
  paymentBadge,
  pollScript,
  type SafeHtml,
  statusBadge as sharedStatusBadge,
  signedInAs,
  signInBody,
  type WebhookDeliveryRecord,
  webhookDeliveriesTable,
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
    who: signedInAs(customer?.email),
    body,
  });
}

const BADGES: Record<SubscriptionStatus, BadgeStyle> = {
  pending: { tone: 'warn', label: 'Awaiting payment' },
  active: { tone: 'ok', label: 'Active' },
  past_due: { tone: 'warn', label: 'Past due' },
  lapsed: { tone: 'bad', label: 'Lapsed' },
  canceled: { tone: 'bad', label: 'Canceled' },
  completed: { tone: 'ok', label: 'Paid in full' },
  expired: { tone: 'bad', label: 'Expired' },
};

function statusBadge(status: SubscriptionStatus): SafeHtml {
  return sharedStatusBadge(status, BADGES);
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
  return page('Sign in', undefined, signInBody(options.notice));
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

// Shown when the return page's polling gives up (the webhook or reconciliation still settles it).
const SLOW_CONFIRMATION =
  'This is taking longer than usual. Your account page will show the subscription as soon as the bank confirms.';

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
${pollScript(SLOW_CONFIRMATION)}`;
  } else {
    body = html`<div class="notice warn"><h1>Still processing</h1><p>We are waiting for the bank to confirm ${money} for <strong>${name}</strong>. This page updates by itself.</p>
<p class="muted" id="poll-note">Checked <span id="poll-count">0</span> times.</p></div>
${pollScript(SLOW_CONFIRMATION)}`;
  }
  return page(
    view === 'success' ? 'Payment received' : view === 'failure' ? 'Payment failed' : 'Payment pending',
    options.customer,
    html`<div id="payment-result" data-view="${view}" data-reference="${payment.reference}" data-status="${payment.status}">${body}</div>`,
  );
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
  webhooks: readonly WebhookDeliveryRecord[];
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
  return page(
    'Admin',
    undefined,
    html`<h1>Admin</h1>${notice(options.notice)}
<p class="muted">Gateway <strong>${options.providerLabel}</strong> · saved cards ${options.capabilities.savedMethods ? 'yes' : 'no'} · webhooks ${options.capabilities.webhooks} · app time <strong id="app-time">${formatTime(options.now)}</strong></p>
<form class="inline" method="post" action="/admin/billing"><button type="submit" id="run-billing">Run billing now</button></form>
<form class="inline" method="post" action="/admin/reconcile"><button type="submit" class="secondary" id="reconcile">Run reconciliation now</button></form>
<h2>Subscriptions</h2><table id="admin-subscriptions"><thead><tr><th>#</th><th>Customer</th><th>Plan</th><th>Status</th><th>Amount</th><th>Period end</th><th>Next charge</th><th>Failed</th><th>Periods</th><th>Offline payment</th></tr></thead><tbody>${subscriptionRows}</tbody></table>
<h2>Payments</h2><table id="admin-payments"><thead><tr><th>Reference</th><th>Subscription</th><th>Purpose</th><th>Amount</th><th>Status</th><th>Failure</th><th>Created</th><th></th></tr></thead><tbody>${paymentRows}</tbody></table>
${webhookDeliveriesTable(options.webhooks)}`,
  );
}
