import { readFileSync } from 'node:fs';
import { canTransition, isTerminal, PAYMENT_STATUSES } from '@colchis/core';
import { describe, expect, it } from 'vitest';
import { evaluateProCreditOrder, mapProCreditStatus, PROCREDIT_STATUSES } from './map-procredit-status.js';
import { orderResponseSchema, type ProCreditOrder, parseWire } from './procredit-api.js';

const fixtureOrder = (name: string): ProCreditOrder =>
  parseWire(
    orderResponseSchema,
    (
      JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as {
        body: unknown;
      }
    ).body,
    'getOrder',
  ).order;

const GEL = (amount: number) => ({ amount, currency: 'GEL' });

describe('mapProCreditStatus', () => {
  it('maps every status listed in the gateway notes', () => {
    const listed = [
      'Preparing',
      'WaitPushTran',
      'Authorized',
      'PartiallyPaid',
      'PartPaid',
      'FullyPaid',
      'Funded',
      'Declined',
      'Rejected',
      'Refused',
      'Cancelled',
      'Expired',
      'Voided',
      'Refunded',
      'Closed',
      'Reversed',
    ];
    for (const raw of listed) {
      expect(Object.hasOwn(PROCREDIT_STATUSES, raw), raw).toBe(true);
      expect(PAYMENT_STATUSES).toContain(mapProCreditStatus(raw));
    }
  });

  it('reads both spellings of a partial payment, and any letter case', () => {
    expect(mapProCreditStatus('PartiallyPaid')).toBe('captured');
    expect(mapProCreditStatus('PartPaid')).toBe('partially_refunded');
    expect(mapProCreditStatus('FULLYPAID')).toBe('captured');
    expect(mapProCreditStatus(' fullypaid ')).toBe('captured');
  });

  it('never maps an unknown or bare Closed status to a terminal one', () => {
    for (const raw of ['Closed', 'Linked', 'Approved', 'SUCCESS', '']) {
      expect(isTerminal(mapProCreditStatus(raw)), raw).toBe(false);
    }
  });
});

