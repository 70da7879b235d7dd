import type { NextAction, ProviderCapabilities } from '@colchis/core';
import {
  formatMoney,
  formatTime,
  html,
  layout,
  type PaymentRecord,
  type SafeHtml,
  unsafeRaw,
} from '@colchis/example-shared';
import { type Course, findCourse, priceOf } from './courses.js';
import type { Enrollment, EnrollmentStatus, Student } from './enrollment-store.js';

const APP_NAME = 'Colchis Academy';

function page(title: string, student: Student | undefined, body: SafeHtml, head?: SafeHtml): SafeHtml {
  return layout({
    title,
    appName: APP_NAME,
    nav: [
      { href: '/', label: 'Courses' },
      { href: '/dashboard', label: 'My courses' },
      { href: '/admin', label: 'Admin' },
    ],
    who: student
      ? html`Signed in as <strong id="who">${student.email}</strong>
<form class="inline" method="post" action="/logout"><button class="secondary" type="submit">Sign out</button></form>`
      : html`<a href="/login">Sign in</a>`,
    body,
    head,
  });
}

function notice(text: string | undefined, tone: 'ok' | 'bad' | 'warn' = 'warn'): SafeHtml {
  return text ? html`<div class="notice ${tone}" id="notice">${text}</div>` : html``;
}

const ENROLLMENT_BADGES: Record<EnrollmentStatus, { tone: string; label: string }> = {
  pending: { tone: 'warn', label: 'Awaiting payment' },
  awaiting_capture: { tone: 'warn', label: 'Seat reserved' },
  active: { tone: 'ok', label: 'Active' },
  refunded: { tone: 'bad', label: 'Refunded' },
  released: { tone: 'bad', label: 'Released' },
};

function enrollmentBadge(status: EnrollmentStatus): SafeHtml {
  const badge = ENROLLMENT_BADGES[status];
  return html`<span class="badge ${badge.tone}" data-status="${status}">${badge.label}</span>`;
}

function paymentBadge(payment: PaymentRecord): SafeHtml {
  const tone =
    payment.status === 'captured' || payment.status === 'authorized'
      ? 'ok'
      : payment.status === 'failed' || payment.status === 'expired' || payment.status === 'canceled'
        ? 'bad'
        : 'warn';
  return html`<span class="badge ${tone}" data-payment-status="${payment.status}">${payment.status.replace('_', ' ')}</span>`;
}

/** The course list. */
export function coursesPage(options: {
  courses: readonly Course[];
  currency: string;
  student: Student | undefined;
  providerLabel: string;
  notice?: string | undefined;
}): SafeHtml {
  const { student, currency } = options;
  const cards = options.courses.map(
    (course) => html`<div class="card" data-course="${course.id}">
<h3>${course.title}</h3><p class="muted">${course.summary}</p>
<p class="price">${formatMoney(priceOf(course, currency), currency)}</p>
<form method="post" action="/courses/${course.id}/enroll">
${
  student
    ? html``
    : html`<label class="muted" for="email-${course.id}">E-mail (guest checkout, no account needed)</label><br>
<input type="email" required name="email" id="email-${course.id}" placeholder="you@example.com"><br><br>`
}
<button type="submit" data-enroll="${course.id}">Enroll</button></form></div>`,
  );
  return page(
    'Courses',
    student,
    html`<h1>Courses</h1>${notice(options.notice)}
<p class="muted">Payments go through <strong id="provider">${options.providerLabel}</strong>.</p>
<div class="cards">${cards}</div>`,
  );
}

/** The demo sign-in (an e-mail address, no password). */
export function loginPage(options: { notice?: string | undefined }): SafeHtml {
  return page(
    'Sign in',
    undefined,
    html`<h1>Sign in</h1>${notice(options.notice)}
<form method="post" action="/login" class="card" style="max-width:28rem">
<p class="muted">A demo account is just an e-mail address.</p>
<label for="login-email">E-mail</label><br><input type="email" id="login-email" name="email" required><br><br>
<button type="submit" id="login">Sign in</button></form>`,
  );
}

