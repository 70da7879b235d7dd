// Pieces of HTML both example apps' pages use. Each app's pages module (enrollment-pages.ts,
// subscription-pages.ts) builds its own pages from them.
import type { NextAction, PaymentStatus } from '@colchis/core';
import { formatTime, html, type SafeHtml, unsafeRaw } from './html.js';
import type { PaymentRecord, WebhookDeliveryRecord } from './payment-ledger.js';

/** The header's right-hand side: who is signed in (with a sign-out button), or a sign-in link. */
export function signedInAs(email: string | undefined): SafeHtml {
  return email
    ? html`Signed in as <strong id="who">${email}</strong>
<form class="inline" method="post" action="/logout"><button class="secondary" type="submit">Sign out</button></form>`
    : html`<a href="/login">Sign in</a>`;
}

/** The message line at the top of a page (`?notice=...` after a form), if any. */
export function notice(text: string | undefined, tone: 'ok' | 'bad' | 'warn' = 'warn'): SafeHtml {
  return text ? html`<div class="notice ${tone}" id="notice">${text}</div>` : html``;
}

/** The look of a status badge: its colour and its words. */
export interface BadgeStyle {
  tone: 'ok' | 'bad' | 'warn';
  label: string;
}

/** A badge for an app's own status (an enrollment's, a subscription's), `data-status` for tests. */
export function statusBadge<Status extends string>(
  status: Status,
  styles: Readonly<Record<Status, BadgeStyle>>,
): SafeHtml {
  const style = styles[status];
  return html`<span class="badge ${style.tone}" data-status="${status}">${style.label}</span>`;
}

/**
 * A badge for a payment's status (`data-payment-status` for tests): green for `goodStatuses`,
 * red for failed, expired and canceled, amber otherwise.
 */
export function paymentBadge(
  payment: PaymentRecord,
  goodStatuses: readonly PaymentStatus[] = ['captured'],
): SafeHtml {
  const tone = goodStatuses.includes(payment.status)
    ? 'ok'
    : payment.status === 'failed' || payment.status === 'expired' || payment.status === 'canceled'
      ? 'bad'
      : 'warn';
  return html`<span class="badge ${tone}" data-payment-status="${payment.status}">${payment.status.replace('_', ' ')}</span>`;
}

/** The sign-in page's content: the demo sign-in takes an e-mail address, no password. */
export function signInBody(message: string | undefined): SafeHtml {
  return html`<h1>Sign in</h1>${notice(message)}
<form method="post" action="/login" class="card" style="max-width:28rem">
<p class="muted">A demo account is just an e-mail address.</p>
<label for="login-email">E-mail</label><br><input type="email" id="login-email" name="email" required><br><br>
<button type="submit" id="login">Sign in</button></form>`;
}

// A constant text as a single-quoted JavaScript string that is safe inside <script>.
function scriptString(text: string): string {
  return `'${text.replace(/[\\'<>\n\r\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

/**
 * The return page's poller: asks the server (which asks the gateway) about the payment in
 * `#payment-result[data-reference]` until it settles, then reloads; `#poll-count` shows the
 * tries. After two minutes it gives up and puts `slowMessage` in `#poll-note`: the webhook or
 * reconciliation still settles the payment.
 */
export function pollScript(slowMessage: string): SafeHtml {
  return html`<script>${unsafeRaw(`
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
        if(tries<80)setTimeout(tick,1500);else document.getElementById('poll-note').textContent=${scriptString(slowMessage)};
      })
      .catch(function(){if(tries<80)setTimeout(tick,3000)});
  }
  setTimeout(tick,1000);
})();`)}</script>`;
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

/** The admin page's log of webhook deliveries: what each did, and whether it was signed. */
export function webhookDeliveriesTable(webhooks: readonly WebhookDeliveryRecord[]): SafeHtml {
  const rows = webhooks.map(
    (webhook) =>
      html`<tr data-webhook="${webhook.id}" data-outcome="${webhook.outcome}"><td>${webhook.id}</td><td>${formatTime(webhook.receivedAt)}</td><td>${webhook.paymentId ?? '—'}</td><td>${webhook.status ?? '—'}</td><td>${webhook.signed ? 'signed' : 'confirmed by fetch'}</td><td>${webhook.outcome}</td></tr>`,
  );
  return html`<h2>Webhook deliveries</h2><table id="admin-webhooks"><thead><tr><th>#</th><th>Received</th><th>Payment</th><th>Status</th><th>Trust</th><th>Outcome</th></tr></thead><tbody>${rows}</tbody></table>`;
}
