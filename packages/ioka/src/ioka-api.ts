import * as z from 'zod/mini';

// Wire schemas of the ioka v2 API, derived from ioka's OpenAPI 2.8.0 (`components.schemas`)
// plus the fields the newer docs.ioka.kz pages add (`EXPIRED`, `shop_id`, `display_amount`,
// `payments`, ...). They are deliberately tolerant: unknown fields pass through, optional fields
// may be `null` (the docs' own example is full of nulls), statuses are open strings, and integer
// amounts may arrive as digit strings. Only what Colchis needs to work is required.

/** Order statuses: v2.8 has `UNPAID`, `ON_HOLD`, `PAID`; the current docs add `EXPIRED`. */
export const IOKA_ORDER_STATUSES = ['UNPAID', 'ON_HOLD', 'PAID', 'EXPIRED'] as const;
/** Payment statuses (v2.8 `PaymentStatus`). */
export const IOKA_PAYMENT_STATUSES = [
  'PENDING',
  'REQUIRES_ACTION',
  'APPROVED',
  'CAPTURED',
  'CANCELLED',
  'DECLINED',
] as const;
/** Refund statuses (v2.8 `RefundStatus`). */
export const IOKA_REFUND_STATUSES = ['PENDING', 'APPROVED', 'DECLINED'] as const;
/** Saved-card statuses (v2.8 `CardStatus`). */
export const IOKA_CARD_STATUSES = ['REQUIRES_ACTION', 'PENDING', 'APPROVED', 'DECLINED'] as const;
/** Customer statuses (v2.8 `CustomerStatus`). */
export const IOKA_CUSTOMER_STATUSES = ['PENDING', 'READY'] as const;
/** Subscription schedule statuses (v2.8 `ScheduleStatusEnum`). */
export const IOKA_SCHEDULE_STATUSES = ['ACTIVE', 'PAUSED', 'CANCELLED'] as const;
/** Subscription schedule units (v2.8 `ScheduleUnitEnum`). */
export const IOKA_SCHEDULE_UNITS = ['DAY', 'WEEK', 'MONTH'] as const;
/**
 * Webhook event names: v2.8's four `PAYMENT_*` events, the current docs' `ORDER_EXPIRED`,
 * `CARD_APPROVED`, `CARD_DECLINED` and their spelling `PAYMENT_CANCELED` (both spellings occur).
 */
export const IOKA_WEBHOOK_EVENTS = [
  'PAYMENT_APPROVED',
  'PAYMENT_CAPTURED',
  'PAYMENT_CANCELLED',
  'PAYMENT_CANCELED',
  'PAYMENT_DECLINED',
  'ORDER_EXPIRED',
  'CARD_APPROVED',
  'CARD_DECLINED',
] as const;
/** Order history event names (v2.8 `EventNameEnum`). */
export const IOKA_ORDER_EVENT_NAMES = [
  'ORDER_CREATED',
  'ORDER_PAID',
  'ORDER_UNPAID',
  'PAYMENT_CREATED',
  'PAYMENT_PENDING',
  'PAYMENT_APPROVED',
  'PAYMENT_CAPTURED',
  'PAYMENT_CANCELLED',
  'PAYMENT_DECLINED',
  'REFUND_PENDING',
  'REFUND_APPROVED',
  'REFUND_DECLINED',
] as const;
/** Customer history event names (v2.8 `CustomerEventNameEnum`). */
export const IOKA_CUSTOMER_EVENT_NAMES = [
  'CUSTOMER_CREATED',
  'CUSTOMER_READY',
  'CARD_CREATED',
  'CARD_ACTION_REQUIRED',
  'CARD_APPROVED',
  'CARD_DECLINED',
] as const;
/** Business error codes from the v2.8 error table (`{ code, message }` bodies). */
export const IOKA_ERROR_CODES = [
  'Unauthorized',
  'Forbidden',
  'InvalidRequest',
  'BadGateway',
  'OrderNotFound',
  'OrderExists',
  'OrderUnpaid',
  'OrderHasApprovedPayment',
  'OrderHasNoApprovedPayment',
  'OrderHasNoAttemptsLeftError',
  'OrderExpired',
  'PaymentNotFound',
  'RefundNotFound',
  'PaymentStarted',
  'ProcessingDeadlineReachedError',
  'PaymentCaptureAmountExceeded',
  'PaymentRefundAmountExceededError',
  'InvalidPaymentToken',
  'PaymentTokenNotFound',
  'CustomerNotFound',
  'CustomerExists',
  'CardNotFound',
  'BindingStarted',
  'BindingNotFound',
  'WebhookNotFound',
  'BinNotFound',
] as const;

