import { toMinorUnits } from '@colchis/core';
import type { Router, SandboxRequest, SandboxResponse } from '../router.js';
import { declineFor } from './procredit-sandbox-cards.js';
import {
  orderKind,
  type ProCreditSandboxOrder,
  type ProCreditSandboxStore,
  renderOrder,
} from './procredit-sandbox-store.js';

/** What the API routes need. */
export interface ProCreditApiDependencies {
  store: ProCreditSandboxStore;
  /** The hosted page's URL (answered as `order.hppUrl`). */
  hppUrl: string;
  /**
   * The merchant making the request (the client certificate's CN, or the Basic login), or a
   * response refusing it.
   */
  authenticate(request: SandboxRequest): string | SandboxResponse;
}

const CURRENCIES = new Set(['GEL', 'USD', 'EUR']);
const COF_PURPOSES = new Set([
  'Cit',
  'Recurring',
  'Instalment',
  'UnspecifiedMit',
  'DelayedCharge',
  'Resubmission',
  'PartialShipment',
]);
const PAID = new Set(['FullyPaid', 'PartiallyPaid', 'PartPaid']);
const BROWSER_STRING_FIELDS = ['colorDepth', 'screenW', 'screenH', 'tzOffset'];

/** The bank's error answer. */
function bankError(status: number, errorCode: string, errorDescription: string): SandboxResponse {
  return { status, json: { errorCode, errorDescription } };
}

/**
 * Mounts the TXPG JSON API under `prefix`: `POST /order`, `GET /order/{id}`,
 * `POST /order/{id}/exec-tran` and `POST /order/{id}/set-src-token`, validating requests the way
 * the documentation describes (amounts as `"10.00"` strings, alphabetic currencies, Latin-only
 * descriptions, numbers as strings in `consumerDevice.browser`).
 */
