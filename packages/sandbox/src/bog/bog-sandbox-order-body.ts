import { toMinorUnits } from '@colchis/core';

/** A Bank of Georgia API error the sandbox answers with (`{ error, message }`). */
export class BogSandboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly error = 'bad_request',
  ) {
    super(message);
  }
}

/** A create-order body the sandbox accepted, money in minor units. */
export interface BogSandboxOrderRequest {
  callbackUrl: string;
  externalOrderId: string | undefined;
  capture: 'automatic' | 'manual';
  currency: string;
  totalAmount: number;
  basket: Array<{
    productId: string;
    description: string | undefined;
    quantity: number;
    unitPrice: number;
    unitDiscountPrice: number | undefined;
    vat: number | undefined;
    vatPercent: number | undefined;
    totalPrice: number | undefined;
    packageCode: string | undefined;
    tin: string | undefined;
    pinfl: string | undefined;
    productDiscountId: string | undefined;
  }>;
  redirectUrls: { success: string | undefined; fail: string | undefined } | undefined;
  buyer: { fullName: string | undefined; email: string | undefined; phone: string | undefined } | undefined;
  ttlMinutes: number;
  paymentMethods: string[];
  applicationType: string | undefined;
  accountTag: string | undefined;
  googlePay: { external: boolean; token: string | undefined } | undefined;
  applePayExternal: boolean;
}

const CURRENCIES = new Set(['GEL', 'USD', 'EUR', 'GBP']);
const METHODS = new Set([
  'card',
  'google_pay',
  'apple_pay',
  'bog_p2p',
  'bog_loyalty',
  'bnpl',
  'bog_loan',
  'gift_card',
]);
const TOP_LEVEL = new Set([
  'application_type',
  'buyer',
  'callback_url',
  'external_order_id',
  'capture',
  'purchase_units',
  'redirect_urls',
  'ttl',
  'payment_method',
  'config',
]);
const BASKET_FIELDS = new Set([
  'product_id',
  'description',
  'quantity',
  'unit_price',
  'unit_discount_price',
  'vat',
  'vat_percent',
  'total_price',
  'image',
  'package_code',
  'tin',
  'pinfl',
  'product_discount_id',
]);

