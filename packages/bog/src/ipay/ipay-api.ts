import { ResponseValidationError } from '@colchis/core';
import * as z from 'zod/mini';

// Wire schemas of the legacy iPay API (`https://ipay.ge/opay/api/v1`), as documented at
// https://api.bog.ge/docs/en/ipay/... and seen in BOG's own samples. They are deliberately
// lenient: every object is loose (unknown fields survive in `raw`), ids may come as numbers,
// and fields the docs mark as sometimes absent are nullish. Statuses stay open strings so a
// new value never breaks parsing; `map-ipay-status.ts` decides what they mean.

/** An id or text field that some responses send as a number (`ipay_payment_id: 18625`). */
const text = z.pipe(
  z.union([z.string(), z.number()]),
  z.transform((value) => String(value)),
);
const optionalText = z.nullish(text);

/** Response of `POST /oauth2/token`. `expires_in` is an epoch in milliseconds in the examples. */
export const ipayTokenResponseSchema = z.looseObject({
  access_token: z.string(),
  token_type: z.nullish(z.string()),
  app_id: optionalText,
  expires_in: z.nullish(z.union([z.number(), z.string()])),
});
/** Response of `POST /oauth2/token`. */
export type IpayTokenResponse = z.infer<typeof ipayTokenResponseSchema>;

/** One of the HATEOAS links of an order: `rel: "self"` (details) or `rel: "approve"` (payment page). */
export const ipayLinkSchema = z.looseObject({
  href: z.string(),
  rel: z.nullish(z.string()),
  method: z.nullish(z.string()),
});
/** One of the HATEOAS links of an order. */
export type IpayLink = z.infer<typeof ipayLinkSchema>;

/**
 * Response of `POST /checkout/orders`. The docs name the id `order_id`; BOG's PHP sample reads
 * `id`, so both are accepted.
 */
export const ipayCreateOrderResponseSchema = z.looseObject({
  status: z.nullish(z.string()),
  payment_hash: optionalText,
  order_id: optionalText,
  id: optionalText,
  links: z.nullish(z.array(ipayLinkSchema)),
});
/** Response of `POST /checkout/orders`. */
export type IpayCreateOrderResponse = z.infer<typeof ipayCreateOrderResponseSchema>;

/**
 * Response of `GET /checkout/payment/{order_id}` (Payment Details). `status` is `success`,
 * `error` or `in_progress`; `pre_auth_status` (manual capture only) is `success`, `in_progress`
 * or `success_unblocked`. Amounts are not part of this response.
 */
export const ipayPaymentDetailsSchema = z.looseObject({
  status: z.nullish(z.string()),
  order_id: optionalText,
  payment_hash: optionalText,
  ipay_payment_id: optionalText,
  status_description: optionalText,
  shop_order_id: optionalText,
  payment_method: optionalText,
  card_type: optionalText,
  pan: optionalText,
  transaction_id: optionalText,
  pre_auth_status: optionalText,
});
/** Response of `GET /checkout/payment/{order_id}`. */
export type IpayPaymentDetails = z.infer<typeof ipayPaymentDetailsSchema>;

const amountSchema = z.looseObject({
  value: z.nullish(z.union([z.string(), z.number()])),
  currency_code: z.nullish(z.string()),
});
const purchaseUnitSchema = z.looseObject({
  amount: z.nullish(amountSchema),
  shop_order_id: optionalText,
});

/**
 * Response of `GET /checkout/orders/{order_id}`, the order's `rel: "self"` link. Its shape is
 * not in the docs; observed copies use `purchaseUnit` (one object), the request uses
 * `purchase_units` (an array): both are read.
 */
export const ipayOrderDetailsSchema = z.looseObject({
  id: optionalText,
  order_id: optionalText,
  status: optionalText,
  intent: optionalText,
  purchaseUnit: z.nullish(purchaseUnitSchema),
  purchase_units: z.nullish(z.array(purchaseUnitSchema)),
  shop_order_id: optionalText,
});
/** Response of `GET /checkout/orders/{order_id}`. */
export type IpayOrderDetails = z.infer<typeof ipayOrderDetailsSchema>;

/** Response of `POST /checkout/payment/subscription` (Recurring Payments). Usually `in_progress`. */
export const ipayRecurringPaymentResponseSchema = z.looseObject({
  status: z.nullish(z.string()),
  payment_hash: optionalText,
  order_id: optionalText,
});
/** Response of `POST /checkout/payment/subscription`. */
export type IpayRecurringPaymentResponse = z.infer<typeof ipayRecurringPaymentResponseSchema>;

/**
 * Response of `POST /checkout/payment/{order_id}/pre-auth/completion`: `status: "success"` with
 * `description` "Pre-authorization successfully completed" or "Already completed successful".
 */
export const ipayPreAuthorizationResponseSchema = z.looseObject({
  status: z.nullish(z.string()),
  description: optionalText,
});
/** Response of the pre-authorization completion. */
export type IpayPreAuthorizationResponse = z.infer<typeof ipayPreAuthorizationResponseSchema>;

/**
 * Response of `POST /checkout/refund`. The docs show no body: an HTTP 2xx is the answer. Any
 * JSON that comes back is kept.
 */
export const ipayRefundResponseSchema = z.looseObject({
  status: z.nullish(z.string()),
  description: optionalText,
  message: optionalText,
});
/** Response of `POST /checkout/refund` (often empty). */
export type IpayRefundResponse = z.infer<typeof ipayRefundResponseSchema>;

/**
 * A callback as iPay posts it (form-encoded, unsigned). The "payment status change" callback
 * carries `status` (`success` | `error`); the "payment amount return" callback (after a refund)
 * has no `status`.
 */
export const ipayCallbackSchema = z.looseObject({
  status: optionalText,
  order_id: text,
  payment_hash: text,
  ipay_payment_id: optionalText,
  status_description: optionalText,
  shop_order_id: optionalText,
  payment_method: optionalText,
  card_type: optionalText,
  pan: optionalText,
  transaction_id: optionalText,
});
/** A parsed iPay callback. */
export type IpayCallbackFields = z.infer<typeof ipayCallbackSchema>;

/**
 * Parses a gateway answer with a schema; a mismatch is a {@link ResponseValidationError} that
 * names the operation and the fields, never their values (they may hold card data).
 */
export function parseIpayResponse<Schema extends z.ZodMiniType>(
  schema: Schema,
  data: unknown,
  operation: string,
): z.infer<Schema> {
  const result = z.safeParse(schema, data);
  if (result.success) return result.data;
  const fields = result.error.issues
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new ResponseValidationError(`ipay answered ${operation} with an unexpected body (${fields}).`, {
    provider: 'ipay',
    rawBody: data,
  });
}
