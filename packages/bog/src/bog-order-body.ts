import { InvalidRequestError } from '@colchis/core';
import { toBogAmount, toBogCurrency } from './bog-amount.js';
import type { BogBasketItem, BogCreateOrderInput, BogOrderConfig } from './bog-client-types.js';

/** Methods that can hold money for a later capture (`capture: "manual"`). */
const MANUAL_CAPTURE_METHODS = new Set(['card', 'google_pay', 'apple_pay']);
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

function invalid(message: string): InvalidRequestError {
  return new InvalidRequestError(message, { provider: 'bog' });
}

function omitUndefined<T extends Record<string, unknown>>(value: T): T | undefined {
  let empty = true;
  for (const key of Object.keys(value)) {
    if (value[key] === undefined) delete value[key];
    else empty = false;
  }
  return empty ? undefined : value;
}

function optionalText(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${what} must be a string, got ${typeof value}.`);
  return value;
}

/**
 * Checks a `callback_url`. Bank of Georgia calls it from the internet and requires HTTPS, so on the
 * real API a plain-http or loopback URL is refused before the order is created (it would silently
 * never receive a callback). Against an overridden API (a sandbox) any http(s) URL goes.
 */
export function checkBogCallbackUrl(url: unknown, officialApi: boolean, what = 'callbackUrl'): string {
  if (typeof url !== 'string' || url.trim() === '') {
    throw invalid(
      `${what} is required: Bank of Georgia posts the payment result to a callback URL given with each order.`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(
      `${what} must be an absolute URL such as "https://shop.example/bog/callback", got ${JSON.stringify(url)}.`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw invalid(`${what} must be an https URL, got ${JSON.stringify(url)}.`);
  }
  if (officialApi && (parsed.protocol !== 'https:' || LOOPBACK.test(parsed.hostname))) {
    throw invalid(
      `${what} ${JSON.stringify(url)} cannot receive Bank of Georgia callbacks: BOG requires a public https URL. Expose your server (for example with a tunnel) or test against the Colchis sandbox.`,
    );
  }
  return url;
}

function basketItem(item: BogBasketItem, index: number, currency: string): Record<string, unknown> {
  const where = `purchaseUnits.basket[${index}]`;
  if (!item || typeof item !== 'object') throw invalid(`${where} must be an object.`);
  if (typeof item.productId !== 'string' || item.productId === '') {
    throw invalid(`${where}.productId is required (Bank of Georgia's product_id).`);
  }
  if (typeof item.quantity !== 'number' || !Number.isFinite(item.quantity) || item.quantity <= 0) {
    throw invalid(`${where}.quantity must be a positive number, got ${String(item.quantity)}.`);
  }
  const money = (value: number | undefined, field: string) =>
    value === undefined ? undefined : toBogAmount(value, currency, `${where}.${field}`);
  return omitUndefined({
    product_id: item.productId,
    description: optionalText(item.description, `${where}.description`),
    quantity: item.quantity,
    unit_price: toBogAmount(item.unitPrice, currency, `${where}.unitPrice`),
    unit_discount_price: money(item.unitDiscountPrice, 'unitDiscountPrice'),
    vat: money(item.vat, 'vat'),
    vat_percent: item.vatPercent,
    total_price: money(item.totalPrice, 'totalPrice'),
    image: optionalText(item.image, `${where}.image`),
    package_code: optionalText(item.packageCode, `${where}.packageCode`),
    tin: optionalText(item.tin, `${where}.tin`),
    pinfl: optionalText(item.pinfl, `${where}.pinfl`),
    product_discount_id: optionalText(item.productDiscountId, `${where}.productDiscountId`),
  }) as Record<string, unknown>;
}

function configBody(
  config: BogOrderConfig | undefined,
  currency: string,
  paymentMethod: readonly string[] | undefined,
): Record<string, unknown> | undefined {
  const onlyLoan =
    paymentMethod !== undefined &&
    paymentMethod.length === 1 &&
    (paymentMethod[0] === 'bog_loan' || paymentMethod[0] === 'bnpl');
  if (onlyLoan && !config?.loan?.type) {
    throw invalid(
      `config.loan.type is required when paying only by ${paymentMethod?.[0]}: pass the discount_code the BOG calculator returned.`,
    );
  }
  if (!config) return undefined;
  if (config.googlePay?.external && !config.googlePay.googlePayToken) {
    throw invalid(
      'config.googlePay.googlePayToken is required with external: true: pass the token Google Pay returned, unmodified.',
    );
  }
  let split: Record<string, unknown> | undefined;
  if (config.split) {
    const entries = config.split.splitPayments;
    if (!Array.isArray(entries) || entries.length === 0) {
      throw invalid('config.split.splitPayments must list at least one recipient.');
    }
    split = {
      split_payments: entries.map((entry, index) => {
        const where = `config.split.splitPayments[${index}]`;
        if (typeof entry.iban !== 'string' || entry.iban === '') throw invalid(`${where}.iban is required.`);
        if ((entry.amount === undefined) === (entry.percent === undefined)) {
          throw invalid(`${where} needs either amount or percent, not both and not neither.`);
        }
        return omitUndefined({
          iban: entry.iban,
          amount:
            entry.amount === undefined ? undefined : toBogAmount(entry.amount, currency, `${where}.amount`),
          percent: entry.percent,
          description: entry.description,
        });
      }),
    };
  }
  return omitUndefined({
    loan: config.loan ? omitUndefined({ type: config.loan.type, month: config.loan.month }) : undefined,
    campaign: config.campaign
      ? omitUndefined({ card: config.campaign.card, type: config.campaign.type })
      : undefined,
    // The docs' parameter table says `token`, their example and every working client say
    // `google_pay_token`: the example is what the API reads.
    google_pay: config.googlePay
      ? omitUndefined({
          external: config.googlePay.external,
          google_pay_token: config.googlePay.googlePayToken,
        })
      : undefined,
    apple_pay: config.applePay ? omitUndefined({ external: config.applePay.external }) : undefined,
    account: config.account ? omitUndefined({ tag: config.account.tag }) : undefined,
    split,
  });
}