function bad(message: string): BogSandboxError {
  return new BogSandboxError(400, message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw bad(`${field} must be a string`);
  return value;
}

/**
 * Reads a money field: the API takes a JSON number in major units with at most two decimals. The
 * docs' own refund and approve examples send strings (`"10.5"`), so `allowString` accepts those.
 */
export function readMoney(value: unknown, field: string, allowString = false): number {
  if (typeof value !== 'number' && !(allowString && typeof value === 'string')) {
    throw bad(`${field} must be a number in major units (e.g. 10.5)`);
  }
  try {
    return toMinorUnits(value, 'GEL');
  } catch {
    throw bad(
      `${field} must be a non-negative amount with at most two decimals, got ${JSON.stringify(value)}`,
    );
  }
}

function optionalMoney(value: unknown, field: string): number | undefined {
  return value === undefined || value === null ? undefined : readMoney(value, field);
}

/**
 * Validates a create-order body as strictly as the docs describe it. Unknown top-level and basket
 * fields are refused: the real API silently ignores them (`email` instead of `masked_email`,
 * top-level `currency`, `save_card`), and a sandbox that refuses them is how you notice.
 */
export function parseBogOrderBody(body: unknown): BogSandboxOrderRequest {
  if (!isObject(body)) throw bad('The request body must be a JSON object');
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL.has(key)) {
      throw bad(
        `Unknown field ${key}: Bank of Georgia ignores it silently; the sandbox refuses it so you notice`,
      );
    }
  }
  const callbackUrl = body.callback_url;
  if (typeof callbackUrl !== 'string' || !/^https?:\/\//i.test(callbackUrl)) {
    throw bad('callback_url is required and must be an absolute URL');
  }
  const units = body.purchase_units;
  if (!isObject(units)) throw bad('purchase_units is required');
  const currency = units.currency === undefined ? 'GEL' : units.currency;
  if (typeof currency !== 'string' || !CURRENCIES.has(currency)) {
    throw bad('purchase_units.currency must be GEL, USD, EUR or GBP');
  }
  const totalAmount = readMoney(units.total_amount, 'purchase_units.total_amount');
  if (totalAmount <= 0) throw bad('purchase_units.total_amount must be more than zero');
  if (!Array.isArray(units.basket) || units.basket.length === 0) {
    throw bad('purchase_units.basket must contain at least one item');
  }
  const basket = units.basket.map((item: unknown, index: number) => {
    const where = `purchase_units.basket[${index}]`;
    if (!isObject(item)) throw bad(`${where} must be an object`);
    for (const key of Object.keys(item)) {
      if (!BASKET_FIELDS.has(key)) throw bad(`Unknown field ${where}.${key}`);
    }
    if (typeof item.product_id !== 'string' || item.product_id === '')
      throw bad(`${where}.product_id is required`);
    if (typeof item.quantity !== 'number' || !(item.quantity > 0))
      throw bad(`${where}.quantity must be a positive number`);
    return {
      productId: item.product_id,
      description: optionalString(item.description, `${where}.description`),
      quantity: item.quantity,
      unitPrice: readMoney(item.unit_price, `${where}.unit_price`),
      unitDiscountPrice: optionalMoney(item.unit_discount_price, `${where}.unit_discount_price`),
      vat: optionalMoney(item.vat, `${where}.vat`),
      vatPercent: typeof item.vat_percent === 'number' ? item.vat_percent : undefined,
      totalPrice: optionalMoney(item.total_price, `${where}.total_price`),
      packageCode: optionalString(item.package_code, `${where}.package_code`),
      tin: optionalString(item.tin, `${where}.tin`),
      pinfl: optionalString(item.pinfl, `${where}.pinfl`),
      productDiscountId: optionalString(item.product_discount_id, `${where}.product_discount_id`),
    };
  });
  const capture = body.capture ?? 'automatic';
  if (capture !== 'automatic' && capture !== 'manual') throw bad('capture must be automatic or manual');
  const ttl = body.ttl ?? 15;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 2 || ttl > 1440) {
    throw bad('ttl must be an integer number of minutes from 2 to 1440');
  }
  let paymentMethods: string[] = [];
  if (body.payment_method !== undefined) {
    if (
      !Array.isArray(body.payment_method) ||
      body.payment_method.some((method) => !METHODS.has(method as string))
    ) {
      throw bad(`payment_method must be an array of ${[...METHODS].join(', ')}`);
    }
    paymentMethods = body.payment_method as string[];
  }
  if (
    capture === 'manual' &&
    paymentMethods.some((method) => !['card', 'google_pay', 'apple_pay'].includes(method))
  ) {
    throw bad('capture manual is available for card, apple_pay and google_pay only');
  }
  const config = body.config === undefined ? {} : body.config;
  if (!isObject(config)) throw bad('config must be an object');
  const googlePay = isObject(config.google_pay) ? config.google_pay : undefined;
  if (googlePay?.external === true && typeof googlePay.google_pay_token !== 'string') {
    throw bad('config.google_pay.google_pay_token is required for an external Google Pay order');
  }
  const applePay = isObject(config.apple_pay) ? config.apple_pay : undefined;
  const account = isObject(config.account) ? config.account : undefined;
  const redirect = body.redirect_urls;
  if (redirect !== undefined && !isObject(redirect)) throw bad('redirect_urls must be an object');
  const buyer = body.buyer;
  if (buyer !== undefined && !isObject(buyer)) throw bad('buyer must be an object');
  if (isObject(buyer)) {
    for (const key of Object.keys(buyer)) {
      if (!['full_name', 'masked_email', 'masked_phone'].includes(key)) {
        throw bad(`Unknown field buyer.${key}: the request uses full_name, masked_email and masked_phone`);
      }
    }
  }
  return {
    callbackUrl,
    externalOrderId: optionalString(body.external_order_id, 'external_order_id'),
    capture,
    currency,
    totalAmount,
    basket,
    redirectUrls: isObject(redirect)
      ? {
          success: optionalString(redirect.success, 'redirect_urls.success'),
          fail: optionalString(redirect.fail, 'redirect_urls.fail'),
        }
      : undefined,
    buyer: isObject(buyer)
      ? {
          fullName: optionalString(buyer.full_name, 'buyer.full_name'),
          email: optionalString(buyer.masked_email, 'buyer.masked_email'),
          phone: optionalString(buyer.masked_phone, 'buyer.masked_phone'),
        }
      : undefined,
    ttlMinutes: ttl,
    paymentMethods,
    applicationType: optionalString(body.application_type, 'application_type'),
    accountTag: account ? optionalString(account.tag, 'config.account.tag') : undefined,
    googlePay: googlePay
      ? { external: googlePay.external === true, token: optionalString(googlePay.google_pay_token, 'token') }
      : undefined,
    applePayExternal: applePay?.external === true,
  };
}
