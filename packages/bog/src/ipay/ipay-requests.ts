import { InvalidRequestError } from '@colchis/core';

/**
 * A decimal amount in major units of GEL, as iPay's wire format has it: `"10.50"`, `"16"`.
 * Build it from minor units with core's `toDecimalString(1050, 'GEL')`; never from float maths.
 */
export type IpayAmountValue = string;

/** `CAPTURE` lets the customer pay by card or with BOG internet-bank login; `AUTHORIZE` is card only. */
export type IpayIntent = 'CAPTURE' | 'AUTHORIZE' | (string & {});

/** One purchased product of an order (`items[]`). */
export interface IpayOrderItem {
  /** Price of one unit, major units (`"10.50"`). */
  amount: IpayAmountValue;
  /** Product name shown to the customer (the statement shows the first 25 characters). */
  description: string;
  quantity: number;
  /** Your product id. */
  product_id: string;
}

/** Body of `POST /checkout/orders` (Order Request). */
export interface IpayCreateOrderRequest {
  /**
   * Which payment means the page offers. Note: `AUTHORIZE` is NOT a pre-authorization (that is
   * `capture_method: 'MANUAL'`); it only hides the internet-bank login option.
   */
  intent: IpayIntent;
  items: readonly IpayOrderItem[];
  /** Exactly one unit in practice; `currency_code` is always `GEL`. */
  purchase_units: ReadonlyArray<{
    amount: { currency_code: 'GEL'; value: IpayAmountValue };
    /** Sent by BOG's samples (`ECOMMERCE`); optional. */
    industry_type?: string | undefined;
  }>;
  /** Where the customer lands after paying or failing (required). */
  redirect_url: string;
  /** Page language: `ka` (default) or `en-US`. */
  locale?: 'ka' | 'en-US' | undefined;
  /** Your order id; comes back as `shop_order_id`. */
  shop_order_id?: string | undefined;
  /** Prefix the statement text with `shop_order_id`. */
  show_shop_order_id_on_extract?: boolean | undefined;
  /** `AUTOMATIC` (default) or `MANUAL` (hold the amount; complete within 30 days). */
  capture_method?: 'AUTOMATIC' | 'MANUAL' | undefined;
  /**
   * The `transaction_id` of an earlier card payment, to pay again with the same card on the
   * hosted page. Sent by BOG's PHP sample; not in the API reference.
   */
  card_transaction_id?: string | undefined;
}

/** Body of `POST /checkout/refund` (Payment Amount Return), sent form-encoded. */
export interface IpayRefundRequest {
  order_id: string;
  /**
   * Major units. Omit for a full refund. A partial amount must be lower than the paid amount:
   * iPay rejects an amount equal to it.
   */
  amount?: IpayAmountValue | undefined;
}

/** Body of `POST /checkout/payment/subscription` (Recurring Payments). */
export interface IpayRecurringPaymentRequest {
  /** The `order_id` of an earlier successful card payment of this customer. */
  order_id: string;
  amount: { currency_code: 'GEL'; value: IpayAmountValue };
  shop_order_id?: string | undefined;
  purchase_description?: string | undefined;
}

/** How a pre-authorization is completed. */
export type IpayAuthType = 'FULL_COMPLETE' | 'PARTIAL_COMPLETE' | 'CANCEL';

/** Body of `POST /checkout/payment/{order_id}/pre-auth/completion`. */
export interface IpayPreAuthorizationRequest {
  auth_type: IpayAuthType;
  /** Only for `PARTIAL_COMPLETE`: lower than the held amount. */
  amount?: IpayAmountValue | undefined;
}

const DECIMAL = /^\d{1,13}(?:\.\d{1,2})?$/;

/** Throws an {@link InvalidRequestError} unless `value` is a positive GEL amount like `"10.50"`. */
export function assertIpayAmount(value: unknown, field: string): asserts value is IpayAmountValue {
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    throw new InvalidRequestError(
      `ipay ${field} must be a decimal string in GEL with at most two decimals, such as "10.50" (build it with toDecimalString(minorUnits, 'GEL')), got ${describe(value)}.`,
      { provider: 'ipay' },
    );
  }
  if (!/[1-9]/.test(value)) {
    throw new InvalidRequestError(`ipay ${field} must be greater than zero.`, { provider: 'ipay' });
  }
}

/** Throws an {@link InvalidRequestError} unless `value` is a non-empty string. */
export function assertIpayText(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidRequestError(`ipay ${field} is required (a non-empty string), got ${describe(value)}.`, {
      provider: 'ipay',
    });
  }
}