export function mountProCreditApi(
  router: Router,
  prefix: string,
  dependencies: ProCreditApiDependencies,
): void {
  const { store, hppUrl } = dependencies;

  function findOrder(
    request: SandboxRequest,
    merchantId: string,
    passwordRequired: boolean,
  ): ProCreditSandboxOrder | SandboxResponse {
    const password = request.query.get('password');
    if (passwordRequired && !password) return bankError(400, 'InvalidRequest', 'password is required');
    const order = /^\d{1,12}$/.test(request.params.id ?? '')
      ? store.order(request.params.id as string)
      : undefined;
    if (!order || order.merchantId !== merchantId || (password !== null && password !== order.password)) {
      return bankError(404, 'InvalidRequest', 'Order not found');
    }
    return order;
  }

  router.add('POST', `${prefix}/order`, (request) => {
    const merchantId = dependencies.authenticate(request);
    if (typeof merchantId !== 'string') return merchantId;
    const input = request.json<{ order?: Record<string, unknown> }>()?.order;
    if (!input || typeof input !== 'object') {
      return bankError(400, 'InvalidRequest', 'Body must be {"order":{...}}');
    }
    const typeRid = input.typeRid;
    const kind = typeof typeRid === 'string' ? orderKind(typeRid) : undefined;
    if (typeof typeRid !== 'string' || !kind) {
      return bankError(
        400,
        'InvalidRequest',
        `Order type ${JSON.stringify(typeRid)} is not configured for this merchant`,
      );
    }
    const currency = input.currency;
    if (typeof currency !== 'string' || !CURRENCIES.has(currency)) {
      return bankError(
        400,
        'InvalidRequest',
        `Currency ${JSON.stringify(currency)} is not allowed (alphabetic: GEL, USD, EUR)`,
      );
    }
    const amount = readAmount(input.amount, currency, true);
    if (typeof amount !== 'number') return amount;
    const description = input.description;
    if (
      description !== undefined &&
      (typeof description !== 'string' || !/^[\x20-\x7E]{0,1000}$/.test(description))
    ) {
      return bankError(400, 'InvalidRequest', 'description must contain Latin characters only');
    }
    const initiationEnvKind = input.initiationEnvKind ?? (kind === 'recurring' ? 'Server' : 'Browser');
    if (initiationEnvKind !== 'Browser' && initiationEnvKind !== 'Server') {
      return bankError(400, 'InvalidRequest', 'initiationEnvKind must be Browser or Server');
    }
    const redirect = input.hppRedirectUrl;
    if (kind !== 'recurring' && initiationEnvKind === 'Browser') {
      if (typeof redirect !== 'string' || !/^https?:\/\//.test(redirect) || !URL.canParse(redirect)) {
        return bankError(400, 'InvalidRequest', 'hppRedirectUrl must be an absolute URL');
      }
    }
    const purposes = input.hppCofCapturePurposes ?? [];
    if (!Array.isArray(purposes) || purposes.some((purpose) => !COF_PURPOSES.has(String(purpose)))) {
      return bankError(400, 'InvalidRequest', 'hppCofCapturePurposes has an unknown purpose');
    }
    const browser = (input.consumerDevice as { browser?: Record<string, unknown> } | undefined)?.browser;
    if (browser !== undefined) {
      for (const field of BROWSER_STRING_FIELDS) {
        if (browser[field] !== undefined && typeof browser[field] !== 'string') {
          return bankError(400, 'InvalidRequest', `consumerDevice.browser.${field} must be a string`);
        }
      }
    }
    const order = store.createOrder({
      merchantId,
      typeRid,
      kind,
      amount,
      currency,
      description: typeof description === 'string' ? description : undefined,
      language: typeof input.language === 'string' ? input.language : 'en',
      hppRedirectUrl: typeof redirect === 'string' ? redirect : undefined,
      initiationEnvKind,
      ridByMerchant: typeof input.ridByMerchant === 'string' ? input.ridByMerchant : undefined,
      hppCofCapturePurposes: purposes.map(String),
      consumerBrowser: browser,
    });
    // Quipu answers this "realistically bare" object.
    return {
      status: 200,
      json: { order: { id: order.id, hppUrl, password: order.password, status: order.status } },
    };
  });

  router.add('GET', `${prefix}/order/:id`, (request) => {
    const merchantId = dependencies.authenticate(request);
    if (typeof merchantId !== 'string') return merchantId;
    const order = findOrder(request, merchantId, true);
    if (!isOrder(order)) return order;
    const level = (name: string) => {
      const value = Number(request.query.get(name) ?? 0);
      return Number.isInteger(value) && value >= 0 ? Math.min(value, 2) : 0;
    };
    const levels = {
      order: level('orderDetailLevel'),
      tran: level('tranDetailLevel'),
      token: level('tokenDetailLevel'),
    };
    return { status: 200, json: { order: renderOrder(order, levels, hppUrl) } };
  });

  router.add('POST', `${prefix}/order/:id/set-src-token`, (request) => {
    const merchantId = dependencies.authenticate(request);
    if (typeof merchantId !== 'string') return merchantId;
    const order = findOrder(request, merchantId, true);
    if (!isOrder(order)) return order;
    const body = request.json<{ token?: { storedId?: unknown } }>();
    const storedId = body?.token?.storedId;
    const token =
      typeof storedId === 'number' || typeof storedId === 'string' ? store.token(storedId) : undefined;
    if (!token || token.merchantId !== merchantId)
      return bankError(400, 'InvalidToken', 'Unknown stored token');
    if (order.status !== 'Preparing') {
      return bankError(
        500,
        'InvalidOrderState',
        `Order is ${order.status}, a token can only be set on a new order`,
      );
    }
    order.sourceTokenId = token.id;
    order.card = token.card;
    order.cardExpiration = token.expiration;
    return {
      status: 200,
      json: {
        order: {
          id: order.id,
          status: order.status,
          cvv2AuthStatus: 'IneligibleOrder',
          tdsV1AuthStatus: 'IneligibleOrder',
          tdsV2AuthStatus: 'IneligibleOrder',
          otpAutStatus: 'IneligibleOrder',
          srcToken: renderOrder(order, { order: 0, tran: 0, token: 1 }, hppUrl).srcToken,
        },
      },
    };
  });

  router.add('POST', `${prefix}/order/:id/exec-tran`, (request) => {
    const merchantId = dependencies.authenticate(request);
    if (typeof merchantId !== 'string') return merchantId;
    const order = findOrder(request, merchantId, false);
    if (!isOrder(order)) return order;
    const tran = request.json<{ tran?: Record<string, unknown> }>()?.tran;
    if (!tran || typeof tran !== 'object')
      return bankError(400, 'InvalidRequest', 'Body must be {"tran":{...}}');
    const amount = tran.amount === undefined ? undefined : readAmount(tran.amount, order.currency, true);
    if (amount !== undefined && typeof amount !== 'number') return amount;
    return executeTransaction(order, tran, amount);
  });

  function executeTransaction(
    order: ProCreditSandboxOrder,
    tran: Record<string, unknown>,
    amount: number | undefined,
  ): SandboxResponse {
    const phase = tran.phase;
    const conditions = tran.conditions as { cofUsage?: unknown } | undefined;
    if (conditions?.cofUsage !== undefined)
      return chargeSavedCard(order, phase, amount, String(conditions.cofUsage));
    if (phase === 'Clearing') {
      if (order.status !== 'Authorized') return stateError(order, 'clear');
      const value = amount ?? order.authorized;
      if (value > order.authorized)
        return bankError(400, 'InvalidAmt', 'Amount exceeds the authorized amount');
      order.cleared += value;
      order.authorized = 0;
      order.clearedOn = store.today();
      store.setStatus(order, order.cleared === order.amount ? 'FullyPaid' : 'PartiallyPaid');
      return approved(order, {
        clearAmount: value,
        description: 'Purchase',
        phase: 'Clearing',
        type: 'Purchase',
        isReversal: false,
      });
    }
    if (tran.voidKind === 'Full' || tran.voidKind === 'Partial') {
      const full = tran.voidKind === 'Full';
      if (!full && amount === undefined)
        return bankError(400, 'InvalidAmt', 'A partial reversal needs an amount');
      if (phase === 'Auth') {
        if (order.status !== 'Authorized') return stateError(order, 'void the authorization of');
        const value = full ? order.authorized : (amount as number);
        if (value > order.authorized)
          return bankError(400, 'InvalidAmt', 'Amount exceeds the authorized amount');
        order.authorized -= value;
        if (order.authorized === 0) store.setStatus(order, 'Voided');
        return approved(order, {
          clearAmount: 0,
          description: 'Preauthorization - Void',
          phase: 'Auth',
          type: 'Purchase',
          isReversal: true,
        });
      }
      if (phase === 'Single') {
        if (!PAID.has(order.status)) return stateError(order, 'reverse');
        if (order.clearedOn !== store.today()) {
          return bankError(
            400,
            'TranProhibited',
            'A purchase can only be reversed on the day it was made: refund it instead',
          );
        }
        const left = order.cleared - order.refunded;
        const value = full ? left : (amount as number);
        if (value <= 0 || value > left)
          return bankError(400, 'InvalidAmt', 'Amount exceeds what can be reversed');
        order.refunded += value;
        store.setStatus(order, order.refunded === order.cleared ? 'Cancelled' : 'PartPaid');
        return approved(order, {
          clearAmount: -value,
          description: 'Purchase - Void',
          phase: 'Single',
          type: 'Purchase',
          isReversal: true,
        });
      }
      return bankError(400, 'InvalidTran', 'A reversal needs phase Auth or Single');
    }
    if (tran.type === 'Refund') {
      if (phase !== 'Single') return bankError(400, 'InvalidTran', 'A refund has phase Single');
      if (!PAID.has(order.status)) return stateError(order, 'refund');
      if (amount === undefined) return bankError(400, 'InvalidAmt', 'A refund needs an amount');
      if (amount > order.cleared - order.refunded)
        return bankError(400, 'InvalidAmt', 'Amount exceeds what can be refunded');
      order.refunded += amount;
      store.setStatus(order, order.refunded === order.cleared ? 'Refunded' : 'PartPaid');
      return approved(order, {
        clearAmount: -amount,
        description: 'Refund',
        phase: 'Single',
        type: 'Refund',
        isReversal: false,
      });
    }
    return bankError(400, 'InvalidTran', 'Unsupported transaction');
  }

  function chargeSavedCard(
    order: ProCreditSandboxOrder,
    phase: unknown,
    amount: number | undefined,
    cofUsage: string,
  ): SandboxResponse {
    if (phase !== 'Single' && phase !== 'Auth')
      return bankError(400, 'InvalidTran', 'A card-on-file payment has phase Single or Auth');
    if (!COF_PURPOSES.has(cofUsage)) return bankError(400, 'InvalidRequest', 'Unknown cofUsage');
    if (order.status !== 'Preparing') return stateError(order, 'charge');
    if (order.sourceTokenId === undefined || !order.card) {
      return bankError(500, 'InvalidOrderState', 'No source token: call set-src-token first');
    }
    const value = amount ?? order.amount;
    if (value !== order.amount) return bankError(400, 'InvalidAmt', 'Amount differs from the order amount');
    if (order.card.merchantInitiated !== 'success') {
      const decline = declineFor(order.card.merchantInitiated);
      order.declineCode = decline.pmoResultCode;
      order.declineDescription = decline.description;
      store.setStatus(order, decline.status);
      // Declines of card-on-file payments come back as a transaction with a PMO result code.
      return { status: 200, json: { tran: { approvalCode: null, pmoResultCode: decline.pmoResultCode } } };
    }
    if (phase === 'Auth') {
      order.authorized = value;
      order.authorizedAt = store.now();
      store.setStatus(order, 'Authorized');
      return approved(order, {
        clearAmount: 0,
        description: 'Preauthorization',
        phase: 'Auth',
        type: 'Purchase',
        isReversal: false,
      });
    }
    order.cleared = value;
    order.clearedOn = store.today();
    store.setStatus(order, 'FullyPaid');
    return approved(order, {
      clearAmount: value,
      description: 'Purchase',
      phase: 'Single',
      type: 'Purchase',
      isReversal: false,
    });
  }

  function approved(
    order: ProCreditSandboxOrder,
    line: Parameters<ProCreditSandboxStore['addTransaction']>[1],
  ): SandboxResponse {
    const transaction = store.addTransaction(order, line);
    return {
      status: 200,
      json: {
        tran: {
          approvalCode: transaction.approvalCode,
          match: { tranActionId: transaction.actionId, ridByPmo: transaction.ridByPmo },
          pmoResultCode: '1',
        },
      },
    };
  }
}

function stateError(order: ProCreditSandboxOrder, action: string): SandboxResponse {
  // Kapital reports a wrong order state with HTTP 500 and an errorCode; clients must read the code.
  return bankError(500, 'InvalidOrderState', `Cannot ${action} an order in status ${order.status}`);
}

function isOrder(value: ProCreditSandboxOrder | SandboxResponse): value is ProCreditSandboxOrder {
  return typeof (value as ProCreditSandboxOrder).password === 'string';
}

function readAmount(value: unknown, currency: string, positive: boolean): number | SandboxResponse {
  if (typeof value !== 'string' || !/^\d{1,12}\.\d{2}$/.test(value)) {
    return bankError(
      400,
      'InvalidAmt',
      `Amount ${JSON.stringify(value)} must be a decimal string such as "10.00"`,
    );
  }
  const minor = toMinorUnits(value, currency);
  if (positive && minor <= 0) return bankError(400, 'InvalidAmt', 'Amount must be positive');
  return minor;
}