/** The signed-in student's courses. */
export function dashboardPage(options: {
  student: Student;
  enrollments: ReadonlyArray<{ enrollment: Enrollment; payments: readonly PaymentRecord[] }>;
  notice?: string | undefined;
}): SafeHtml {
  const rows = options.enrollments.map(({ enrollment, payments }) => {
    const course = findCourse(enrollment.courseId);
    return html`<tr data-enrollment="${enrollment.id}" data-course="${enrollment.courseId}">
<td>${course?.title ?? enrollment.courseId}</td><td>${enrollmentBadge(enrollment.status)}</td>
<td>${formatMoney(enrollment.amount, enrollment.currency)}</td>
<td>${payments.map((payment) => html`<div><code>${payment.reference}</code> ${paymentBadge(payment)}</div>`)}</td>
<td>${enrollment.status === 'pending' ? html`<form class="inline" method="post" action="/courses/${enrollment.courseId}/enroll"><button type="submit" class="secondary">Pay now</button></form>` : html``}</td></tr>`;
  });
  return page(
    'My courses',
    options.student,
    html`<h1>My courses</h1>${notice(options.notice)}
${rows.length === 0 ? html`<p>No enrollments yet. <a href="/">Browse the courses</a>.</p>` : html`<table id="enrollments"><thead><tr><th>Course</th><th>Status</th><th>Price</th><th>Payments</th><th></th></tr></thead><tbody>${rows}</tbody></table>`}`,
  );
}

/** What the return page tells the customer. */
export type ReturnView = 'success' | 'reserved' | 'refunded' | 'failure' | 'incomplete' | 'processing';

/** The view for a payment status. */
export function returnViewOf(payment: PaymentRecord): ReturnView {
  switch (payment.status) {
    case 'captured':
    case 'partially_refunded':
      return 'success';
    case 'authorized':
      return 'reserved';
    case 'refunded':
      return 'refunded';
    case 'failed':
    case 'expired':
    case 'canceled':
      return 'failure';
    case 'requires_action':
      return 'incomplete';
    default:
      return 'processing';
  }
}

// Polls the server (which asks the gateway) until the payment settles, then reloads. Gives up
// after two minutes with a message: the webhook or reconciliation will still settle it.
const POLL_SCRIPT = `
(function(){
  var el=document.getElementById('payment-result');var ref=el.getAttribute('data-reference');
  var tries=0;var out=document.getElementById('poll-count');
  function tick(){
    tries++;
    fetch('/payment/status/'+encodeURIComponent(ref),{headers:{accept:'application/json'}})
      .then(function(r){return r.json()})
      .then(function(s){
        if(out)out.textContent=String(tries);
        if(s.view!=='processing'&&s.view!=='incomplete'){location.reload();return}
        if(tries<80)setTimeout(tick,1500);else document.getElementById('poll-note').textContent='This is taking longer than usual. You can close this page: your dashboard will show the enrollment as soon as the bank confirms.';
      })
      .catch(function(){if(tries<80)setTimeout(tick,3000)});
  }
  setTimeout(tick,1000);
})();`;

