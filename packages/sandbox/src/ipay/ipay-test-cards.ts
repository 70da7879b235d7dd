import { normalizeCardNumber } from '../test-cards.js';

/** What an iPay sandbox test card does. */
export type IpayCardOutcome =
  /** The payment succeeds, and so does everything after it (refunds, recurring charges). */
  | 'success'
  /** Declined: insufficient funds. */
  | 'insufficient_funds'
  /** Declined by the issuer. */
  | 'declined'
  /** The first payment succeeds; later operations on the card (refunds, recurring charges) are rejected. */
  | 'success_then_reject';

/** One sandbox test card. */
export interface IpayTestCard {
  number: string;
  outcome: IpayCardOutcome;
  /** iPay's `card_type`. */
  cardType: 'VISA' | 'MC' | 'AMEX';
  /** What the hosted page's table says about it. */
  label: string;
}

/**
 * The iPay sandbox's test cards. The first three follow the numbers Bank of Georgia's sandbox is
 * reported to use (0001 succeeds, 0002 lacks funds, 0003 succeeds once then rejects later
 * operations). Any other number is declined, like a real bank would. Any future expiry and any
 * CVC work.
 */
export const IPAY_TEST_CARDS: readonly IpayTestCard[] = Object.freeze([
  { number: '4000000000000001', outcome: 'success', cardType: 'VISA', label: 'Success' },
  {
    number: '4000000000000002',
    outcome: 'insufficient_funds',
    cardType: 'VISA',
    label: 'Declined: insufficient funds',
  },
  {
    number: '4000000000000003',
    outcome: 'success_then_reject',
    cardType: 'VISA',
    label: 'Success, then later operations (refund, recurring) rejected',
  },
  { number: '4000000000000004', outcome: 'declined', cardType: 'VISA', label: 'Declined by the issuer' },
  { number: '5555555555554444', outcome: 'success', cardType: 'MC', label: 'Success (Mastercard)' },
  { number: '378282246310005', outcome: 'success', cardType: 'AMEX', label: 'Success (American Express)' },
]);

/** The test card with this number (spaces and dashes ignored), or `undefined` (declined). */
export function findIpayTestCard(number: string | null | undefined): IpayTestCard | undefined {
  const digits = normalizeCardNumber(number);
  return IPAY_TEST_CARDS.find((card) => card.number === digits);
}

/** iPay's masked PAN: the first six and last four digits, the rest `*`. */
export function maskIpayPan(number: string): string {
  const digits = normalizeCardNumber(number);
  return `${digits.slice(0, 6)}${'*'.repeat(Math.max(0, digits.length - 10))}${digits.slice(-4)}`;
}