/** Throws an {@link InvalidRequestError} unless `value` is an absolute http(s) URL. */
export function assertIpayUrl(value: unknown, field: string): asserts value is string {
  assertIpayText(value, field);
  if (!/^https?:\/\/[^\s/]+/i.test(value)) {
    throw new InvalidRequestError(
      `ipay ${field} must be an absolute http(s) URL such as "https://shop.example/return", got ${describe(value)}.`,
      { provider: 'ipay' },
    );
  }
}

/** Checks an Order Request before it is sent. */
export function validateCreateOrderRequest(request: IpayCreateOrderRequest): void {
  assertIpayText(request.intent, 'intent');
  assertIpayUrl(request.redirect_url, 'redirect_url');
  if (!Array.isArray(request.purchase_units) || request.purchase_units.length === 0) {
    throw new InvalidRequestError('ipay purchase_units must hold one unit with the order amount.', {
      provider: 'ipay',
    });
  }
  request.purchase_units.forEach((unit, index) => {
    if (unit?.amount?.currency_code !== 'GEL') {
      throw new InvalidRequestError(
        `ipay purchase_units[${index}].amount.currency_code must be "GEL": iPay takes only lari. Use Payments v1 (createBog) for USD, EUR or GBP.`,
        { provider: 'ipay' },
      );
    }
    assertIpayAmount(unit.amount.value, `purchase_units[${index}].amount.value`);
  });
  if (!Array.isArray(request.items) || request.items.length === 0) {
    throw new InvalidRequestError('ipay items must list at least one product (iPay requires it).', {
      provider: 'ipay',
    });
  }
  request.items.forEach((item, index) => {
    assertIpayAmount(item?.amount, `items[${index}].amount`);
    assertIpayText(item.description, `items[${index}].description`);
    assertIpayText(item.product_id, `items[${index}].product_id`);
    if (!Number.isInteger(item.quantity) || item.quantity < 1) {
      throw new InvalidRequestError(
        `ipay items[${index}].quantity must be a positive integer, got ${describe(item.quantity)}.`,
        { provider: 'ipay' },
      );
    }
  });
  if (request.capture_method !== undefined && !['AUTOMATIC', 'MANUAL'].includes(request.capture_method)) {
    throw new InvalidRequestError(
      `ipay capture_method must be "AUTOMATIC" or "MANUAL", got ${describe(request.capture_method)}.`,
      { provider: 'ipay' },
    );
  }
  if (request.locale !== undefined && !['ka', 'en-US'].includes(request.locale)) {
    throw new InvalidRequestError(`ipay locale must be "ka" or "en-US", got ${describe(request.locale)}.`, {
      provider: 'ipay',
    });
  }
}

/** Checks a Payment Amount Return before it is sent. */
export function validateRefundRequest(request: IpayRefundRequest): void {
  assertIpayText(request.order_id, 'order_id');
  if (request.amount !== undefined) assertIpayAmount(request.amount, 'refund amount');
}

/** Checks a Recurring Payment before it is sent. */
export function validateRecurringPaymentRequest(request: IpayRecurringPaymentRequest): void {
  assertIpayText(request.order_id, 'order_id (the earlier payment to charge again)');
  if (request.amount?.currency_code !== 'GEL') {
    throw new InvalidRequestError('ipay recurring amount.currency_code must be "GEL".', { provider: 'ipay' });
  }
  assertIpayAmount(request.amount.value, 'recurring amount.value');
}

/** Checks a pre-authorization completion before it is sent. */
export function validatePreAuthorizationRequest(orderId: string, request: IpayPreAuthorizationRequest): void {
  assertIpayText(orderId, 'order_id');
  if (!['FULL_COMPLETE', 'PARTIAL_COMPLETE', 'CANCEL'].includes(request.auth_type)) {
    throw new InvalidRequestError(
      `ipay auth_type must be "FULL_COMPLETE", "PARTIAL_COMPLETE" or "CANCEL", got ${describe(request.auth_type)}.`,
      { provider: 'ipay' },
    );
  }
  if (request.auth_type === 'PARTIAL_COMPLETE') {
    assertIpayAmount(request.amount, 'amount of a PARTIAL_COMPLETE');
  } else if (request.amount !== undefined) {
    throw new InvalidRequestError(
      `ipay takes an amount only with auth_type "PARTIAL_COMPLETE"; remove it for "${request.auth_type}".`,
      { provider: 'ipay' },
    );
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
