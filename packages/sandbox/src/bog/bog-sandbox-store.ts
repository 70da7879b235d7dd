import type { SandboxClock } from '../clock.js';
import { BOG_SANDBOX_CODE_TEXT, type BogSandboxCard } from './bog-sandbox-cards.js';
import {
  bogDecimal,
  bogLocalDate,
  bogNumericId,
  bogStatusLabel,
  bogZonedDate,
} from './bog-sandbox-format.js';
import { BogSandboxError, type BogSandboxOrderRequest } from './bog-sandbox-order-body.js';

/** How an order was (or will be) paid. */
export type BogSandboxTransferMethod = 'card' | 'google_pay' | 'apple_pay';

/** One entry of an order's `actions[]`. */
export interface BogSandboxAction {
  id: string;
  action: 'authorize' | 'partial_authorize' | 'cancel_authorize' | 'refund' | 'partial_refund';
  status: 'completed' | 'rejected';
  at: number;
  amount: number;
  code: string | null;
}

/** A card saved by an order. */
export interface BogSandboxSavedCard {
  type: 'recurrent' | 'subscription';
  card: BogSandboxCard;
  expiry: string;
  active: boolean;
}

/** An order held by the sandbox (money in minor units). */
export interface BogSandboxOrder {
  id: string;
  request: BogSandboxOrderRequest;
  language: string;
  theme: string;
  status: string;
  rejectReason: string | null;
  createdAt: number;
  expiresAt: number;
  transferAmount: number | undefined;
  refundAmount: number;
  /** Requested with PUT .../cards or .../subscriptions before payment. */
  saveCard: 'recurrent' | 'subscription' | undefined;
  savedCard: BogSandboxSavedCard | undefined;
  parentOrderId: string | undefined;
  paymentOption: 'direct_debit' | 'recurrent' | 'subscription';
  transferMethod: BogSandboxTransferMethod | undefined;
  card: BogSandboxCard | undefined;
  cardExpiry: string | undefined;
  code: string | null;
  transactionId: string | null;
  authCode: string | null;
  actions: BogSandboxAction[];
}

/** A pre-authorization hold is released after 30 days. */
const HOLD_MS = 30 * 86_400_000;

function maskedPan(number: string): string {
  return `${number.slice(0, 6)}xxxxxx${number.slice(-4)}`;
}

function cardBrand(number: string): string {
  if (number.startsWith('4')) return 'visa';
  if (number.startsWith('3')) return 'amex';
  return 'mc';
}

/**
 * The state of the emulated Bank of Georgia: orders, their payments, refunds, holds and saved cards,
 * with time read from the sandbox clock. Every change that Bank of Georgia reports by callback calls
 * `notify`.
 */