/** An ioka order status; unknown future values come through as plain strings. */
export type IokaOrderStatus = (typeof IOKA_ORDER_STATUSES)[number] | (string & {});
/** An ioka payment status; unknown future values come through as plain strings. */
export type IokaPaymentStatus = (typeof IOKA_PAYMENT_STATUSES)[number] | (string & {});
/** An ioka refund status. */
export type IokaRefundStatus = (typeof IOKA_REFUND_STATUSES)[number] | (string & {});
/** An ioka saved-card status. */
export type IokaCardStatus = (typeof IOKA_CARD_STATUSES)[number] | (string & {});
/** An ioka customer status. */
export type IokaCustomerStatus = (typeof IOKA_CUSTOMER_STATUSES)[number] | (string & {});
/** An ioka subscription schedule status. */
export type IokaScheduleStatus = (typeof IOKA_SCHEDULE_STATUSES)[number] | (string & {});
/** An ioka subscription schedule unit. */
export type IokaScheduleUnit = (typeof IOKA_SCHEDULE_UNITS)[number] | (string & {});
/** A webhook event name. */
export type IokaWebhookEventName = (typeof IOKA_WEBHOOK_EVENTS)[number] | (string & {});
/** An order history event name. */
export type IokaOrderEventName = (typeof IOKA_ORDER_EVENT_NAMES)[number] | (string & {});
/** A customer history event name. */
export type IokaCustomerEventName = (typeof IOKA_CUSTOMER_EVENT_NAMES)[number] | (string & {});
/** An ioka business error code. */
export type IokaErrorCode = (typeof IOKA_ERROR_CODES)[number] | (string & {});
/** `AUTO`: one-stage payment (default). `MANUAL`: two-stage, capture or cancel later. */
export type IokaCaptureMethod = 'AUTO' | 'MANUAL';
/** Date filter presets of the list endpoints. */
export type IokaDateCategory = 'DAILY' | 'MONTHLY' | 'QUARTERLY' | 'YEARLY' | 'MANUAL';
/** Amount filter mode of the list endpoints. */
export type IokaAmountCategory = 'FIXED' | 'RANGE';

function openString<T extends string>(): z.ZodMiniType<T, unknown> {
  return z.string() as unknown as z.ZodMiniType<T, unknown>;
}

const optionalText = z.optional(z.nullable(z.string()));
const optionalBoolean = z.optional(z.nullable(z.boolean()));
const optionalUnknown = z.optional(z.unknown());
/** Integer minor units; tolerates a digit string. */
const tiyn = z.union([z.int(), z.pipe(z.string().check(z.regex(/^-?\d+$/)), z.transform(Number))]);
const optionalTiyn = z.optional(z.nullable(tiyn));
/** `processing_fee` is a float on the wire (`0.0`); a string is tolerated. */
const optionalFee = z.optional(z.nullable(z.union([z.number(), z.string()])));

/** `{ code, message }`: ioka's error body (and `payment.error`). Extra fields pass through. */
export const iokaErrorSchema = z.looseObject({
  code: optionalText,
  message: optionalText,
  /** Set with `PaymentStarted` and `ProcessingDeadlineReachedError`. */
  payment_id: optionalText,
});
/** An error body or a payment's decline reason. */
export type IokaError = z.output<typeof iokaErrorSchema>;

const acquirerSchema = z.looseObject({ name: optionalText, reference: optionalText });
const actionSchema = z.looseObject({ url: optionalText });

/** `PayerOut`: the card and contacts of a payment. */
export const iokaPayerSchema = z.looseObject({
  pan_masked: optionalText,
  expiry_date: optionalText,
  holder: optionalText,
  payment_system: optionalText,
  emitter: optionalText,
  email: optionalText,
  phone: optionalText,
  customer_id: optionalText,
  card_id: optionalText,
});
/** The payer of a payment. */
export type IokaPayer = z.output<typeof iokaPayerSchema>;

