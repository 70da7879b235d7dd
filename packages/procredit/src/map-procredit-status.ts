import type { Money, PaymentFailure, PaymentStatus } from '@colchis/core';
import { readProCreditAmount } from './procredit-amount.js';
import type { ProCreditOrder, ProCreditOrderTransaction } from './procredit-api.js';
import { failureFromPmoCode } from './procredit-pmo-codes.js';
import type { ProCreditAmountFormat } from './procredit-presets.js';

/**
 * Every order status seen on the TXPG protocol and what it means on its own. Where banks
 * disagree the order's amounts decide (see {@link evaluateProCreditOrder}); this table is the
 * reading when nothing else is known:
 *
 * - `PartiallyPaid` (Kapital: part of the amount cleared) is `captured`; `PartPaid` (MilliKart,
 *   RNCB: partly reversed or refunded) is `partially_refunded`.
 * - `Refused` is `failed` (Kapital: the customer refused to pay); with refunded money it is
 *   MilliKart's "fully refunded".
 * - `Cancelled` is `canceled` (cancelled before payment, or fully reversed).
 * - `Closed` says nothing by itself: it is read through `prevStatus`, so alone it is `processing`.
 * - `BeingPrepared` (a library's label for `Preparing`) and `Reversed` (seen in one SDK, in no
 *   bank document) are tolerated.
 */
export const PROCREDIT_STATUSES: Readonly<Record<string, PaymentStatus>> = Object.freeze({
  Preparing: 'requires_action',
  BeingPrepared: 'requires_action',
  WaitPushTran: 'requires_action',
  Authorized: 'authorized',
  PartiallyPaid: 'captured',
  PartPaid: 'partially_refunded',
  FullyPaid: 'captured',
  Funded: 'captured',
  Declined: 'failed',
  Rejected: 'failed',
  Refused: 'failed',
  Cancelled: 'canceled',
  Canceled: 'canceled',
  Voided: 'canceled',
  Reversed: 'canceled',
  Expired: 'expired',
  Refunded: 'refunded',
  Closed: 'processing',
});

const BY_LOWER_CASE = new Map(Object.keys(PROCREDIT_STATUSES).map((raw) => [raw.toLowerCase(), raw]));

/** The documented spelling of a raw status (`fullypaid` -> `FullyPaid`), or `undefined`. */
function canonical(raw: string | null | undefined): string | undefined {
  return raw ? BY_LOWER_CASE.get(raw.trim().toLowerCase()) : undefined;
}

/**
 * Maps a raw order status on its own, case-insensitively. Unknown values are `processing`,
 * never a terminal status. Prefer {@link evaluateProCreditOrder}, which also reads `prevStatus`
 * and the amounts.
 */
export function mapProCreditStatus(raw: string): PaymentStatus {
  const name = canonical(raw);
  return name ? (PROCREDIT_STATUSES[name] as PaymentStatus) : 'processing';
}

/** An order's state in Colchis' terms. */
export interface ProCreditOrderEvaluation {
  status: PaymentStatus;
  rawStatus: string;
  /** The order's amount in minor units, as the bank reports it. */
  amount: number | undefined;
  currency: string | undefined;
  amountCaptured: number;
  amountRefunded: number;
  /** Authorized and not (yet) cleared, in minor units. */
  amountAuthorized: number;
  failure: PaymentFailure | undefined;
}

/**
 * Evaluates an order fetched with `GET /order/{id}`: the status read together with `prevStatus`
 * (for `Closed`) and the cleared, refunded and authorized amounts (for the statuses banks
 * disagree on), then checked against what was requested. An order the bank reports paid (or
 * authorized) for another amount or currency than `expected` is `failed` with failure
 * `amount_mismatch` or `currency_mismatch`: never fulfil it, investigate and refund.
 */
