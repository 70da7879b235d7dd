import { type CardOutcome, normalizeCardNumber } from '../test-cards.js';

/** What a Bank of Georgia sandbox test card does. */
export interface BogSandboxCard {
  number: string;
  /** What the hosted page table shows. */
  outcome: string;
  /** The outcome of the first payment. */
  result: CardOutcome;
  /** `payment_detail.code` of a declined payment. */
  code?: string;
  /** Later operations with the card (refunds, approvals, automatic charges) are rejected. */
  rejectsLaterOperations?: boolean;
}

/**
 * The sandbox's test cards. The first three behave as Bank of Georgia's own sandbox cards are
 * reported to: `...0001` succeeds for everything, `...0002` is declined for insufficient funds,
 * `...0003` pays once and then rejects later operations. The rest are Colchis additions. Any
 * other number is declined as an invalid card (103); expiry and CVC are not checked.
 */
export const BOG_SANDBOX_TEST_CARDS: readonly BogSandboxCard[] = Object.freeze([
  { number: '4000000000000001', outcome: 'Success (every operation)', result: 'success' },
  {
    number: '4000000000000002',
    outcome: 'Declined: insufficient funds (107)',
    result: 'insufficient_funds',
    code: '107',
  },
  {
    number: '4000000000000003',
    outcome: 'First payment succeeds; refunds, approvals and automatic charges are rejected',
    result: 'success',
    rejectsLaterOperations: true,
  },
  {
    number: '4000000000000004',
    outcome: '3-D Secure challenge (password 1234 passes, anything else: 108)',
    result: 'three_d_secure',
  },
  {
    number: '4000000000000005',
    outcome: 'Declined: card expired (105)',
    result: 'expired_card',
    code: '105',
  },
  {
    number: '4000000000000006',
    outcome: 'Declined: technical issue (109)',
    result: 'processing_error',
    code: '109',
  },
]);

/** The test card for a number typed on the hosted page; unknown numbers decline as invalid (103). */
export function bogSandboxCard(number: string | null | undefined): BogSandboxCard {
  const digits = normalizeCardNumber(number);
  return (
    BOG_SANDBOX_TEST_CARDS.find((card) => card.number === digits) ?? {
      number: digits,
      outcome: 'Declined: invalid card (103)',
      result: 'declined',
      code: '103',
    }
  );
}

/** The documented text of the codes the sandbox produces. */
export const BOG_SANDBOX_CODE_TEXT: Readonly<Record<string, string>> = Object.freeze({
  '100': 'Successful payment',
  '103': 'Declined: invalid card',
  '105': 'Declined: card expired',
  '107': 'Declined: insufficient funds',
  '108': 'Authentication declined',
  '109': 'Technical issue',
  '110': 'Transaction expired',
  '112': 'General error',
  '122': 'Declined by acquirer bank',
  '161': 'Refund could not be completed; contact issuing bank',
  '200': 'Successful preauthorization',
});