/** `ExtendedPayment` (and the slimmer `PaymentOut` of list endpoints). */
export const iokaPaymentSchema = z.looseObject({
  id: z.string(),
  order_id: optionalText,
  status: openString<IokaPaymentStatus>(),
  created_at: optionalText,
  approved_amount: optionalTiyn,
  captured_amount: optionalTiyn,
  refunded_amount: optionalTiyn,
  processing_fee: optionalFee,
  payer: z.optional(z.nullable(iokaPayerSchema)),
  /** Why the payment was declined (`DECLINED` only). */
  error: z.optional(z.nullable(iokaErrorSchema)),
  acquirer: z.optional(z.nullable(acquirerSchema)),
  /** 3-D Secure: where the shopper must go (`REQUIRES_ACTION`). */
  action: z.optional(z.nullable(actionSchema)),
});
/** A payment (one attempt to pay an order). */
export type IokaPayment = z.output<typeof iokaPaymentSchema>;

/** `OrderOut`, plus the newer docs' fields. */
export const iokaOrderSchema = z.looseObject({
  id: z.string(),
  status: openString<IokaOrderStatus>(),
  amount: tiyn,
  created_at: optionalText,
  currency: optionalText,
  capture_method: optionalText,
  external_id: optionalText,
  description: optionalText,
  extra_info: optionalUnknown,
  /** Payment attempts left (`OrderOut` allows 0, `OrderIn` starts at 1..50, default 10). */
  attempts: z.optional(z.nullable(z.int())),
  due_date: optionalText,
  customer_id: optionalText,
  card_id: optionalText,
  back_url: optionalText,
  success_url: optionalText,
  failure_url: optionalText,
  template: optionalText,
  /** The hosted checkout page: redirect the shopper here. */
  checkout_url: optionalText,
  shop_id: optionalText,
  display_amount: optionalTiyn,
  mcc: optionalUnknown,
  acquirer: optionalUnknown,
  split: optionalUnknown,
  access_token: optionalText,
  payment_link_url: optionalText,
  /** The order's payments (current docs; absent in v2.8, where `GET .../payments` lists them). */
  payments: z.optional(z.nullable(z.array(iokaPaymentSchema))),
});
/** An ioka order. */
export type IokaOrder = z.output<typeof iokaOrderSchema>;

/** `OrderAndAccessToken`: the answer of `POST /v2/orders`. */
export const iokaOrderAndAccessTokenSchema = z.looseObject({
  order: iokaOrderSchema,
  order_access_token: optionalText,
});
/** A created order and the token a client-side widget needs to pay it. */
export type IokaOrderAndAccessToken = z.output<typeof iokaOrderAndAccessTokenSchema>;

/** `ExtendedRefund` / `RefundOut`. */
export const iokaRefundSchema = z.looseObject({
  id: z.string(),
  status: openString<IokaRefundStatus>(),
  payment_id: optionalText,
  order_id: optionalText,
  amount: optionalTiyn,
  created_at: optionalText,
  reason: optionalText,
  error: z.optional(z.nullable(iokaErrorSchema)),
  acquirer: z.optional(z.nullable(acquirerSchema)),
});
/** A refund. */
export type IokaRefund = z.output<typeof iokaRefundSchema>;

/** `OrderEventOut`: one line of an order's history. */
export const iokaOrderEventSchema = z.looseObject({
  id: z.string(),
  name: openString<IokaOrderEventName>(),
  created_at: optionalText,
  order_id: optionalText,
  payment_id: optionalText,
  refund_id: optionalText,
  md: optionalText,
  pa_req: optionalText,
  acs_url: optionalText,
  term_url: optionalText,
  code: optionalText,
  message: optionalText,
});
/** An order history event. */
export type IokaOrderEvent = z.output<typeof iokaOrderEventSchema>;

/** `ExtendedCustomer`. */
export const iokaCustomerSchema = z.looseObject({
  id: z.string(),
  status: openString<IokaCustomerStatus>(),
  created_at: optionalText,
  external_id: optionalText,
  email: optionalText,
  phone: optionalText,
  /** The card-save page: send the shopper here to save a card without paying. */
  checkout_url: optionalText,
  access_token: optionalText,
  accounts: optionalUnknown,
});
/** A customer (payer) whose cards ioka stores. */
export type IokaCustomer = z.output<typeof iokaCustomerSchema>;

/** `CustomerAndAccessToken`: the answer of `POST /v2/customers`. */
export const iokaCustomerAndAccessTokenSchema = z.looseObject({
  customer: iokaCustomerSchema,
  customer_access_token: optionalText,
});
/** A created customer and the token a client-side widget needs to manage its cards. */
export type IokaCustomerAndAccessToken = z.output<typeof iokaCustomerAndAccessTokenSchema>;