export class BogSandboxStore {
  readonly orders = new Map<string, BogSandboxOrder>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly notify: (order: BogSandboxOrder) => void,
  ) {}

  reset(): void {
    this.orders.clear();
  }

  /** Creates an order from a validated request. */
  create(
    request: BogSandboxOrderRequest,
    extra: {
      language: string;
      theme: string;
      parent?: BogSandboxOrder;
      paymentOption?: BogSandboxOrder['paymentOption'];
    },
  ): BogSandboxOrder {
    const now = this.clock.now();
    const order: BogSandboxOrder = {
      id: globalThis.crypto.randomUUID(),
      request,
      language: extra.language,
      theme: extra.theme,
      status: 'created',
      rejectReason: null,
      createdAt: now,
      expiresAt: now + request.ttlMinutes * 60_000,
      transferAmount: undefined,
      refundAmount: 0,
      saveCard: undefined,
      savedCard: undefined,
      parentOrderId: extra.parent?.id,
      paymentOption: extra.paymentOption ?? 'direct_debit',
      transferMethod: undefined,
      card: undefined,
      cardExpiry: undefined,
      code: null,
      transactionId: null,
      authCode: null,
      actions: [],
    };
    this.orders.set(order.id, order);
    return order;
  }

  /** The order, with expiries applied; a 400 "Invalid order_id" (as BOG answers) when unknown. */
  require(id: string): BogSandboxOrder {
    this.sweep(this.clock.now());
    const order = this.orders.get(id);
    if (!order) throw new BogSandboxError(400, 'Invalid order_id', 'invalid_order_id');
    return order;
  }

  /** Expires unpaid orders and releases holds whose time has come. */
  sweep(now: number): void {
    for (const order of this.orders.values()) {
      if ((order.status === 'created' || order.status === 'processing') && now >= order.expiresAt) {
        order.status = 'rejected';
        order.rejectReason = 'expiration';
        order.code = '110';
        this.notify(order);
      } else if (order.status === 'blocked' && now >= order.createdAt + HOLD_MS) {
        order.status = 'rejected';
        order.rejectReason = 'expiration';
        order.transferAmount = 0;
        this.notify(order);
      }
    }
  }

  /** The customer pays with a card or a wallet; `card` decides the outcome. */
  pay(
    order: BogSandboxOrder,
    card: BogSandboxCard,
    method: BogSandboxTransferMethod,
    expiry = '12/30',
  ): void {
    if (order.status !== 'created') {
      throw new BogSandboxError(400, `The order is ${order.status} and cannot be paid`, 'invalid_state');
    }
    order.transferMethod = method;
    order.card = card;
    order.cardExpiry = expiry;
    order.transactionId = bogNumericId();
    const declined = card.result !== 'success' && card.result !== 'three_d_secure';
    if (declined) {
      order.status = 'rejected';
      order.code = card.code ?? '103';
      order.rejectReason = BOG_SANDBOX_CODE_TEXT[order.code] ?? 'unknown';
      order.transferAmount = 0;
    } else if (order.request.capture === 'manual') {
      order.status = 'blocked';
      order.code = '200';
      order.authCode = String(100000 + Math.floor(Math.random() * 900000));
      order.transferAmount = 0;
    } else {
      order.status = 'completed';
      order.code = '100';
      order.authCode = String(100000 + Math.floor(Math.random() * 900000));
      order.transferAmount = order.request.totalAmount;
    }
    if (!declined && order.saveCard) {
      order.savedCard = { type: order.saveCard, card, expiry, active: true };
    }
    this.notify(order);
  }

  /** A failed 3-D Secure challenge. */
  declineAuthentication(order: BogSandboxOrder, card: BogSandboxCard): void {
    this.pay(order, { ...card, result: 'declined', code: '108' }, 'card');
  }

  /** Marks the order to save its card (PUT .../cards or .../subscriptions). */
  requestCardSaving(order: BogSandboxOrder, type: 'recurrent' | 'subscription'): void {
    if (order.status !== 'created') {
      throw new BogSandboxError(
        400,
        'Card saving must be requested after creating the order and before the customer pays',
        'invalid_state',
      );
    }
    order.saveCard = type;
  }

  /** The saved card of a parent order, of the given kind; 400 "Saved card wasn't found" otherwise. */
  savedCardOf(parent: BogSandboxOrder, type: 'recurrent' | 'subscription'): BogSandboxSavedCard {
    const saved = parent.savedCard;
    if (!saved?.active || saved.type !== type) {
      throw new BogSandboxError(400, "Saved card wasn't found", 'saved_card_not_found');
    }
    return saved;
  }

  private action(
    order: BogSandboxOrder,
    action: BogSandboxAction['action'],
    status: BogSandboxAction['status'],
    amount: number,
    code: string | null,
  ): BogSandboxAction {
    const entry: BogSandboxAction = {
      id: globalThis.crypto.randomUUID(),
      action,
      status,
      at: this.clock.now(),
      amount,
      code,
    };
    order.actions.push(entry);
    return entry;
  }

  /** Refunds all (no amount) or part of what was taken. */
  refund(order: BogSandboxOrder, amount: number | undefined): BogSandboxAction {
    if (!['completed', 'partial_completed', 'refunded_partially'].includes(order.status)) {
      throw new BogSandboxError(400, `An order that is ${order.status} cannot be refunded`, 'invalid_state');
    }
    const remaining = order.transferAmount ?? 0;
    const value = amount ?? remaining;
    if (value <= 0) throw new BogSandboxError(400, 'amount must be more than zero');
    if (value > remaining) {
      throw new BogSandboxError(
        400,
        `amount cannot exceed the processed amount (transfer_amount ${bogDecimal(remaining)})`,
      );
    }
    const kind = value === remaining && order.refundAmount === 0 ? 'refund' : 'partial_refund';
    if (order.card?.rejectsLaterOperations) {
      const entry = this.action(order, kind, 'rejected', value, '161');
      this.notify(order);
      return entry;
    }
    order.transferAmount = remaining - value;
    order.refundAmount += value;
    order.status = order.transferAmount === 0 ? 'refunded' : 'refunded_partially';
    const entry = this.action(order, kind, 'completed', value, null);
    this.notify(order);
    return entry;
  }

  /** Confirms all (no amount) or part of a hold. */
  approve(order: BogSandboxOrder, amount: number | undefined): BogSandboxAction {
    if (order.status !== 'blocked') {
      throw new BogSandboxError(
        400,
        `Only a blocked pre-authorization can be approved; the order is ${order.status}`,
        'invalid_state',
      );
    }
    const held = order.request.totalAmount;
    const value = amount ?? held;
    if (value <= 0 || value > held) {
      throw new BogSandboxError(
        400,
        `amount must be more than zero and at most the blocked ${bogDecimal(held)}`,
      );
    }
    const kind = value === held ? 'authorize' : 'partial_authorize';
    if (order.card?.rejectsLaterOperations) {
      const entry = this.action(order, kind, 'rejected', value, '112');
      this.notify(order);
      return entry;
    }
    order.status = value === held ? 'completed' : 'partial_completed';
    order.transferAmount = value;
    order.code = '100';
    const entry = this.action(order, kind, 'completed', value, null);
    this.notify(order);
    return entry;
  }

  /** Releases a hold. */
  cancel(order: BogSandboxOrder): BogSandboxAction {
    if (order.status !== 'blocked') {
      throw new BogSandboxError(
        400,
        `Only a blocked pre-authorization can be cancelled; the order is ${order.status}`,
        'invalid_state',
      );
    }
    order.status = 'rejected';
    order.transferAmount = 0;
    const entry = this.action(order, 'cancel_authorize', 'completed', order.request.totalAmount, null);
    this.notify(order);
    return entry;
  }

  /** An automatic charge of a parent's saved card: a new order for the parent's amount, paid at once. */
  chargeSubscription(
    parent: BogSandboxOrder,
    overrides: { callbackUrl: string | undefined; externalOrderId: string | undefined },
  ): BogSandboxOrder {
    const saved = this.savedCardOf(parent, 'subscription');
    const child = this.create(
      {
        ...parent.request,
        capture: 'automatic',
        callbackUrl: overrides.callbackUrl ?? parent.request.callbackUrl,
        externalOrderId: overrides.externalOrderId ?? parent.request.externalOrderId,
      },
      { language: parent.language, theme: parent.theme, parent, paymentOption: 'subscription' },
    );
    const card = saved.card.rejectsLaterOperations
      ? { ...saved.card, result: 'declined' as const, code: '122' }
      : saved.card;
    this.pay(child, card, 'card', saved.expiry);
    return child;
  }

  /** The receipt (payment details) exactly as the API and callbacks present it. */
  receipt(order: BogSandboxOrder, baseUrl: string): Record<string, unknown> {
    const { request } = order;
    const paid = order.transferMethod !== undefined;
    const card = order.card;
    const code = order.code;
    return {
      order_id: order.id,
      industry: 'ecommerce',
      capture: request.capture,
      external_order_id: request.externalOrderId ?? null,
      client: { id: '10001', brand_ka: 'Colchis სენდბოქსი', brand_en: 'Colchis Sandbox', url: baseUrl },
      create_date: bogLocalDate(order.createdAt),
      zoned_create_date: bogZonedDate(order.createdAt),
      expire_date: bogLocalDate(order.expiresAt),
      zoned_expire_date: bogZonedDate(order.expiresAt),
      order_status: { key: order.status, value: bogStatusLabel(order.status, order.language) },
      buyer: request.buyer
        ? {
            full_name: request.buyer.fullName ?? null,
            email: request.buyer.email ?? null,
            phone_number: request.buyer.phone ?? null,
          }
        : null,
      purchase_units: {
        request_amount: bogDecimal(request.totalAmount),
        transfer_amount: order.transferAmount === undefined ? null : bogDecimal(order.transferAmount),
        refund_amount: paid ? bogDecimal(order.refundAmount) : null,
        currency_code: request.currency,
        items: request.basket.map((item) => ({
          external_item_id: item.productId,
          description: item.description ?? null,
          quantity: String(item.quantity),
          unit_price: bogDecimal(item.unitPrice),
          unit_discount_price: bogDecimal(item.unitDiscountPrice ?? 0),
          vat: item.vat === undefined ? null : bogDecimal(item.vat),
          vat_percent: item.vatPercent === undefined ? null : String(item.vatPercent),
          total_price: item.totalPrice === undefined ? null : bogDecimal(item.totalPrice),
          package_code: item.packageCode ?? null,
          tin: item.tin ?? null,
          pinfl: item.pinfl ?? null,
          product_discount_id: item.productDiscountId ?? null,
        })),
      },
      redirect_links: request.redirectUrls
        ? { success: request.redirectUrls.success ?? null, fail: request.redirectUrls.fail ?? null }
        : null,
      payment_detail: {
        transfer_method: paid
          ? {
              key: order.transferMethod,
              value: order.transferMethod === 'card' ? 'ბარათით გადახდა' : order.transferMethod,
            }
          : { key: '', value: '' },
        transaction_id: order.transactionId,
        payer_identifier: card ? maskedPan(card.number) : null,
        payment_option: order.paymentOption,
        card_type: card ? cardBrand(card.number) : null,
        card_expiry_date: order.cardExpiry ?? null,
        request_account_tag: request.accountTag ?? null,
        transfer_account_tag: paid ? (request.accountTag ?? 'default') : null,
        saved_card_type: order.savedCard?.active ? order.savedCard.type : null,
        parent_order_id: order.parentOrderId ?? null,
        code,
        code_description: code ? (BOG_SANDBOX_CODE_TEXT[code] ?? null) : null,
        pg_trx_id: order.transactionId ? `PG${order.transactionId}` : null,
        auth_code: order.authCode,
      },
      discount: null,
      actions:
        order.actions.length === 0
          ? null
          : order.actions.map((action) => ({
              action_id: action.id,
              request_channel: 'public_api',
              action: action.action,
              status: action.status,
              action_date: bogLocalDate(action.at),
              zoned_action_date: bogZonedDate(action.at),
              amount: bogDecimal(action.amount),
              code: action.code,
              code_description: action.code ? (BOG_SANDBOX_CODE_TEXT[action.code] ?? null) : null,
            })),
      disputes: null,
      split: null,
      lang: order.language,
      reject_reason: order.status === 'rejected' ? (order.rejectReason ?? 'unknown') : null,
    };
  }
}
