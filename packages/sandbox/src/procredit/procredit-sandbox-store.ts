import { randomBytes, randomInt } from 'node:crypto';
import { toMajorNumber } from '@colchis/core';
import type { SandboxClock } from '../clock.js';
import type { ProCreditSandboxCard } from './procredit-sandbox-cards.js';

/** Order types the sandbox merchant is configured with (and the aliases other presets use). */
export const PROCREDIT_SANDBOX_TYPE_RIDS = Object.freeze({
  purchase: 'ORD1',
  preauthorization: 'DMS1',
  recurring: 'REC1',
});

/** What an order type does. */
export type ProCreditSandboxOrderKind = 'purchase' | 'preauthorization' | 'recurring';

const ORDER_TYPES: Readonly<Record<string, ProCreditSandboxOrderKind>> = {
  ORD1: 'purchase',
  '1': 'purchase',
  '225': 'purchase',
  Order_SMS: 'purchase',
  DMS1: 'preauthorization',
  Order_DMS: 'preauthorization',
  REC1: 'recurring',
  Order_REC: 'recurring',
  Order_recurrent: 'recurring',
};

/** The kind of an order type id, or `undefined` when the merchant has no such type. */
export function orderKind(typeRid: string): ProCreditSandboxOrderKind | undefined {
  return Object.hasOwn(ORDER_TYPES, typeRid) ? ORDER_TYPES[typeRid] : undefined;
}

/** One line of `order.trans[]`. */
export interface ProCreditSandboxTransaction {
  actionId: string;
  approvalCode: string;
  ridByPmo: string;
  rrn: string;
  regTime: number;
  /** Signed minor units: negative for voids and refunds. */
  clearAmount: number;
  description: 'Purchase' | 'Purchase - Void' | 'Refund' | 'Preauthorization' | 'Preauthorization - Void';
  phase: string;
  type: 'Purchase' | 'Refund';
  isReversal: boolean;
}

/** A saved card. */
export interface ProCreditSandboxToken {
  id: number;
  merchantId: string;
  card: ProCreditSandboxCard;
  expiration: string;
  registeredAt: number;
}

/** An order in the sandbox. */
export interface ProCreditSandboxOrder {
  id: number;
  password: string;
  merchantId: string;
  typeRid: string;
  kind: ProCreditSandboxOrderKind;
  /** Minor units. */
  amount: number;
  currency: string;
  description: string | undefined;
  language: string;
  hppRedirectUrl: string | undefined;
  initiationEnvKind: string;
  ridByMerchant: string | undefined;
  hppCofCapturePurposes: string[];
  consumerBrowser: unknown;
  status: string;
  prevStatus: string | undefined;
  createdAt: number;
  finishedAt: number | undefined;
  /** Held (DMS) and not yet cleared or voided, minor units. */
  authorized: number;
  cleared: number;
  refunded: number;
  /** Day (sandbox clock) the purchase was cleared: same-day reversal only. */
  clearedOn: string | undefined;
  authorizedAt: number | undefined;
  trans: ProCreditSandboxTransaction[];
  /** The card that paid (hosted page) or the saved card attached by set-src-token. */
  card: ProCreditSandboxCard | undefined;
  /** Its expiry, `MMYY`. */
  cardExpiration: string | undefined;
  /** Saved card attached by set-src-token. */
  sourceTokenId: number | undefined;
  /** Card saved by this order. */
  storedTokenId: number | undefined;
  declineCode: string | undefined;
  declineDescription: string | undefined;
}

/** How long an unpaid order stays payable (MilliKart documents 10 minutes; kept generous here). */
export const PROCREDIT_SANDBOX_ORDER_LIFETIME_MS = 20 * 60_000;
/** How long an authorization holds before the bank closes the order. */
export const PROCREDIT_SANDBOX_HOLD_LIFETIME_MS = 30 * 86_400_000;

/** State of the ProCredit emulator: orders and saved cards, with lazy expiry on the sandbox clock. */
export class ProCreditSandboxStore {
  private readonly orders = new Map<number, ProCreditSandboxOrder>();
  private readonly tokens = new Map<number, ProCreditSandboxToken>();
  private nextOrderId = 1944;
  private nextTokenId = 7001;
  private counter = 0;

  constructor(private readonly clock: SandboxClock) {}

  /** Forgets every order and card. */
  reset(): void {
    this.orders.clear();
    this.tokens.clear();
    this.nextOrderId = 1944;
    this.nextTokenId = 7001;
  }

