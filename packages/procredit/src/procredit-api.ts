import { ResponseValidationError } from '@colchis/core';
import * as z from 'zod/mini';

// Wire schemas of the TXPG JSON protocol. They are deliberately loose: every field but the
// order id is optional and nullable, numbers may arrive as strings and vice versa, and unknown
// fields are kept, because deployments differ (Quipu answers "realistically bare" objects,
// Kapital and MilliKart send much more).

const amount = z.optional(z.nullable(z.union([z.number(), z.string()])));
const identifier = z.union([z.number(), z.string()]);
const text = z.optional(z.nullable(z.string()));
const textOrNumber = z.optional(z.nullable(z.union([z.string(), z.number()])));

/** `order` of the create-order answer: `{ id, hppUrl, password, status }` (plus `accessToken` on RNCB). */
export const createdOrderSchema = z.looseObject({
  id: identifier,
  hppUrl: text,
  password: text,
  status: text,
  accessToken: text,
  secret: textOrNumber,
  cvv2AuthStatus: text,
});

/** Answer of `POST /order`. */
export const createOrderResponseSchema = z.looseObject({ order: createdOrderSchema });

/** One entry of `order.trans[]` (`tranDetailLevel` >= 1). */
export const orderTransactionSchema = z.looseObject({
  approvalCode: textOrNumber,
  actionId: textOrNumber,
  billingStatus: text,
  isReversal: z.optional(z.nullable(z.boolean())),
  ridByPmo: textOrNumber,
  rrn: textOrNumber,
  regTime: text,
  clearAmount: amount,
  clearCcy: text,
  amount,
  currency: text,
  description: text,
  phase: text,
  type: text,
});

/** A card token (`srcToken`, `tokenDetailLevel` >= 1). */
export const cardTokenSchema = z.looseObject({
  id: z.optional(z.nullable(identifier)),
  paymentMethod: text,
  role: text,
  status: text,
  displayName: text,
  card: z.optional(
    z.nullable(
      z.looseObject({
        expiration: text,
        brand: text,
        restoredFromId: z.optional(z.nullable(identifier)),
      }),
    ),
  ),
});

/** Answer of `GET /order/{id}` (inside `order`), at any detail level. */
export const orderSchema = z.looseObject({
  id: identifier,
  typeRid: text,
  ridByMerchant: text,
  status: text,
  prevStatus: text,
  lastStatusLogin: text,
  amount,
  currency: text,
  createTime: text,
  finishTime: text,
  hppUrl: text,
  password: text,
  description: text,
  language: text,
  initiationEnvKind: text,
  authorizedChargeAmount: amount,
  clearedChargeAmount: amount,
  clearedRefundAmount: amount,
  storedTokens: z.optional(z.nullable(z.array(z.looseObject({ id: z.optional(z.nullable(identifier)) })))),
  trans: z.optional(z.nullable(z.array(orderTransactionSchema))),
  srcToken: z.optional(z.nullable(cardTokenSchema)),
  custAttrs: z.optional(z.nullable(z.array(z.looseObject({ rid: text, valAsStr: text })))),
  hppCofCapturePurposes: z.optional(z.nullable(z.array(z.string()))),
  cvv2AuthStatus: text,
  tdsV1AuthStatus: text,
  tdsV2AuthStatus: text,
});

/** `{ order }` envelope of get-order and set-src-token. */
export const orderResponseSchema = z.looseObject({ order: orderSchema });

/** Answer of `POST /order/{id}/exec-tran` (inside `tran`). */
export const transactionResultSchema = z.looseObject({
  approvalCode: textOrNumber,
  match: z.optional(z.nullable(z.looseObject({ tranActionId: textOrNumber, ridByPmo: textOrNumber }))),
  pmoResultCode: textOrNumber,
});

/** `{ tran }` envelope of exec-tran. */
export const transactionResponseSchema = z.looseObject({
  tran: z.optional(z.nullable(transactionResultSchema)),
});

/** The bank's error body, sent with HTTP >= 400 and sometimes with 200. */
export const errorBodySchema = z.looseObject({
  errorCode: z.string(),
  errorDescription: text,
  errorDetails: z.optional(z.unknown()),
});

/** A created order as the bank returns it. */
export type ProCreditCreatedOrder = z.infer<typeof createdOrderSchema>;
/** An order as `GET /order/{id}` returns it. */
export type ProCreditOrder = z.infer<typeof orderSchema>;
/** One transaction of an order. */
export type ProCreditOrderTransaction = z.infer<typeof orderTransactionSchema>;
/** A card token. */
export type ProCreditCardToken = z.infer<typeof cardTokenSchema>;
/** The result of `exec-tran`. */
export type ProCreditTransactionResult = z.infer<typeof transactionResultSchema>;
/** The bank's error body. */
export type ProCreditErrorBody = z.infer<typeof errorBodySchema>;

/**
 * Error codes documented for the protocol (Kapital's list). The bank may send others: the type
 * stays open and the raw code is always kept.
 */
export type ProCreditErrorCode =
  | 'InvalidAmt'
  | 'InvalidRequest'
  | 'InvalidTran'
  | 'InvalidTranLink'
  | 'TranProhibited'
  | 'ActionAppException'
  | 'CantChooseSettleAcct'
  | 'PmoIfaceNotFound'
  | 'PmoDecline'
  | 'PmoUnreachable'
  | 'InvalidCert'
  | 'InvalidLogin'
  | 'InvalidOrderState'
  | 'InvalidUserSession'
  | 'NeedChangePwd'
  | 'OperationProhibited'
  | 'PwdTryLimitExceeded'
  | 'UserSessionExpired'
  | 'CofpDecline'
  | 'CofpUnreachable'
  | 'InvalidToken'
  | 'InvalidAutStatus'
  | 'ConsumerNotFound'
  | 'InvalidConsumer'
  | 'InvalidSecret'
  | 'SecretTryLimit'
  | 'ServiceError'
  | (string & {});

/**
 * Validates a response body against a wire schema.
 * @throws ResponseValidationError naming the operation and the first problem.
 */
export function parseWire<T>(
  schema: {
    safeParse(data: unknown): { success: true; data: T } | { success: false; error: z.core.$ZodError };
  },
  data: unknown,
  operation: string,
): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'the body';
  throw new ResponseValidationError(
    `ProCredit answered ${operation} with an unexpected shape (${where}: ${issue?.message ?? 'invalid'}).`,
    { provider: 'procredit', rawBody: data },
  );
}
