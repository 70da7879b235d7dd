/**
 * Bank of Georgia Payments API v1 wire schemas (zod/mini), for what the SDK reads. Deliberately
 * tolerant, as the docs and real payloads disagree: amounts arrive as strings, numbers or `null`;
 * ids and codes as strings or numbers; statuses and enums take values the docs never listed. Only
 * what the SDK cannot work without is required (an order id, an access token); everything else
 * degrades to `undefined` rather than failing the response.
 */
import * as z from 'zod/mini';

/** A text field that may come as a string or a number; anything else reads as missing. */
const text = z.catch(z.nullish(z.union([z.string(), z.number()])), undefined);
/** An amount in major units: string, number or null; anything else reads as missing. */
const amount = z.catch(z.nullish(z.union([z.string(), z.number()])), undefined);
const identifier = z.union([z.string(), z.number()]);
const link = z.catch(z.nullish(z.object({ href: z.catch(z.nullish(z.string()), undefined) })), undefined);
const keyValue = z.union([
  z.object({ key: text, value: text }),
  z.pipe(
    z.union([z.string(), z.number()]),
    z.transform((key) => ({ key, value: undefined })),
  ),
]);

/** `POST /auth/realms/bog/protocol/openid-connect/token` answer. */
export const bogTokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: text,
  /** Documented as seconds, shown in the docs as an epoch in milliseconds: read defensively. */
  expires_in: z.catch(z.nullish(z.union([z.number(), z.string()])), undefined),
});
/** A token endpoint answer. */
export type BogTokenResponse = z.infer<typeof bogTokenResponseSchema>;

const receiptItemSchema = z.object({
  external_item_id: text,
  description: text,
  quantity: amount,
  unit_price: amount,
  unit_discount_price: amount,
  vat: amount,
  vat_percent: amount,
  total_price: amount,
  package_code: text,
  tin: text,
  pinfl: text,
  product_discount_id: text,
});

const receiptActionSchema = z.object({
  action_id: text,
  request_channel: text,
  action: text,
  status: text,
  zoned_action_date: text,
  action_date: text,
  amount,
  code: text,
  code_description: text,
});

/**
 * `GET /receipt/{order_id}` answer, and the `body` of every callback: the payment details.
 * Field notes are in `docs/gateways/bog.md`.
 */
export const bogReceiptSchema = z.object({
  order_id: identifier,
  industry: text,
  capture: text,
  external_order_id: text,
  client: z.catch(z.nullish(z.object({ id: text, brand_ka: text, brand_en: text, url: text })), undefined),
  zoned_create_date: text,
  zoned_expire_date: text,
  /** Tbilisi local time without an offset, in real payloads next to the zoned dates. */
  create_date: text,
  expire_date: text,
  order_status: z.catch(z.nullish(keyValue), undefined),
  buyer: z.catch(z.nullish(z.object({ full_name: text, email: text, phone_number: text })), undefined),
  purchase_units: z.catch(
    z.nullish(
      z.object({
        request_amount: amount,
        transfer_amount: amount,
        refund_amount: amount,
        currency_code: text,
        items: z.catch(z.nullish(z.array(z.catch(z.nullish(receiptItemSchema), undefined))), undefined),
      }),
    ),
    undefined,
  ),
  redirect_links: z.catch(z.nullish(z.object({ success: text, fail: text })), undefined),
  payment_detail: z.catch(
    z.nullish(
      z.object({
        transfer_method: z.catch(z.nullish(keyValue), undefined),
        transaction_id: text,
        payer_identifier: text,
        payment_option: text,
        card_type: text,
        card_expiry_date: text,
        request_account_tag: text,
        transfer_account_tag: text,
        saved_card_type: text,
        parent_order_id: text,
        code: text,
        code_description: text,
        auth_code: text,
        pg_trx_id: text,
        request_rrn: text,
      }),
    ),
    undefined,
  ),
  discount: z.catch(
    z.nullish(
      z.object({
        bank_discount_amount: amount,
        bank_discount_desc: text,
        system_discount_amount: amount,
        system_discount_desc: text,
        discounted_amount: amount,
        original_order_amount: amount,
      }),
    ),
    undefined,
  ),
  actions: z.catch(z.nullish(z.array(z.catch(z.nullish(receiptActionSchema), undefined))), undefined),
  lang: text,
  reject_reason: text,
  split: z.optional(z.unknown()),
  disputes: z.optional(z.unknown()),
});
/** The payment details (receipt) as parsed. */
export type BogReceipt = z.infer<typeof bogReceiptSchema>;

/** `_links` of the order answers. */
const linksSchema = z.catch(z.nullish(z.object({ details: link, redirect: link, accept: link })), undefined);

/**
 * `POST /ecommerce/orders` (and `POST /ecommerce/orders/{parent_order_id}`) answer. External Google
 * Pay orders add `status` and `order_details`; external Apple Pay orders add `result` and an
 * `accept` link.
 */
export const bogCreateOrderResponseSchema = z.object({
  id: identifier,
  status: text,
  order_details: z.catch(z.nullish(bogReceiptSchema), undefined),
  result: z.optional(z.unknown()),
  _links: linksSchema,
});
/** A create order answer. */
export type BogCreateOrderResponse = z.infer<typeof bogCreateOrderResponseSchema>;

/** `POST /ecommerce/orders/{parent_order_id}/subscribe` answer: no redirect, the charge runs unattended. */
export const bogSubscriptionPaymentResponseSchema = z.object({
  id: identifier,
  _links: linksSchema,
});
/** A subscription (automatic) payment answer. */
export type BogSubscriptionPaymentResponse = z.infer<typeof bogSubscriptionPaymentResponseSchema>;

/** `POST /ecommerce/orders/{order_id}/payment` (Apple Pay accept) answer. */
export const bogApplePayPaymentResponseSchema = z.object({
  id: identifier,
  status: text,
  order_details: z.catch(z.nullish(bogReceiptSchema), undefined),
  _links: linksSchema,
});
/** An Apple Pay accept answer. */
export type BogApplePayPaymentResponse = z.infer<typeof bogApplePayPaymentResponseSchema>;

/**
 * Refund, pre-authorization approve and cancel answer: `{ key: "request_received", message,
 * action_id }`. The request was accepted, not executed: the outcome comes by callback or receipt.
 */
export const bogActionResponseSchema = z.object({
  key: text,
  message: text,
  action_id: text,
});
/** An accepted asynchronous action. */
export type BogActionResponse = z.infer<typeof bogActionResponseSchema>;

/** The callback envelope: `{ event: "order_payment", zoned_request_time, body: <receipt> }`. */
export const bogCallbackEnvelopeSchema = z.object({
  event: text,
  zoned_request_time: text,
  body: bogReceiptSchema,
});
/** A parsed callback envelope. */
export type BogCallbackEnvelope = z.infer<typeof bogCallbackEnvelopeSchema>;

/** An error body as far as anything is known (BOG does not document one; Keycloak's is standard). */
export const bogErrorBodySchema = z.object({
  message: text,
  error: text,
  error_description: text,
  detail: text,
  title: text,
  code: text,
});