  /** Creates an order in `Preparing`. */
  createOrder(
    input: Omit<
      ProCreditSandboxOrder,
      | 'id'
      | 'password'
      | 'status'
      | 'prevStatus'
      | 'createdAt'
      | 'finishedAt'
      | 'authorized'
      | 'cleared'
      | 'refunded'
      | 'clearedOn'
      | 'authorizedAt'
      | 'trans'
      | 'card'
      | 'cardExpiration'
      | 'sourceTokenId'
      | 'storedTokenId'
      | 'declineCode'
      | 'declineDescription'
    >,
  ): ProCreditSandboxOrder {
    const order: ProCreditSandboxOrder = {
      ...input,
      id: this.nextOrderId++,
      // Real passwords are ~12 lower-case alphanumerics.
      password: randomBytes(9)
        .toString('base64url')
        .toLowerCase()
        .replace(/[^a-z0-9]/g, 'x')
        .slice(0, 12),
      status: 'Preparing',
      prevStatus: undefined,
      createdAt: this.clock.now(),
      finishedAt: undefined,
      authorized: 0,
      cleared: 0,
      refunded: 0,
      clearedOn: undefined,
      authorizedAt: undefined,
      trans: [],
      card: undefined,
      cardExpiration: undefined,
      sourceTokenId: undefined,
      storedTokenId: undefined,
      declineCode: undefined,
      declineDescription: undefined,
    };
    this.orders.set(order.id, order);
    return order;
  }

  /** An order by id, after applying expiry. */
  order(id: number | string): ProCreditSandboxOrder | undefined {
    const order = this.orders.get(Number(id));
    if (order) this.expire(order);
    return order;
  }

  /** A saved card by id. */
  token(id: number | string): ProCreditSandboxToken | undefined {
    return this.tokens.get(Number(id));
  }

  /** Saves the order's card and links it to the order. */
  saveCard(
    order: ProCreditSandboxOrder,
    card: ProCreditSandboxCard,
    expiration: string,
  ): ProCreditSandboxToken {
    const token: ProCreditSandboxToken = {
      id: this.nextTokenId++,
      merchantId: order.merchantId,
      card,
      expiration,
      registeredAt: this.clock.now(),
    };
    this.tokens.set(token.id, token);
    order.storedTokenId = token.id;
    return token;
  }

  /** Moves an order to a new status, remembering the previous one. */
  setStatus(order: ProCreditSandboxOrder, status: string): void {
    if (order.status === status) return;
    order.prevStatus = order.status;
    order.status = status;
    if (
      ['FullyPaid', 'Declined', 'Rejected', 'Refused', 'Expired', 'Voided', 'Refunded', 'Cancelled'].includes(
        status,
      )
    ) {
      order.finishedAt = this.clock.now();
    }
  }

  /** Records a transaction line. */
  addTransaction(
    order: ProCreditSandboxOrder,
    line: Omit<ProCreditSandboxTransaction, 'actionId' | 'approvalCode' | 'ridByPmo' | 'rrn' | 'regTime'>,
  ): ProCreditSandboxTransaction {
    const now = this.clock.now();
    this.counter++;
    const transaction: ProCreditSandboxTransaction = {
      ...line,
      actionId: `${formatDay(now).replace(/-/g, '').slice(2)}-${String(order.id).padStart(8, '0')}-${String(this.counter).padStart(4, '0')}`,
      approvalCode: String(randomInt(100_000, 999_999)),
      ridByPmo: `${Date.now()}${randomInt(1000, 9999)}`,
      rrn: String(randomInt(100_000_000_000, 999_999_999_999)),
      regTime: now,
    };
    order.trans.push(transaction);
    return transaction;
  }

  /** Sandbox time, epoch ms. */
  now(): number {
    return this.clock.now();
  }

  /** The day of a sandbox timestamp (`YYYY-MM-DD`), for same-day reversals. */
  today(): string {
    return formatDay(this.clock.now());
  }

  private expire(order: ProCreditSandboxOrder): void {
    const now = this.clock.now();
    if (order.status === 'Preparing' && now - order.createdAt > PROCREDIT_SANDBOX_ORDER_LIFETIME_MS) {
      this.setStatus(order, 'Expired');
    } else if (
      order.status === 'Authorized' &&
      order.authorizedAt !== undefined &&
      now - order.authorizedAt > PROCREDIT_SANDBOX_HOLD_LIFETIME_MS
    ) {
      // The hold lapsed: the bank closes the order, and only prevStatus tells what it was.
      order.authorized = 0;
      this.setStatus(order, 'Closed');
    }
  }
}