/** `CustomerEventOut`. */
export const iokaCustomerEventSchema = z.looseObject({
  id: z.string(),
  name: openString<IokaCustomerEventName>(),
  created_at: optionalText,
  customer_id: optionalText,
  card_id: optionalText,
  md: optionalText,
  pa_req: optionalText,
  acs_url: optionalText,
  term_url: optionalText,
  code: optionalText,
  message: optionalText,
});
/** A customer history event. */
export type IokaCustomerEvent = z.output<typeof iokaCustomerEventSchema>;

/** `ExtendedCard`: a saved card. */
export const iokaCardSchema = z.looseObject({
  id: z.string(),
  status: openString<IokaCardStatus>(),
  customer_id: optionalText,
  created_at: optionalText,
  pan_masked: optionalText,
  expiry_date: optionalText,
  holder: optionalText,
  payment_system: optionalText,
  emitter: optionalText,
  /** Whether paying with this card asks the shopper for the CVC. */
  cvc_required: optionalBoolean,
  error: z.optional(z.nullable(iokaErrorSchema)),
  action: z.optional(z.nullable(actionSchema)),
});
/** A saved card. */
export type IokaCard = z.output<typeof iokaCardSchema>;

/** `ScheduleOut`. */
export const iokaScheduleSchema = z.looseObject({
  status: openString<IokaScheduleStatus>(),
  next_pay: optionalText,
  step: z.optional(z.nullable(z.int())),
  unit: z.optional(z.nullable(openString<IokaScheduleUnit>())),
});
/** A subscription's schedule. */
export type IokaSchedule = z.output<typeof iokaScheduleSchema>;

/** `SubscriptionOut`. */
export const iokaSubscriptionSchema = z.looseObject({
  id: z.string(),
  amount: tiyn,
  created_at: optionalText,
  currency: optionalText,
  description: optionalText,
  extra_info: optionalUnknown,
  customer_id: optionalText,
  card_id: optionalText,
  payer: z.optional(z.nullable(iokaPayerSchema)),
  schedule: iokaScheduleSchema,
});
/** An ioka-managed recurring charge of a saved card. */
export type IokaSubscription = z.output<typeof iokaSubscriptionSchema>;

/** `WebhookOut`. `key` is the secret that signs this webhook's deliveries. */
export const iokaWebhookSchema = z.looseObject({
  id: z.string(),
  url: z.string(),
  events: z.array(openString<IokaWebhookEventName>()),
  created_at: optionalText,
  active: optionalBoolean,
  /** The signing key: keep it (for example in IOKA_WEBHOOK_KEY) to verify `X-Signature`. */
  key: optionalText,
});
/** A registered webhook. */
export type IokaWebhook = z.output<typeof iokaWebhookSchema>;

/** `WebhookOrder`: the order as a webhook carries it. */
export const iokaWebhookOrderSchema = z.looseObject({
  id: z.string(),
  status: openString<IokaOrderStatus>(),
  amount: optionalTiyn,
  shop_id: optionalText,
  created_at: optionalText,
  currency: optionalText,
  capture_method: optionalText,
  external_id: optionalText,
  description: optionalText,
  extra_info: optionalUnknown,
  due_date: optionalText,
  attempts: z.optional(z.nullable(z.int())),
  checkout_url: optionalText,
  back_url: optionalText,
  success_url: optionalText,
  failure_url: optionalText,
  template: optionalText,
});
/** The order in a webhook. */
export type IokaWebhookOrder = z.output<typeof iokaWebhookOrderSchema>;

/**
 * `WebhookEvent`: `{ event, order, payment }` for payment events; `ORDER_EXPIRED` may come without
 * a payment, and card events carry a card (and customer) instead.
 */
export const iokaWebhookPayloadSchema = z.looseObject({
  event: openString<IokaWebhookEventName>(),
  order: z.optional(z.nullable(iokaWebhookOrderSchema)),
  payment: z.optional(z.nullable(iokaPaymentSchema)),
  card: z.optional(z.nullable(iokaCardSchema)),
  customer: z.optional(z.nullable(z.looseObject({ id: z.string() }))),
});
/** A webhook's body. */
export type IokaWebhookPayload = z.output<typeof iokaWebhookPayloadSchema>;
