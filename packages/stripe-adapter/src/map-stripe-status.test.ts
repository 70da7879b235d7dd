import { PAYMENT_STATUSES } from '@colchis/core';
import { describe, expect, it } from 'vitest';
import { mapStripeFailure, mapStripeFailureCode } from './map-stripe-failure.js';
import { mapStripeRefundStatus, mapStripeStatus, STRIPE_STATUS_MAP } from './map-stripe-status.js';

describe('mapStripeStatus', () => {
  it('covers every PaymentIntent, Checkout Session and Charge status Stripe documents', () => {
    const documented = [
      'requires_payment_method',
      'requires_confirmation',
      'requires_action',
      'processing',
      'requires_capture',
      'canceled',
      'succeeded',
      'open',
      'complete',
      'expired',
      'pending',
      'failed',
    ];
    expect(Object.keys(STRIPE_STATUS_MAP).sort()).toEqual([...documented].sort());
    for (const raw of documented) expect(PAYMENT_STATUSES).toContain(mapStripeStatus(raw));
  });

  it('never calls a status Stripe may add later terminal', () => {
    expect(mapStripeStatus('requires_reauthorization')).toBe('processing');
    expect(mapStripeStatus('toString')).toBe('processing');
  });

  it('maps refund statuses, unknown ones to pending', () => {
    expect(mapStripeRefundStatus('succeeded')).toBe('succeeded');
    expect(mapStripeRefundStatus('requires_action')).toBe('pending');
    expect(mapStripeRefundStatus('canceled')).toBe('failed');
    expect(mapStripeRefundStatus(null)).toBe('pending');
  });
});

describe('mapStripeFailure', () => {
  it('prefers the decline code and keeps the raw code', () => {
    expect(
      mapStripeFailure({ code: 'card_declined', decline_code: 'insufficient_funds', message: 'No funds.' }),
    ).toEqual({
      code: 'insufficient_funds',
      message: 'No funds.',
      rawCode: 'insufficient_funds',
    });
    expect(mapStripeFailureCode('expired_card', null)).toBe('expired_card');
    expect(mapStripeFailureCode('payment_intent_authentication_failure')).toBe('authentication_failed');
    expect(mapStripeFailureCode('card_declined', 'stolen_card')).toBe('fraud_suspected');
    expect(mapStripeFailureCode('something_new', 'also_new')).toBe('unknown');
  });
});