/**
 * Builds the `POST /ecommerce/orders` body from {@link BogCreateOrderInput}: snake_case, amounts as
 * major-unit JSON numbers computed exactly, fields Bank of Georgia silently ignores never sent
 * (`masked_email`, not `email`). Everything that can be checked locally is checked first.
 * @throws InvalidRequestError that names the field and says how to fix it.
 */
export function toBogOrderBody(input: BogCreateOrderInput, officialApi: boolean): Record<string, unknown> {
  if (!input || typeof input !== 'object') throw invalid('Order input must be an object.');
  const callbackUrl = checkBogCallbackUrl(input.callbackUrl, officialApi);
  const units = input.purchaseUnits;
  if (!units || typeof units !== 'object') {
    throw invalid('purchaseUnits is required: { totalAmount, basket, currency? }.');
  }
  const currency = toBogCurrency(units.currency);
  const totalAmount = toBogAmount(units.totalAmount, currency, 'purchaseUnits.totalAmount');
  if (units.totalAmount === 0) throw invalid('purchaseUnits.totalAmount must be more than zero.');
  if (!Array.isArray(units.basket) || units.basket.length === 0) {
    throw invalid('purchaseUnits.basket needs at least one item (product_id, quantity, unit_price).');
  }
  const capture = input.capture;
  if (capture !== undefined && capture !== 'automatic' && capture !== 'manual') {
    throw invalid(`capture must be "automatic" or "manual", got ${JSON.stringify(capture)}.`);
  }
  const paymentMethod = input.paymentMethod;
  if (paymentMethod !== undefined && !Array.isArray(paymentMethod)) {
    throw invalid('paymentMethod must be an array such as ["card", "google_pay"].');
  }
  if (capture === 'manual' && paymentMethod?.some((method) => !MANUAL_CAPTURE_METHODS.has(method))) {
    throw invalid(
      `capture "manual" (pre-authorization) works only with card, apple_pay and google_pay, not ${paymentMethod
        .filter((method) => !MANUAL_CAPTURE_METHODS.has(method))
        .join(', ')}.`,
    );
  }
  const ttl = input.ttl;
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 2 || ttl > 1440)) {
    throw invalid(`ttl is the order lifetime in minutes, an integer from 2 to 1440; got ${String(ttl)}.`);
  }
  const applicationType = input.applicationType;
  if (applicationType !== undefined && applicationType !== 'web' && applicationType !== 'mobile') {
    throw invalid(`applicationType must be "web" or "mobile", got ${JSON.stringify(applicationType)}.`);
  }
  const buyer = input.buyer
    ? omitUndefined({
        full_name: optionalText(input.buyer.fullName, 'buyer.fullName'),
        masked_email: optionalText(input.buyer.maskedEmail, 'buyer.maskedEmail'),
        masked_phone: optionalText(input.buyer.maskedPhone, 'buyer.maskedPhone'),
      })
    : undefined;
  const redirectUrls = input.redirectUrls
    ? omitUndefined({
        success: optionalText(input.redirectUrls.success, 'redirectUrls.success'),
        fail: optionalText(input.redirectUrls.fail, 'redirectUrls.fail'),
      })
    : undefined;
  const deliveryAmount = units.delivery?.amount;
  return omitUndefined({
    application_type: applicationType,
    buyer,
    callback_url: callbackUrl,
    external_order_id: optionalText(input.externalOrderId, 'externalOrderId'),
    capture,
    purchase_units: omitUndefined({
      currency,
      total_amount: totalAmount,
      total_discount_amount:
        units.totalDiscountAmount === undefined
          ? undefined
          : toBogAmount(units.totalDiscountAmount, currency, 'purchaseUnits.totalDiscountAmount'),
      delivery:
        deliveryAmount === undefined
          ? undefined
          : { amount: toBogAmount(deliveryAmount, currency, 'purchaseUnits.delivery.amount') },
      basket: units.basket.map((item, index) => basketItem(item, index, currency)),
    }),
    redirect_urls: redirectUrls,
    ttl,
    payment_method: paymentMethod === undefined ? undefined : [...paymentMethod],
    config: configBody(input.config, currency, paymentMethod),
  }) as Record<string, unknown>;
}