/** The return page (`/payment/callback/:reference`): the outcome as confirmed by the server. */
export function returnPage(options: {
  payment: PaymentRecord;
  enrollment: Enrollment;
  student: Student | undefined;
  view: ReturnView;
}): SafeHtml {
  const { payment, enrollment, view } = options;
  const course = findCourse(enrollment.courseId);
  const title = course?.title ?? enrollment.courseId;
  const money = formatMoney(payment.amount, payment.currency);
  const next = enrollment.guest
    ? html`<p>A receipt for <strong>${enrollment.email}</strong> is on its way. No account needed.</p>`
    : html`<p><a href="/dashboard" id="to-dashboard">Go to my courses</a></p>`;
  let body: SafeHtml;
  switch (view) {
    case 'success':
      body = html`<div class="notice ok"><h1>Payment received</h1>
<p>You are enrolled in <strong>${title}</strong>. ${money} was charged.</p></div>${next}`;
      break;
    case 'reserved':
      body = html`<div class="notice ok"><h1>Seat reserved</h1>
<p>Your card holds ${money} for <strong>${title}</strong>. It is charged when the course starts.</p></div>${next}`;
      break;
    case 'refunded':
      body = html`<div class="notice warn"><h1>Payment refunded</h1><p>${money} for ${title} was refunded.</p></div>${next}`;
      break;
    case 'failure':
      body = html`<div class="notice bad"><h1>Payment not completed</h1>
<p id="failure-message">${payment.failureMessage ?? `The payment was ${payment.status}.`}</p>
<p class="muted">Nothing was charged for this attempt.</p></div>
<form method="post" action="/courses/${enrollment.courseId}/enroll">
${enrollment.guest ? html`<input type="hidden" name="email" value="${enrollment.email}">` : html``}
<button type="submit" id="retry">Try again</button></form>`;
      break;
    case 'incomplete':
      // The customer came back before paying (canceled, or closed the page after a decline).
      body = html`<div class="notice warn"><h1>Payment not completed yet</h1>
${payment.failureMessage ? html`<p id="failure-message">${payment.failureMessage}</p>` : html`<p>The bank has not received a payment for <strong>${title}</strong>.</p>`}
<p class="muted" id="poll-note">If you just paid, this page updates by itself (checked <span id="poll-count">0</span> times).</p></div>
${payment.redirectUrl ? html`<p><a href="${payment.redirectUrl}" id="resume">Return to the payment page</a></p>` : html``}
<form method="post" action="/courses/${enrollment.courseId}/enroll">
${enrollment.guest ? html`<input type="hidden" name="email" value="${enrollment.email}">` : html``}
<button type="submit" class="secondary" id="retry">Start a new payment</button></form>
<script>${unsafeRaw(POLL_SCRIPT)}</script>`;
      break;
    default:
      body = html`<div class="notice warn"><h1>Still processing</h1>
<p>We are waiting for the bank to confirm your payment for <strong>${title}</strong>. This page updates by itself.</p>
<p class="muted" id="poll-note">Checked <span id="poll-count">0</span> times.</p></div>
<script>${unsafeRaw(POLL_SCRIPT)}</script>`;
  }
  return page(
    view === 'processing' || view === 'incomplete'
      ? 'Payment pending'
      : view === 'failure'
        ? 'Payment failed'
        : 'Payment received',
    options.student,
    html`<div id="payment-result" data-view="${view}" data-reference="${payment.reference}" data-status="${payment.status}">${body}</div>`,
  );
}

/** Sends the browser on to the gateway with a POST (for gateways whose hosted page wants a form). */
export function postRedirectPage(action: Extract<NextAction, { method: 'POST' }>): SafeHtml {
  const fields = Object.entries(action.formData).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  );
  return html`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Redirecting to the payment page</title></head>
<body><form id="to-gateway" method="post" action="${action.url}">${fields}<noscript><button type="submit">Continue to payment</button></noscript></form>
<script>document.getElementById('to-gateway').submit();</script></body></html>`;
}

/** A short error page. */
export function messagePage(title: string, message: string, student: Student | undefined): SafeHtml {
  return page(
    title,
    student,
    html`<h1>${title}</h1><div class="notice bad">${message}</div><p><a href="/">Back to the courses</a></p>`,
  );
}

