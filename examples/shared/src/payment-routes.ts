// The HTTP ends of the payment flow both example apps share: the webhook endpoint, the way to
// the gateway's hosted page and the way back from it. Each app registers them itself (see
// `enrollment-app.ts`) next to the pages that show the outcome.
import type { NextAction } from '@colchis/core';
import {
  type HttpHandler,
  type HttpResult,
  htmlResult,
  jsonResult,
  redirectResult,
  textResult,
} from './http-server.js';
import { postRedirectPage } from './page-fragments.js';
import type { PaymentRecord } from './payment-ledger.js';
import type { PaymentSync } from './payment-sync.js';

/** The return page of a payment (gateways send the customer back here): `/payment/callback/REF`. */
export function returnPath(reference: string): string {
  return `/payment/callback/${encodeURIComponent(reference)}`;
}

/**
 * `POST /webhooks/payments`: the raw bytes go to `provider.verifyWebhook` before anything parses
 * them (see {@link PaymentSync.handleWebhook}); a bad signature gets 400 and changes nothing.
 */
export function webhookHandler(sync: PaymentSync): HttpHandler {
  return async (context) => {
    const result = await sync.handleWebhook(await context.rawBody(), context.headers);
    return textResult(result.status, result.body);
  };
}

/** Sends the customer to the gateway's hosted page: a redirect, or an auto-submitted form. */
export function redirectToGateway(action: NextAction): HttpResult {
  return action.method === 'POST' ? htmlResult(postRedirectPage(action)) : redirectResult(action.url);
}

/**
 * Some hosted pages send the customer back with a POST (a cross-site form): answer with a
 * redirect to the return page, which is a GET.
 */
export const postedReturnHandler: HttpHandler = (context) =>
  redirectResult(returnPath(context.params.reference ?? ''));

/**
 * `GET /payment/status/:reference`, which the return page polls while the payment is open:
 * `{ status, view }` once the server asked the gateway ({@link PaymentSync.confirm}), 404 for a
 * reference that is not a payment of `ownerType`.
 */
export function paymentStatusHandler(
  sync: PaymentSync,
  ownerType: string,
  viewOf: (payment: PaymentRecord) => string,
): HttpHandler {
  return async (context) => {
    const payment = await sync.confirm(context.params.reference ?? '', ownerType, 'poll');
    if (!payment) return jsonResult({ error: 'unknown payment' }, 404);
    return jsonResult({ status: payment.status, view: viewOf(payment) });
  };
}

/**
 * The admin's "Run reconciliation now": asks the gateway about every open payment, however
 * recent, and says what came of it (the admin page shows it as its notice).
 */
export function reconcileNow(sync: PaymentSync): () => Promise<string> {
  return async () => {
    const summary = await sync.reconcile({ graceMs: 0 });
    return `Reconciliation: ${summary.checked} checked, ${summary.changed} changed, ${summary.failedToCheck} could not be checked.`;
  };
}
