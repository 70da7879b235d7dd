import { describe, expect, it } from 'vitest';
import {
  canTransition,
  isPaid,
  isPaymentStatus,
  isTerminal,
  PAYMENT_STATUS_TRANSITIONS,
  PAYMENT_STATUSES,
  type PaymentStatus,
} from './payment-status.js';

describe('PaymentStatus', () => {
  it('has exactly the nine names of the spec, in lifecycle order', () => {
    expect(PAYMENT_STATUSES).toEqual([
      'requires_action',
      'processing',
      'authorized',
      'captured',
      'partially_refunded',
      'refunded',
      'failed',
      'canceled',
      'expired',
    ]);
    expect(Object.isFrozen(PAYMENT_STATUSES)).toBe(true);
    expect(Object.keys(PAYMENT_STATUS_TRANSITIONS).sort()).toEqual([...PAYMENT_STATUSES].sort());
  });

  it('isPaymentStatus accepts the nine names and nothing else', () => {
    for (const status of PAYMENT_STATUSES) expect(isPaymentStatus(status)).toBe(true);
    for (const other of ['paid', 'CAPTURED', 'cancelled', '', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(isPaymentStatus(other), other).toBe(false);
    }
    for (const other of [undefined, null, 3, {}, ['captured']]) expect(isPaymentStatus(other)).toBe(false);
  });

  it('isTerminal: settled outcomes only', () => {
    const terminal = PAYMENT_STATUSES.filter(isTerminal);
    expect(terminal).toEqual(['captured', 'partially_refunded', 'refunded', 'failed', 'canceled', 'expired']);
  });

  it('isPaid: money was taken (authorized is only a hold)', () => {
    expect(PAYMENT_STATUSES.filter(isPaid)).toEqual(['captured', 'partially_refunded', 'refunded']);
  });
});

describe('canTransition', () => {
  const all = PAYMENT_STATUSES;

  it('allows the same status (duplicate delivery)', () => {
    for (const status of all) expect(canTransition(status, status)).toBe(true);
  });

  it('agrees with the exposed table for every pair', () => {
    for (const from of all) {
      for (const to of all) {
        if (from === to) continue;
        expect(canTransition(from, to), `${from} -> ${to}`).toBe(
          PAYMENT_STATUS_TRANSITIONS[from].includes(to),
        );
      }
    }
  });

  it('never lets a stale webhook move a paid payment backwards', () => {
    const before: PaymentStatus[] = ['requires_action', 'processing', 'authorized'];
    for (const paid of ['captured', 'partially_refunded', 'refunded'] as const) {
      for (const earlier of before) expect(canTransition(paid, earlier), `${paid} -> ${earlier}`).toBe(false);
      expect(canTransition(paid, 'failed')).toBe(false);
      expect(canTransition(paid, 'canceled')).toBe(false);
      expect(canTransition(paid, 'expired')).toBe(false);
    }
    expect(canTransition('refunded', 'partially_refunded')).toBe(false);
    expect(canTransition('refunded', 'captured')).toBe(false);
    expect(canTransition('partially_refunded', 'captured')).toBe(false);
  });

  it('moves forward through the normal lifecycles', () => {
    const paths: PaymentStatus[][] = [
      ['requires_action', 'processing', 'captured', 'partially_refunded', 'refunded'],
      ['requires_action', 'authorized', 'captured', 'refunded'],
      ['processing', 'requires_action', 'authorized', 'canceled'],
      ['requires_action', 'failed'],
      ['requires_action', 'expired'],
      ['authorized', 'expired'],
    ];
    for (const path of paths) {
      for (let index = 1; index < path.length; index++) {
        const from = path[index - 1] as PaymentStatus;
        const to = path[index] as PaymentStatus;
        expect(canTransition(from, to), `${from} -> ${to}`).toBe(true);
      }
    }
  });

  it('keeps final outcomes final (only refunds follow a capture)', () => {
    for (const final of ['failed', 'canceled', 'expired', 'refunded'] as const) {
      for (const to of all)
        if (to !== final) expect(canTransition(final, to), `${final} -> ${to}`).toBe(false);
    }
  });

  it('accepts a later status even when the webhook in between was lost (reachability)', () => {
    // A dropped `captured` delivery must not make the handler refuse the `refunded` one.
    expect(canTransition('requires_action', 'refunded')).toBe(true);
    expect(canTransition('processing', 'partially_refunded')).toBe(true);
    // The table is closed under composition: whatever is reachable in two steps is allowed directly.
    for (const a of all) {
      for (const b of all) {
        if (!canTransition(a, b)) continue;
        for (const c of all) {
          if (canTransition(b, c)) expect(canTransition(a, c), `${a} -> ${b} -> ${c}`).toBe(true);
        }
      }
    }
  });

  it('never moves a terminal status back to a non-terminal one', () => {
    for (const from of all.filter(isTerminal)) {
      for (const to of all.filter((status) => !isTerminal(status))) {
        expect(canTransition(from, to), `${from} -> ${to}`).toBe(false);
      }
    }
  });
});
