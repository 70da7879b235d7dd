import {
  ColchisError,
  ConfigurationError,
  InvalidRequestError,
  type Money,
  PaymentDeclinedError,
  type RequestOptions,
} from '@colchis/core';
import { evaluateProCreditOrder } from './map-procredit-status.js';
import { formatProCreditAmount } from './procredit-amount.js';
import type { ProCreditOrder, ProCreditTransactionResult } from './procredit-api.js';
import type {
  CreatedOrder,
  CreateOrderInput,
  GetOrderInput,
  TransactionRequest,
} from './procredit-client.js';
import type { ProCreditAmountFormat } from './procredit-presets.js';

/** Input of {@link ProCreditClient.chargeStoredCard}. */
export interface ChargeStoredCardInput {
  /** The saved card's token id (`storedTokens[].id`, the `TOKENID` of the return). */
  storedId: string | number;
  amount: Money;
  description?: string | undefined;
  /** Order type of the server-side order. Default: the configured `typeRids.recurring`. */
  typeRid?: string | undefined;
  /** `Recurring` (default) for merchant-initiated charges, `Cit` when the customer is present. */
  cofUsage?: string | undefined;
  /** `Single` (default) takes the money; `Auth` only holds it. */
  phase?: 'Single' | 'Auth' | undefined;
  ridByMerchant?: string | undefined;
}

/** The outcome of {@link ProCreditClient.chargeStoredCard}. */
export interface StoredCardCharge {
  orderId: string;
  /** The order password (secret). */
  password: string;
  /**
   * `approved`: the money was taken (or held, for `phase: 'Auth'`). `declined`: nothing was taken,
   * because the bank declined or because a stray authorization left by a failed charge was voided.
   */
  outcome: 'approved' | 'declined';
  /** The bank's `exec-tran` answer, when it arrived. */
  transaction: ProCreditTransactionResult | undefined;
  /** The order's state after the charge (fetched). */
  order: ProCreditOrder;
  /** The decline, when `outcome` is `declined` and the bank said why. */
  declineError: ColchisError | undefined;
  /** Set when an authorization left by a failed charge was voided. */
  cleanup: 'reversed' | undefined;
}

/** The client operations the composite charge is made of. */
export interface StoredCardOperations {
  createOrder(input: CreateOrderInput, options?: RequestOptions): Promise<CreatedOrder>;
  setSourceToken(
    orderId: string | number,
    input: { password: string; storedId: string | number },
    options?: RequestOptions,
  ): Promise<ProCreditOrder>;
  executeTransaction(
    orderId: string | number,
    tran: TransactionRequest,
    input?: { password?: string | undefined },
    options?: RequestOptions,
  ): Promise<ProCreditTransactionResult>;
  getOrder(
    orderId: string | number,
    input?: GetOrderInput,
    options?: RequestOptions,
  ): Promise<ProCreditOrder>;
  amountFormat: ProCreditAmountFormat;
  recurringTypeRid: string | undefined;
  bankName: string;
}

/**
 * Charges a saved card: a server-side order, `set-src-token`, then `exec-tran` with `cofUsage`.
 * The bank does not make the three atomic, so a failure after the order exists is reconciled by
 * reading the order: a charge that went through despite the error is `approved` (never charged
 * twice), an authorization left behind is voided, a decline is an outcome. Only when the bank's
 * state cannot be read, or nothing was charged for another reason, is the original error thrown.
 */
export async function chargeStoredCard(
  operations: StoredCardOperations,
  input: ChargeStoredCardInput,
  options?: RequestOptions,
): Promise<StoredCardCharge> {
  const typeRid = input.typeRid ?? operations.recurringTypeRid;
  if (!typeRid) {
    throw new ConfigurationError(
      `Charging a saved card needs the bank's order type for merchant-initiated payments: set typeRids.recurring (ask ${operations.bankName} for the card-on-file order type).`,
      { provider: 'procredit' },
    );
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(String(input.storedId ?? '').trim())) {
    throw new InvalidRequestError(
      'storedId is the saved card token id the bank returned (TOKENID / storedTokens[].id).',
      { provider: 'procredit' },
    );
  }
  const phase = input.phase ?? 'Single';
  const created = await operations.createOrder(
    {
      amount: input.amount,
      typeRid,
      description: input.description,
      ridByMerchant: input.ridByMerchant,
      initiationEnvKind: 'Server',
    },
    options,
  );
  if (!created.password) {
    throw new InvalidRequestError(
      `ProCredit created order ${created.id} without a password, so the saved card cannot be attached.`,
      { provider: 'procredit' },
    );
  }
  const password = created.password;
  const amount = { amount: input.amount.amount, currency: input.amount.currency.toUpperCase() };
  let transaction: ProCreditTransactionResult;
  try {
    await operations.setSourceToken(created.id, { password, storedId: input.storedId }, options);
    transaction = await operations.executeTransaction(
      created.id,
      { phase, amount, conditions: { cofUsage: input.cofUsage ?? 'Recurring' } },
      { password },
      options,
    );
  } catch (error) {
    return reconcile(operations, created.id, password, phase, amount, error, options);
  }
  // The charge is approved: reading it back is a convenience that must not turn it into an
  // error (a caller seeing an error might charge again).
  const order = await operations.getOrder(created.id, { password }, options).catch(
    (): ProCreditOrder => ({
      id: created.id,
      typeRid,
      ridByMerchant: input.ridByMerchant,
      status: phase === 'Auth' ? 'Authorized' : 'FullyPaid',
      amount: formatProCreditAmount(amount, operations.amountFormat),
      currency: amount.currency,
    }),
  );
  return {
    orderId: created.id,
    password,
    outcome: 'approved',
    transaction,
    order,
    declineError: undefined,
    cleanup: undefined,
  };
}

async function reconcile(
  operations: StoredCardOperations,
  orderId: string,
  password: string,
  phase: 'Single' | 'Auth',
  amount: Money,
  error: unknown,
  options: RequestOptions | undefined,
): Promise<StoredCardCharge> {
  let order: ProCreditOrder;
  try {
    order = await operations.getOrder(orderId, { password }, options);
  } catch {
    throw error;
  }
  const state = evaluateProCreditOrder(order, { expected: amount, amountFormat: operations.amountFormat });
  const declineError = ColchisError.isInstance(error) ? (error as ColchisError) : undefined;
  const base = { orderId, password, transaction: undefined, order };
  if (state.status === 'captured' || (phase === 'Auth' && state.status === 'authorized')) {
    return { ...base, outcome: 'approved', declineError: undefined, cleanup: undefined };
  }
  if (state.status === 'authorized') {
    // A hold nobody asked for: release it rather than leave the customer's money blocked. If the
    // void fails too, the original error tells the caller to reconcile.
    try {
      await operations.executeTransaction(
        orderId,
        { phase: 'Auth', voidKind: 'Full' },
        { password },
        options,
      );
    } catch {
      throw error;
    }
    const after = await operations.getOrder(orderId, { password }, options).catch(() => order);
    return { ...base, order: after, outcome: 'declined', declineError, cleanup: 'reversed' };
  }
  if (state.status === 'failed' || PaymentDeclinedError.isInstance(error)) {
    return { ...base, outcome: 'declined', declineError, cleanup: undefined };
  }
  // Nothing was charged (the order is still Preparing): the unused order expires at the bank.
  throw error;
}