describe('evaluateProCreditOrder with recorded orders', () => {
  it('confirms the real Quipu completed order (bare shape, EUR, amount as a number)', () => {
    const evaluation = evaluateProCreditOrder(fixtureOrder('order-fully-paid-quipu.json'), {
      expected: { amount: 2000, currency: 'EUR' },
    });
    expect(evaluation).toMatchObject({
      status: 'captured',
      amount: 2000,
      amountCaptured: 2000,
      amountRefunded: 0,
    });
  });

  it('does not mark the Quipu order paid when the amount or the currency differs (zadekastrati/bone checks both)', () => {
    const order = fixtureOrder('order-fully-paid-quipu.json');
    const fiveEuros = evaluateProCreditOrder(
      { ...order, amount: 5 },
      { expected: { amount: 2000, currency: 'EUR' } },
    );
    expect(fiveEuros.status).toBe('failed');
    expect(fiveEuros.failure?.code).toBe('amount_mismatch');
    const dollars = evaluateProCreditOrder(
      { ...order, currency: 'USD' },
      { expected: { amount: 2000, currency: 'EUR' } },
    );
    expect(dollars.failure?.code).toBe('currency_mismatch');
  });

  it('reads a detailed card-saving order', () => {
    const evaluation = evaluateProCreditOrder(fixtureOrder('order-detailed-saved-card.json'), {
      expected: GEL(1000),
    });
    expect(evaluation).toMatchObject({ status: 'captured', amountCaptured: 1000 });
  });

  it('reads MilliKart PartPaid with a refund as partially refunded, from the cleared amounts', () => {
    const evaluation = evaluateProCreditOrder(fixtureOrder('order-partially-refunded-millikart.json'));
    expect(evaluation).toMatchObject({
      status: 'partially_refunded',
      amountCaptured: 2000,
      amountRefunded: 500,
    });
  });

  it('derives amounts from trans[] when the cleared totals are missing (negative clearAmount = refund)', () => {
    const order = fixtureOrder('order-partially-refunded-millikart.json');
    const evaluation = evaluateProCreditOrder({
      ...order,
      clearedChargeAmount: undefined,
      clearedRefundAmount: undefined,
    });
    expect(evaluation).toMatchObject({
      status: 'partially_refunded',
      amountCaptured: 2000,
      amountRefunded: 500,
    });
  });

  it('reads Closed through prevStatus', () => {
    expect(evaluateProCreditOrder(fixtureOrder('order-closed-after-authorized.json')).status).toBe(
      'canceled',
    );
    const base = { id: 1, status: 'Closed', amount: 10, currency: 'GEL' };
    expect(evaluateProCreditOrder({ ...base, prevStatus: 'Preparing' }).status).toBe('expired');
    expect(evaluateProCreditOrder({ ...base, prevStatus: 'FullyPaid' }, { expected: GEL(1000) }).status).toBe(
      'captured',
    );
    expect(
      evaluateProCreditOrder({
        ...base,
        prevStatus: 'Refunded',
        clearedChargeAmount: 10,
        clearedRefundAmount: 10,
      }).status,
    ).toBe('refunded');
    expect(evaluateProCreditOrder(base).status).toBe('processing');
    expect(evaluateProCreditOrder({ ...base, clearedChargeAmount: 10 }).status).toBe('captured');
  });

  it('reads Refused and Cancelled with the cleared and refunded amounts', () => {
    const base = { id: 1, amount: 10, currency: 'GEL' };
    // Kapital: the customer refused to pay; MilliKart: fully refunded.
    expect(evaluateProCreditOrder({ ...base, status: 'Refused' })).toMatchObject({
      status: 'failed',
      failure: { code: 'canceled_by_customer' },
    });
    expect(
      evaluateProCreditOrder({
        ...base,
        status: 'Refused',
        clearedChargeAmount: 10,
        clearedRefundAmount: 10,
      }),
    ).toMatchObject({ status: 'refunded', amountRefunded: 1000 });
    // Kapital: cancelled before payment; MilliKart: fully reversed after money was taken.
    expect(evaluateProCreditOrder({ ...base, status: 'Cancelled' }).status).toBe('canceled');
    expect(
      evaluateProCreditOrder({
        ...base,
        status: 'Cancelled',
        clearedChargeAmount: 10,
        clearedRefundAmount: 10,
      }),
    ).toMatchObject({
      status: 'refunded',
      amountRefunded: 1000,
    });
    expect(
      canTransition(
        'captured',
        evaluateProCreditOrder({ ...base, status: 'Cancelled', clearedChargeAmount: 10 }).status,
      ),
    ).toBe(true);
  });

  it('reads declines from custAttrs (PMO result code)', () => {
    const evaluation = evaluateProCreditOrder(fixtureOrder('order-declined-with-pmo.json'));
    expect(evaluation.status).toBe('failed');
    expect(evaluation.failure).toEqual({
      code: 'insufficient_funds',
      message: 'Insufficient funds',
      rawCode: '59',
    });
    expect(evaluateProCreditOrder({ id: 1, status: 'Rejected' }).failure?.code).toBe('processing_error');
    expect(evaluateProCreditOrder({ id: 1, status: 'Declined' }).failure?.code).toBe('card_declined');
  });

  it('treats PartiallyPaid without refunds as a partial capture and flags an authorization for the wrong amount', () => {
    const partial = evaluateProCreditOrder(
      {
        id: 1,
        status: 'PartiallyPaid',
        amount: 40,
        currency: 'GEL',
        clearedChargeAmount: 30,
        clearedRefundAmount: 0,
      },
      { expected: GEL(4000) },
    );
    expect(partial).toMatchObject({ status: 'captured', amountCaptured: 3000 });
    const hold = evaluateProCreditOrder(
      { id: 1, status: 'Authorized', amount: 40, currency: 'GEL' },
      { expected: GEL(400) },
    );
    expect(hold.failure?.code).toBe('amount_mismatch');
  });

  it('reads minor-unit deployments', () => {
    const evaluation = evaluateProCreditOrder(
      { id: 1, status: 'FullyPaid', amount: 1050, currency: 'RUB', clearedChargeAmount: 1050 },
      { expected: { amount: 1050, currency: 'RUB' }, amountFormat: 'minor-integer' },
    );
    expect(evaluation).toMatchObject({ status: 'captured', amountCaptured: 1050 });
  });
});