/** `YYYY-MM-DD HH:mm:ss` as the bank writes times (no time zone; the sandbox uses UTC). */
export function formatBankTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}

function formatDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** Renders `GET /order/{id}` at the requested detail levels. */
export function renderOrder(
  order: ProCreditSandboxOrder,
  levels: { order: number; tran: number; token: number },
  hppUrl: string,
): Record<string, unknown> {
  const major = (minor: number) => toMajorNumber(minor, order.currency);
  const body: Record<string, unknown> = {
    id: order.id,
    typeRid: order.typeRid,
    status: order.status,
    lastStatusLogin: 'sandbox',
    amount: major(order.amount),
    currency: order.currency,
    createTime: formatBankTime(order.createdAt),
    type: { title: order.kind === 'preauthorization' ? 'Preauthorization' : 'Purchase', allowVoid: true },
  };
  if (order.ridByMerchant) body.ridByMerchant = order.ridByMerchant;
  if (order.prevStatus) body.prevStatus = order.prevStatus;
  if (order.finishedAt !== undefined) body.finishTime = formatBankTime(order.finishedAt);
  if (levels.order >= 1) {
    body.hppUrl = hppUrl;
    body.description = order.description ?? null;
    body.language = order.language;
    body.initiationEnvKind = order.initiationEnvKind;
  }
  if (levels.order >= 2) {
    body.password = order.password;
    body.authorizedChargeAmount = major(order.authorized + order.cleared);
    body.clearedChargeAmount = major(order.cleared);
    body.clearedRefundAmount = major(order.refunded);
    body.srcAmount = major(order.amount);
    body.srcCurrency = order.currency;
    body.hppCofCapturePurposes = order.hppCofCapturePurposes;
    body.merchant = { rid: order.merchantId, title: 'Colchis Sandbox Merchant' };
    body.type = {
      ...(body.type as object),
      rid: order.typeRid,
      hppTranPhase: order.kind === 'preauthorization' ? 'Auth' : 'Single',
      allowTranTypes: ['Purchase', 'Refund'],
      allowTranPhases: ['Auth', 'Clearing', 'Single'],
      orderClass: 'Sale',
      paymentMethods: ['Card'],
    };
    if (order.storedTokenId !== undefined) body.storedTokens = [{ id: order.storedTokenId }];
    if (order.declineCode) {
      body.custAttrs = [
        { rid: 'PmoResultCode', valAsStr: order.declineCode },
        { rid: 'PmoDeclineDescription', valAsStr: order.declineDescription ?? '' },
      ];
    }
  }
  if (levels.tran >= 1 && order.trans.length > 0) {
    body.trans = order.trans.map((transaction) => ({
      approvalCode: transaction.approvalCode,
      actionId: transaction.actionId,
      orderId: order.id,
      merchantId: order.merchantId,
      billingStatus: 'Normal',
      isReversal: transaction.isReversal,
      ridByPmo: transaction.ridByPmo,
      rrn: transaction.rrn,
      regTime: formatBankTime(transaction.regTime),
      clearDay: formatBankTime(transaction.regTime).slice(0, 10),
      clearAmount:
        transaction.clearAmount < 0 ? -major(-transaction.clearAmount) : major(transaction.clearAmount),
      clearCcy: order.currency,
      amount: major(Math.abs(transaction.clearAmount)),
      currency: order.currency,
      description: transaction.description,
      phase: transaction.phase,
      type: transaction.type,
    }));
  }
  const card = order.card;
  if (levels.token >= 1 && card) {
    const token: Record<string, unknown> = {
      id: order.sourceTokenId ?? order.storedTokenId ?? order.id + 500_000,
      paymentMethod: 'Card',
      role: 'Src',
      status: 'Active',
      displayName: maskPan(card.number),
      card: { expiration: order.cardExpiration ?? '1230', brand: card.brand },
    };
    if (levels.token >= 2) {
      token.entryMode = order.sourceTokenId !== undefined ? 'StoredCredential' : 'ECommerce';
      token.regTime = formatBankTime(order.finishedAt ?? order.createdAt);
      if (order.sourceTokenId !== undefined)
        (token.card as Record<string, unknown>).restoredFromId = order.sourceTokenId;
    }
    body.srcToken = token;
  }
  return body;
}

/** `426863******3689`: first six and last four digits. */
export function maskPan(number: string): string {
  return `${number.slice(0, 6)}${'*'.repeat(Math.max(0, number.length - 10))}${number.slice(-4)}`;
}
