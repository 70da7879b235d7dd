import { type CardOutcome, normalizeCardNumber } from '../test-cards.js';

/** A ProCredit sandbox test card. */
export interface ProCreditSandboxCard {
  number: string;
  brand: 'Visa' | 'Mastercard';
  /** What happens on the hosted page. */
  outcome: CardOutcome;
  /** What happens when the card, once saved, is charged by the merchant (no customer present). */
  merchantInitiated: 'success' | 'insufficient_funds';
  description: string;
}

/** The test cards of the ProCredit hosted page. Any other number is declined as an invalid card. */
export const PROCREDIT_SANDBOX_CARDS: readonly ProCreditSandboxCard[] = Object.freeze([
  {
    number: '4111111111111111',
    brand: 'Visa',
    outcome: 'success',
    merchantInitiated: 'success',
    description: 'Approved',
  },
  {
    number: '5555555555554444',
    brand: 'Mastercard',
    outcome: 'success',
    merchantInitiated: 'success',
    description: 'Approved',
  },
  {
    number: '4000000000000341',
    brand: 'Visa',
    outcome: 'success',
    merchantInitiated: 'insufficient_funds',
    description: 'Approved; later merchant-initiated charges decline (insufficient funds)',
  },
  {
    number: '4000000000003220',
    brand: 'Visa',
    outcome: 'three_d_secure',
    merchantInitiated: 'success',
    description: '3-D Secure challenge (password "colchis" approves)',
  },
  {
    number: '4000000000000002',
    brand: 'Visa',
    outcome: 'declined',
    merchantInitiated: 'success',
    description: 'Declined',
  },
  {
    number: '4000000000009995',
    brand: 'Visa',
    outcome: 'insufficient_funds',
    merchantInitiated: 'insufficient_funds',
    description: 'Insufficient funds (PMO 59)',
  },
  {
    number: '4000000000000069',
    brand: 'Visa',
    outcome: 'expired_card',
    merchantInitiated: 'success',
    description: 'Expired card (PMO 51)',
  },
  {
    number: '4000000000000127',
    brand: 'Visa',
    outcome: 'incorrect_cvc',
    merchantInitiated: 'success',
    description: 'Bad CVV2 (PMO 81)',
  },
  {
    number: '4000000000000119',
    brand: 'Visa',
    outcome: 'processing_error',
    merchantInitiated: 'success',
    description: 'Rejected (PMO 54, system error)',
  },
]);

/** The password that passes the sandbox 3-D Secure challenge. */
export const PROCREDIT_SANDBOX_CHALLENGE_PASSWORD = 'colchis';

/** Looks a test card up by number (spaces and dashes ignored). */
export function procreditSandboxCard(value: string | null | undefined): ProCreditSandboxCard | undefined {
  const number = normalizeCardNumber(value);
  return PROCREDIT_SANDBOX_CARDS.find((card) => card.number === number);
}

/** PMO result code and order status for a declining outcome, as the bank reports them. */
export function declineFor(outcome: CardOutcome | 'invalid_card' | 'authentication_failed'): {
  status: 'Declined' | 'Rejected';
  pmoResultCode: string;
  description: string;
} {
  switch (outcome) {
    case 'insufficient_funds':
      return { status: 'Declined', pmoResultCode: '59', description: 'Insufficient funds' };
    case 'expired_card':
      return { status: 'Declined', pmoResultCode: '51', description: 'Expired card' };
    case 'incorrect_cvc':
      return { status: 'Declined', pmoResultCode: '81', description: 'Bad CVV2' };
    case 'processing_error':
      return { status: 'Rejected', pmoResultCode: '54', description: 'System error' };
    case 'invalid_card':
      return { status: 'Declined', pmoResultCode: '52', description: 'Invalid card' };
    case 'authentication_failed':
      return { status: 'Declined', pmoResultCode: '84', description: '3-D Secure authentication failed' };
    case 'do_not_honor':
      return { status: 'Declined', pmoResultCode: '71', description: 'Contact card issuer' };
    default:
      return { status: 'Declined', pmoResultCode: '68', description: 'External decline' };
  }
}
