import { BOG_DEFAULT_CURRENCY, readBogAmount } from './bog-amount.js';
import type { BogReceipt } from './bog-api.js';
import type { BogOrderAction, BogPaymentDetails, BogReceiptItem } from './bog-client-types.js';

type Text = string | number | null | undefined;

/** Reads a text field that may be a number; empty text reads as missing. */
function text(value: Text): string | undefined {
  if (value === null || value === undefined) return undefined;
  const result = typeof value === 'number' ? String(value) : value;
  return result === '' ? undefined : result;
}

/** Reads a quantity or a percentage (not money): any finite decimal. */
function decimal(value: Text): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const result = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(result) ? result : undefined;
}

// Real receipts carry `create_date`/`expire_date` in Tbilisi local time without an offset (an older
// doc revision listed only those). Georgia has kept UTC+4 without daylight saving since 2005.
const TBILISI_OFFSET = '+04:00';
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/** Parses a BOG timestamp: zoned (`...Z`) as is, an offset-less one as Tbilisi time. */
export function parseBogDate(value: Text): Date | undefined {
  const raw = text(value)?.trim();
  if (!raw) return undefined;
  const withOffset = HAS_OFFSET.test(raw) || !raw.includes('T') ? raw : `${raw}${TBILISI_OFFSET}`;
  const time = Date.parse(withOffset);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/**
 * Normalizes a parsed receipt (payment details) into {@link BogPaymentDetails}: camelCase, money
 * in minor units, dates as `Date`, missing values as `undefined`. `raw` is kept as received.
 */
export function toBogPaymentDetails(receipt: BogReceipt, raw: unknown): BogPaymentDetails {
  const units = receipt.purchase_units ?? undefined;
  const currency = text(units?.currency_code)?.toUpperCase() ?? BOG_DEFAULT_CURRENCY;
  const money = (value: Text) => readBogAmount(value, currency);
  const detail = receipt.payment_detail ?? undefined;
  const discount = receipt.discount ?? undefined;
  const items: BogReceiptItem[] = [];
  for (const item of units?.items ?? []) {
    if (!item) continue;
    items.push({
      externalItemId: text(item.external_item_id),
      description: text(item.description),
      quantity: decimal(item.quantity),
      unitPrice: money(item.unit_price),
      unitDiscountPrice: money(item.unit_discount_price),
      vat: money(item.vat),
      vatPercent: decimal(item.vat_percent),
      totalPrice: money(item.total_price),
      packageCode: text(item.package_code),
      tin: text(item.tin),
      pinfl: text(item.pinfl),
      productDiscountId: text(item.product_discount_id),
    });
  }
  const actions: BogOrderAction[] = [];
  for (const action of receipt.actions ?? []) {
    if (!action) continue;
    actions.push({
      actionId: text(action.action_id),
      requestChannel: text(action.request_channel),
      action: text(action.action),
      status: text(action.status),
      date: parseBogDate(action.zoned_action_date) ?? parseBogDate(action.action_date),
      amount: money(action.amount),
      code: text(action.code),
      codeDescription: text(action.code_description),
    });
  }
  const buyer = receipt.buyer ?? undefined;
  const client = receipt.client ?? undefined;
  const links = receipt.redirect_links ?? undefined;
  return {
    orderId: String(receipt.order_id),
    externalOrderId: text(receipt.external_order_id),
    industry: text(receipt.industry),
    capture: text(receipt.capture),
    status: text(receipt.order_status?.key) ?? '',
    statusLabel: text(receipt.order_status?.value),
    currency,
    requestAmount: money(units?.request_amount),
    transferAmount: money(units?.transfer_amount),
    refundAmount: money(units?.refund_amount),
    items,
    buyer: buyer
      ? { fullName: text(buyer.full_name), email: text(buyer.email), phoneNumber: text(buyer.phone_number) }
      : undefined,
    client: client
      ? {
          id: text(client.id),
          brandKa: text(client.brand_ka),
          brandEn: text(client.brand_en),
          url: text(client.url),
        }
      : undefined,
    createdAt: parseBogDate(receipt.zoned_create_date) ?? parseBogDate(receipt.create_date),
    expiresAt: parseBogDate(receipt.zoned_expire_date) ?? parseBogDate(receipt.expire_date),
    redirectLinks: links ? { success: text(links.success), fail: text(links.fail) } : undefined,
    paymentDetail: detail
      ? {
          transferMethod: text(detail.transfer_method?.key),
          transferMethodLabel: text(detail.transfer_method?.value),
          transactionId: text(detail.transaction_id),
          payerIdentifier: text(detail.payer_identifier),
          paymentOption: text(detail.payment_option),
          cardType: text(detail.card_type),
          cardExpiryDate: text(detail.card_expiry_date),
          requestAccountTag: text(detail.request_account_tag),
          transferAccountTag: text(detail.transfer_account_tag),
          savedCardType: text(detail.saved_card_type),
          parentOrderId: text(detail.parent_order_id),
          code: text(detail.code),
          codeDescription: text(detail.code_description),
          authCode: text(detail.auth_code),
          paymentGatewayTransactionId: text(detail.pg_trx_id),
          requestRrn: text(detail.request_rrn),
        }
      : undefined,
    discount: discount
      ? {
          bankDiscountAmount: money(discount.bank_discount_amount),
          bankDiscountDescription: text(discount.bank_discount_desc),
          systemDiscountAmount: money(discount.system_discount_amount),
          systemDiscountDescription: text(discount.system_discount_desc),
          discountedAmount: money(discount.discounted_amount),
          originalOrderAmount: money(discount.original_order_amount),
        }
      : undefined,
    actions,
    language: text(receipt.lang),
    rejectReason: text(receipt.reject_reason),
    split: receipt.split ?? undefined,
    raw,
  };
}