export function evaluateProCreditOrder(
  order: ProCreditOrder,
  options: { expected?: Money | undefined; amountFormat?: ProCreditAmountFormat | undefined } = {},
): ProCreditOrderEvaluation {
  const format = options.amountFormat ?? 'major-string';
  const rawStatus = order.status ?? '';
  const currency = order.currency ?? options.expected?.currency;
  const amountCurrency = currency ?? 'XXX';
  const read = (value: unknown) => readProCreditAmount(value, amountCurrency, format);
  const amount = read(order.amount);
  const totals = transactionTotals(order.trans ?? [], read);
  const cleared = read(order.clearedChargeAmount) ?? totals.charged;
  const refunded = read(order.clearedRefundAmount) ?? totals.refunded;
  const authorized = read(order.authorizedChargeAmount);

  let status: PaymentStatus;
  let failure: PaymentFailure | undefined;
  let captured = cleared ?? 0;
  let refundedAmount = refunded ?? 0;

  const name = canonical(rawStatus);
  const effective = name === 'Closed' ? (canonical(order.prevStatus) ?? 'Closed') : name;
  switch (effective) {
    case 'Preparing':
    case 'BeingPrepared':
    case 'WaitPushTran':
      // Closed after Preparing: the customer never paid and the order can no longer be used.
      status = name === 'Closed' ? 'expired' : 'requires_action';
      break;
    case 'Authorized':
      // Closed after Authorized: the hold lapsed without clearing.
      status = name === 'Closed' ? 'canceled' : 'authorized';
      break;
    case 'FullyPaid':
    case 'Funded':
      captured = cleared ?? amount ?? 0;
      status = afterRefunds(captured, refundedAmount, 'captured');
      break;
    case 'PartiallyPaid':
    case 'PartPaid':
      if (cleared === undefined && refunded === undefined) {
        captured = amount ?? 0;
        status = effective === 'PartPaid' ? 'partially_refunded' : 'captured';
      } else {
        status = afterRefunds(captured, refundedAmount, 'captured');
      }
      break;
    case 'Refunded':
      captured = cleared ?? amount ?? 0;
      refundedAmount = refunded ?? captured;
      status = 'refunded';
      break;
    case 'Refused':
      if ((cleared ?? 0) > 0 || refundedAmount > 0) {
        // MilliKart's "fully refunded".
        refundedAmount = refunded ?? cleared ?? 0;
        status = 'refunded';
      } else {
        status = 'failed';
        failure = {
          code: 'canceled_by_customer',
          message: 'The customer did not complete the payment.',
          rawCode: rawStatus,
        };
      }
      break;
    case 'Cancelled':
    case 'Canceled':
    case 'Reversed':
    case 'Voided':
      // A reversal after money was cleared returns it: that is a refund, which a captured payment
      // may move to (captured -> canceled is not a legal transition).
      if ((cleared ?? 0) > 0) {
        refundedAmount = refunded && refunded > 0 ? refunded : (cleared ?? 0);
        status = refundedAmount >= (cleared ?? 0) ? 'refunded' : 'partially_refunded';
      } else {
        status = 'canceled';
      }
      break;
    case 'Declined':
    case 'Rejected':
      status = 'failed';
      failure = declineFailure(order, effective);
      break;
    case 'Expired':
      status = 'expired';
      failure = { code: 'expired', message: 'The order expired before it was paid.', rawCode: rawStatus };
      break;
    default:
      // Closed without a readable prevStatus, or a status no document lists.
      status =
        name === 'Closed' && (cleared ?? 0) > 0
          ? afterRefunds(captured, refundedAmount, 'captured')
          : 'processing';
  }

  const holdsMoney = status === 'authorized' || status === 'captured' || status === 'partially_refunded';
  const expected = options.expected;
  if (holdsMoney && expected) {
    if (order.currency && order.currency.toUpperCase() !== expected.currency.toUpperCase()) {
      failure = {
        code: 'currency_mismatch',
        message: `The bank reports this order in ${order.currency}, but ${expected.currency} was requested. Do not fulfil it: investigate and refund.`,
        rawCode: rawStatus,
      };
      status = 'failed';
    } else if (amount !== undefined && amount !== expected.amount) {
      failure = {
        code: 'amount_mismatch',
        message: `The bank reports an order of ${amount} minor units, but ${expected.amount} was requested. Do not fulfil it: investigate and refund.`,
        rawCode: rawStatus,
      };
      status = 'failed';
    }
  }

  return {
    status,
    rawStatus,
    amount,
    currency,
    amountCaptured: status === 'authorized' || status === 'requires_action' ? 0 : Math.max(0, captured),
    amountRefunded: Math.max(0, refundedAmount),
    amountAuthorized: status === 'authorized' ? (authorized ?? amount ?? 0) : 0,
    failure,
  };
}

function afterRefunds(captured: number, refunded: number, otherwise: PaymentStatus): PaymentStatus {
  if (refunded <= 0) return otherwise;
  return captured > 0 && refunded >= captured ? 'refunded' : 'partially_refunded';
}

function transactionTotals(
  transactions: readonly ProCreditOrderTransaction[],
  read: (value: unknown) => number | undefined,
): { charged: number | undefined; refunded: number | undefined } {
  if (transactions.length === 0) return { charged: undefined, refunded: undefined };
  let charged = 0;
  let refunded = 0;
  let seen = false;
  for (const transaction of transactions) {
    const value = read(transaction.clearAmount);
    if (value === undefined) continue;
    seen = true;
    const isReturn =
      value < 0 ||
      transaction.isReversal === true ||
      /refund/i.test(transaction.type ?? '') ||
      /refund|void/i.test(transaction.description ?? '');
    if (isReturn) refunded += Math.abs(value);
    else charged += value;
  }
  return seen ? { charged, refunded } : { charged: undefined, refunded: undefined };
}

function declineFailure(order: ProCreditOrder, status: string): PaymentFailure {
  const attributes = new Map<string, string>();
  for (const attribute of order.custAttrs ?? []) {
    if (attribute.rid && attribute.valAsStr) attributes.set(attribute.rid.toLowerCase(), attribute.valAsStr);
  }
  const pmoCode = attributes.get('pmoresultcode');
  const description = attributes.get('pmodeclinedescription') ?? attributes.get('declinedescription');
  if (pmoCode) {
    const failure = failureFromPmoCode(pmoCode);
    return { code: failure.code, message: description ?? failure.message, rawCode: pmoCode };
  }
  return status === 'Rejected'
    ? {
        code: 'processing_error',
        message: description ?? 'The payment was rejected by the gateway.',
        rawCode: status,
      }
    : { code: 'card_declined', message: description ?? 'The card was declined.', rawCode: status };
}
