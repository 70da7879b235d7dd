import { isTerminal } from '@colchis/core';
import { describe, expect, it } from 'vitest';
import { IPAY_PRE_AUTH_STATUSES, IPAY_STATUSES, mapIpayStatus } from './map-ipay-status.js';

describe('mapIpayStatus', () => {
  it('maps every documented status, in any letter case', () => {
    expect(IPAY_STATUSES).toEqual({
      CREATED: 'requires_action',
      in_progress: 'processing',
      success: 'captured',
      error: 'failed',
    });
    for (const [raw, expected] of Object.entries(IPAY_STATUSES)) {
      expect(mapIpayStatus(raw)).toBe(expected);
      expect(mapIpayStatus(raw.toUpperCase())).toBe(expected);
      expect(mapIpayStatus(` ${raw.toLowerCase()} `)).toBe(expected);
    }
  });

  it('refines success with the documented pre_auth_status values', () => {
    expect(IPAY_PRE_AUTH_STATUSES).toEqual({
      in_progress: 'authorized',
      success: 'captured',
      success_unblocked: 'canceled',
    });
    for (const [raw, expected] of Object.entries(IPAY_PRE_AUTH_STATUSES)) {
      expect(mapIpayStatus('success', raw)).toBe(expected);
    }
    // pre_auth_status only qualifies a successful payment.
    expect(mapIpayStatus('error', 'in_progress')).toBe('failed');
    expect(mapIpayStatus('in_progress', 'in_progress')).toBe('processing');
    expect(mapIpayStatus('success', null)).toBe('captured');
  });

  it('never maps an unknown value to a terminal status', () => {
    for (const raw of [undefined, null, '', 'PERFORMED', 'refunded', 'something_new']) {
      const mapped = mapIpayStatus(raw);
      expect(mapped).toBe('processing');
      expect(isTerminal(mapped)).toBe(false);
    }
    // A paid order with an unknown hold state: money may be held or taken, so not yet settled.
    expect(mapIpayStatus('success', 'released_someday')).toBe('processing');
  });
});
