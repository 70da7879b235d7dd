import type { PaymentStatus, ProviderCapabilities } from '@colchis/core';
import {
  type BadgeStyle,
  formatMoney,
  formatTime,
  html,
  layout,
  notice,
  type PaymentRecord,
  pollScript,
  type SafeHtml,
  paymentBadge as sharedPaymentBadge,
  signedInAs,
  signInBody,
  statusBadge,
  type WebhookDeliveryRecord,
  webhookDeliveriesTable,
} from '@colchis/example-shared';
import { type Course, findCourse, priceOf } from './courses.js';
import type { Enrollment, EnrollmentStatus, Student } from './enrollment-store.js';

const APP_NAME = 'Colchis Academy';

function page(title: string, student: Student | undefined, body: SafeHtml): SafeHtml {
  return layout({
    title,
    appName: APP_NAME,
    nav: [
      { href: '/', label: 'Courses' },
      { href: '/dashboard', label: 'My courses' },
      { href: '/admin', label: 'Admin' },
    ],
    who: signedInAs(student?.email),
    body,
  });
}

const ENROLLMENT_BADGES: Record<EnrollmentStatus, BadgeStyle> = {
  pending: { tone: 'warn', label: 'Awaiting payment' },
  awaiting_capture: { tone: 'warn', label: 'Seat reserved' },
  active: { tone: 'ok', label: 'Active' },
  refunded: { tone: 'bad', label: 'Refunded' },
  released: { tone: 'bad', label: 'Released' },
};

function enrollmentBadge(status: EnrollmentStatus): SafeHtml {
  return statusBadge(status, ENROLLMENT_BADGES);
}

// An authorized payment is good news here: the seat is reserved, the card is charged later.
const GOOD_PAYMENT_STATUSES: readonly PaymentStatus[] = ['captured', 'authorized'];

function paymentBadge(payment: PaymentRecord): SafeHtml {
  return sharedPaymentBadge(payment, GOOD_PAYMENT_STATUSES);
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
  return page('Sign in', undefined, signInBody(options.notice));
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

// Shown when the return page's polling gives up (the webhook or reconciliation still settles it).
const SLOW_CONFIRMATION =
  'This is taking longer than usual. You can close this page: your dashboard will show the enrollment as soon as the bank confirms.';

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
${pollScript(SLOW_CONFIRMATION)}`;
      break;
    default:
      body = html`<div class="notice warn"><h1>Still processing</h1>
<p>We are waiting for the bank to confirm your payment for <strong>${title}</strong>. This page updates by itself.</p>
<p class="muted" id="poll-note">Checked <span id="poll-count">0</span> times.</p></div>
${pollScript(SLOW_CONFIRMATION)}`;
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
  webhooks: readonly WebhookDeliveryRecord[];
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
  return page(
    'Admin',
    undefined,
    html`<h1>Admin</h1>${notice(options.notice)}
<p class="muted">Gateway: <strong>${options.providerLabel}</strong> · webhooks ${capabilities.webhooks} · app time ${formatTime(options.now)}</p>
<form class="inline" method="post" action="/admin/reconcile"><button type="submit" id="reconcile">Run reconciliation now</button></form>
<h2>Enrollments</h2><table id="admin-enrollments"><thead><tr><th>#</th><th>Student</th><th>Course</th><th>Status</th><th>Price</th><th>Created</th></tr></thead><tbody>${enrollmentRows}</tbody></table>
<h2>Payments</h2><table id="admin-payments"><thead><tr><th>Reference</th><th>Purpose</th><th>Amount</th><th>Status</th><th>Captured / refunded</th><th>Failure</th><th>Created</th><th>Actions</th></tr></thead><tbody>${paymentRows}</tbody></table>
${webhookDeliveriesTable(options.webhooks)}`,
  );
}
