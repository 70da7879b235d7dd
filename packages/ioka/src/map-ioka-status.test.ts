import { describe, expect, it } from 'vitest';
import type { IokaPayment } from './ioka-api.js';
import { mapIokaFailure } from './map-ioka-failure.js';
import { mapIokaStatus, resolveIokaStatus } from './map-ioka-status.js';

const payment = (status: string, fields: Partial<IokaPayment> = {}): IokaPayment => ({
  id: `pay_${status}`,
  status,
  created_at: '2024-01-01T10:00:00.000000',
  approved_amount: 0,
  captured_amount: 0,
  refunded_amount: 0,
  ...fields,
});

describe('mapIokaStatus', () => {
  it('maps both spellings of the cancel status and leaves the unknown at processing', () => {
    expect(mapIokaStatus('CANCELLED')).toBe('canceled');
    expect(mapIokaStatus('CANCELED')).toBe('canceled');
    expect(mapIokaStatus('EXPIRED')).toBe('expired');
    for (const raw of ['SUCCEEDED', 'constructor', '__proto__', 'toString', 'paid']) {
      expect(mapIokaStatus(raw)).toBe('processing');
    }
  });
});

describe('resolveIokaStatus: order + payments', () => {
  const unpaid = { status: 'UNPAID', amount: 10000, attempts: 10 };

  it.each([
    ['an unpaid order with no attempt', unpaid, [], 'requires_action', 'UNPAID'],
    ['a pending payment', unpaid, [payment('PENDING')], 'processing', 'PENDING'],
    ['3-D Secure in progress', unpaid, [payment('REQUIRES_ACTION')], 'requires_action', 'REQUIRES_ACTION'],
    [
      'an approved payment (order ON_HOLD)',
      { ...unpaid, status: 'ON_HOLD' },
      [payment('APPROVED', { approved_amount: 10000 })],
      'authorized',
      'APPROVED',
    ],
    ['ON_HOLD without payments listed', { ...unpaid, status: 'ON_HOLD' }, [], 'authorized', 'ON_HOLD'],
    [
      'a captured payment (order PAID)',
      { ...unpaid, status: 'PAID' },
      [payment('CAPTURED', { captured_amount: 10000 })],
      'captured',
      'CAPTURED',
    ],
    ['PAID without payments listed', { ...unpaid, status: 'PAID' }, [], 'captured', 'PAID'],
    ['a cancelled hold', { ...unpaid, status: 'ON_HOLD' }, [payment('CANCELLED')], 'canceled', 'CANCELLED'],
    ['an expired order', { ...unpaid, status: 'EXPIRED' }, [], 'expired', 'EXPIRED'],
    ['an unknown order status', { ...unpaid, status: 'ARCHIVED' }, [], 'processing', 'ARCHIVED'],
    ['an unknown payment status', unpaid, [payment('FROZEN')], 'processing', 'FROZEN'],
  ] as const)('%s', (_title, order, payments, status, rawStatus) => {
    const resolution = resolveIokaStatus(order, [...payments]);
    expect(resolution.status).toBe(status);
    expect(resolution.rawStatus).toBe(rawStatus);
  });

  it('turns refunds into partially_refunded and refunded', () => {
    const paid = { status: 'PAID', amount: 10000 };
    expect(
      resolveIokaStatus(paid, [payment('CAPTURED', { captured_amount: 10000, refunded_amount: 2500 })]),
    ).toMatchObject({
      status: 'partially_refunded',
      amountCaptured: 10000,
      amountRefunded: 2500,
    });
    expect(
      resolveIokaStatus(paid, [payment('CAPTURED', { captured_amount: 10000, refunded_amount: 10000 })])
        .status,
    ).toBe('refunded');
    // A partial capture refunded in full is refunded, not partially.
    expect(
      resolveIokaStatus(paid, [payment('CAPTURED', { captured_amount: 6000, refunded_amount: 6000 })]).status,
    ).toBe('refunded');
  });

  it('a decline with attempts left keeps the payment open, with the reason', () => {
    const declined = payment('DECLINED', {
      error: { code: 'InsufficientFunds', message: 'Insufficient funds' },
    });
    expect(resolveIokaStatus({ ...unpaid, attempts: 3 }, [declined])).toMatchObject({
      status: 'requires_action',
      rawStatus: 'DECLINED',
      failure: { code: 'insufficient_funds', rawCode: 'InsufficientFunds' },
    });
    // Webhooks carry no attempts count: not final either.
    expect(resolveIokaStatus({ status: 'UNPAID' }, [declined]).status).toBe('requires_action');
  });

  it('a decline with no attempts left is failed', () => {
    const declined = payment('DECLINED', { error: { code: 'LimitExceeded', message: 'Limit exceeded' } });
    expect(resolveIokaStatus({ ...unpaid, attempts: 0 }, [declined])).toMatchObject({
      status: 'failed',
      failure: { code: 'limit_exceeded', rawCode: 'LimitExceeded' },
    });
  });

  it('lets a later success win over earlier declines, and reads the latest attempt', () => {
    const declined = payment('DECLINED', { created_at: '2024-01-01T10:00:00.000000' });
    const captured = payment('CAPTURED', {
      created_at: '2024-01-01T10:05:00.000000',
      captured_amount: 10000,
    });
    expect(resolveIokaStatus({ ...unpaid, status: 'PAID' }, [declined, captured]).status).toBe('captured');
    const pending = payment('PENDING', { created_at: '2024-01-01T10:06:00.000000' });
    expect(resolveIokaStatus(unpaid, [pending, declined]).status).toBe('processing');
  });
});

describe('mapIokaFailure', () => {
  it.each([
    [{ code: 'InsufficientFunds', message: 'Insufficient funds' }, 'insufficient_funds'],
    [{ code: '51', message: 'Недостаточно средств' }, 'insufficient_funds'],
    [{ code: 'LimitExceeded', message: 'Превышен лимит' }, 'limit_exceeded'],
    [{ code: 'AuthenticationFailed', message: '3-D Secure authentication failed' }, 'authentication_failed'],
    [{ code: 'ExpiredCard', message: 'Card expired' }, 'expired_card'],
    [{ code: 'X', message: 'Do not honor' }, 'do_not_honor'],
    [{ code: 'Declined', message: 'Declined by the issuer' }, 'card_declined'],
  ])('%j -> %s', (error, code) => {
    expect(mapIokaFailure(error)).toMatchObject({ code, rawCode: error.code, message: error.message });
  });

  it('gives a generic decline without an error object', () => {
    expect(mapIokaFailure(undefined)).toEqual({
      code: 'card_declined',
      message: 'The payment was declined.',
    });
  });
});