/** The admin page: enrollments, payments with refund / capture / cancel, webhook log. */
export function adminPage(options: {
  enrollments: readonly Enrollment[];
  payments: readonly PaymentRecord[];
  webhooks: ReadonlyArray<{
    id: number;
    eventId: string | null;
    paymentId: number | null;
    status: string | null;
    signed: boolean;
    outcome: string;
    receivedAt: number;
  }>;
  capabilities: ProviderCapabilities;
  providerLabel: string;
  displayPaymentId: (id: string) => string;
  notice?: string | undefined;
  now: number;
}): SafeHtml {
  const { capabilities } = options;
  const enrollmentRows = options.enrollments.map(
    (
      enrollment,
    ) => html`<tr data-enrollment="${enrollment.id}" data-course="${enrollment.courseId}" data-email="${enrollment.email}">
<td>${enrollment.id}</td><td>${enrollment.email}${enrollment.guest ? html` <span class="badge">guest</span>` : html``}</td>
<td>${findCourse(enrollment.courseId)?.title ?? enrollment.courseId}</td><td>${enrollmentBadge(enrollment.status)}</td>
<td>${formatMoney(enrollment.amount, enrollment.currency)}</td><td>${formatTime(enrollment.createdAt)}</td></tr>`,
  );
  const paymentRows = options.payments.map((payment) => {
    const refundable = payment.amountCaptured - payment.amountRefunded;
    const actions: SafeHtml[] = [];
    if (capabilities.refund && refundable > 0 && payment.providerPaymentId) {
      actions.push(html`<form class="inline" method="post" action="/admin/payments/${payment.id}/refund">
<button type="submit" class="danger" data-action="refund-full">Refund all</button></form>`);
      if (capabilities.partialRefund) {
        actions.push(html`<form class="inline" method="post" action="/admin/payments/${payment.id}/refund">
<input class="amount" name="amount" placeholder="0.00" aria-label="Refund amount" data-input="refund-amount">
<button type="submit" class="secondary" data-action="refund-partial">Refund part</button></form>`);
      }
    }
    if (payment.status === 'authorized' && payment.providerPaymentId) {
      if (capabilities.manualCapture) {
        actions.push(html`<form class="inline" method="post" action="/admin/payments/${payment.id}/capture">
<button type="submit" data-action="capture">Capture</button></form>`);
      }
      if (capabilities.cancel) {
        actions.push(html`<form class="inline" method="post" action="/admin/payments/${payment.id}/cancel">
<button type="submit" class="danger" data-action="cancel">Cancel</button></form>`);
      }
    }
    return html`<tr data-payment="${payment.reference}" data-payment-id="${payment.id}">
<td><code>${payment.reference}</code><br><span class="muted">${payment.provider} ${payment.providerPaymentId ? options.displayPaymentId(payment.providerPaymentId) : '(not sent)'}</span></td>
<td>${payment.purpose}${payment.captureMode === 'manual' ? ' (pre-auth)' : ''}</td>
<td>${formatMoney(payment.amount, payment.currency)}</td><td>${paymentBadge(payment)}<br><span class="muted">${payment.rawStatus ?? ''}</span></td>
<td data-captured="${payment.amountCaptured}" data-refunded="${payment.amountRefunded}">${formatMoney(payment.amountCaptured, payment.currency)} / ${formatMoney(payment.amountRefunded, payment.currency)}</td>
<td>${payment.failureMessage ?? ''}</td><td>${formatTime(payment.createdAt)}</td><td>${actions}</td></tr>`;
  });
  const webhookRows = options.webhooks.map(
    (
      webhook,
    ) => html`<tr data-webhook="${webhook.id}" data-outcome="${webhook.outcome}"><td>${webhook.id}</td><td>${formatTime(webhook.receivedAt)}</td>
<td>${webhook.paymentId ?? '—'}</td><td>${webhook.status ?? '—'}</td><td>${webhook.signed ? 'signed' : 'confirmed by fetch'}</td><td>${webhook.outcome}</td></tr>`,
  );
  return page(
    'Admin',
    undefined,
    html`<h1>Admin</h1>${notice(options.notice)}
<p class="muted">Gateway: <strong>${options.providerLabel}</strong> · webhooks ${capabilities.webhooks} · app time ${formatTime(options.now)}</p>
<form class="inline" method="post" action="/admin/reconcile"><button type="submit" id="reconcile">Run reconciliation now</button></form>
<h2>Enrollments</h2><table id="admin-enrollments"><thead><tr><th>#</th><th>Student</th><th>Course</th><th>Status</th><th>Price</th><th>Created</th></tr></thead><tbody>${enrollmentRows}</tbody></table>
<h2>Payments</h2><table id="admin-payments"><thead><tr><th>Reference</th><th>Purpose</th><th>Amount</th><th>Status</th><th>Captured / refunded</th><th>Failure</th><th>Created</th><th>Actions</th></tr></thead><tbody>${paymentRows}</tbody></table>
<h2>Webhook deliveries</h2><table id="admin-webhooks"><thead><tr><th>#</th><th>Received</th><th>Payment</th><th>Status</th><th>Trust</th><th>Outcome</th></tr></thead><tbody>${webhookRows}</tbody></table>`,
  );
}
