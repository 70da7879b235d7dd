import { describe, expect, it } from 'vitest';
import { BOG_RESPONSE_CODES, mapBogFailureCode } from './map-bog-failure-code.js';
import { BOG_ORDER_STATUS_MAP, mapBogPaymentStatus, mapBogStatus } from './map-bog-status.js';

describe('mapBogStatus', () => {
  it('maps the ten documented keys exactly as specified', () => {
    expect(BOG_ORDER_STATUS_MAP).toEqual({
      created: 'requires_action',
      processing: 'processing',
      auth_requested: 'processing',
      blocked: 'authorized',
      completed: 'captured',
      partial_completed: 'captured',
      refund_requested: 'captured',
      refunded_partially: 'partially_refunded',
      refunded: 'refunded',
      rejected: 'failed',
    });
    for (const [raw, status] of Object.entries(BOG_ORDER_STATUS_MAP)) expect(mapBogStatus(raw)).toBe(status);
  });

  it('maps a rejected order whose reject_reason is expiration to expired', () => {
    expect(mapBogStatus('rejected', 'expiration')).toBe('expired');
    expect(mapBogStatus('rejected', 'unknown')).toBe('failed');
    expect(mapBogStatus('rejected', 'Declined: insufficient funds')).toBe('failed');
    expect(mapBogStatus('completed', 'expiration')).toBe('captured');
  });

  it('maps keys BOG never documented (and ones other libraries invented) to processing', () => {
    for (const raw of [
      'captured',
      'expired',
      'approved',
      'chargeback',
      'pre_authorization_blocked',
      '',
      'toString',
      '__proto__',
    ]) {
      expect(mapBogStatus(raw)).toBe('processing');
    }
  });

  it('reads keys regardless of case and surrounding space', () => {
    expect(mapBogStatus(' Completed ')).toBe('captured');
  });

  it('reports a pre-authorization the merchant cancelled as canceled, not failed', () => {
    const cancelled = {
      status: 'rejected',
      rejectReason: undefined,
      actions: [
        {
          actionId: 'a',
          requestChannel: 'public_api',
          action: 'cancel_authorize',
          status: 'completed',
          date: undefined,
          amount: 100,
          code: undefined,
          codeDescription: undefined,
        },
      ],
    };
    expect(mapBogPaymentStatus(cancelled)).toBe('canceled');
    expect(mapBogPaymentStatus({ ...cancelled, actions: [] })).toBe('failed');
    expect(
      mapBogPaymentStatus({ ...cancelled, actions: [{ ...cancelled.actions[0]!, status: 'rejected' }] }),
    ).toBe('failed');
  });
});

describe('mapBogFailureCode', () => {
  it('normalizes every documented payment code', () => {
    expect(mapBogFailureCode('107')).toBe('insufficient_funds');
    expect(mapBogFailureCode(107)).toBe('insufficient_funds');
    expect(mapBogFailureCode('105')).toBe('expired_card');
    expect(mapBogFailureCode('103')).toBe('incorrect_number');
    expect(mapBogFailureCode('104')).toBe('limit_exceeded');
    expect(mapBogFailureCode('106')).toBe('limit_exceeded');
    expect(mapBogFailureCode('108')).toBe('authentication_failed');
    expect(mapBogFailureCode('111')).toBe('authentication_failed');
    expect(mapBogFailureCode('110')).toBe('expired');
    expect(mapBogFailureCode('109')).toBe('processing_error');
    expect(mapBogFailureCode('122')).toBe('card_declined');
    for (const code of ['100', '101', '102', '112', '199', '200', '161', '162', '163', '167', '169', '179']) {
      expect(BOG_RESPONSE_CODES[code]).toBeDefined();
    }
  });

  it('treats unknown and missing codes as unknown', () => {
    expect(mapBogFailureCode('999')).toBe('unknown');
    expect(mapBogFailureCode(undefined)).toBe('unknown');
    expect(mapBogFailureCode(null)).toBe('unknown');
  });
});
