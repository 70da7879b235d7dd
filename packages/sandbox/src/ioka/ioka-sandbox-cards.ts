/** How a test card behaves on the ioka sandbox. */
export interface IokaTestCard {
  number: string;
  brand: 'VISA' | 'MASTERCARD';
  /** What paying with it does. */
  outcome: 'success' | 'three_d_secure' | 'declined' | 'insufficient_funds';
  /** What the table on the checkout page says. */
  description: string;
  /** The decline `payment.error` for declining cards. */
  error?: { code: string; message: string } | undefined;
  /**
   * For a card that pays (and is saved) with the customer present but declines later charges
   * made without them: the `payment.error` of a charge of the saved card by `card_id` through the
   * API, or by an ioka subscription. Paying with the saved card on the checkout page (the
   * customer types the CVC) still succeeds.
   */
  merchantInitiatedError?: { code: string; message: string } | undefined;
}

/** The ACS password of the 3-D Secure test card (ioka's docs: `12345678`). */
export const IOKA_ACS_PASSWORD = '12345678';

/**
 * ioka's documented test cards (OpenAPI 2.8 "test-cards": CVC 123, any future expiry), and one
 * Colchis addition, `4000000000000341`, for testing failed renewals: it pays once and then
 * declines charges made without the customer, like the BOG and ProCredit sandboxes' cards for
 * that. ioka does not publish decline codes; the codes here are the sandbox's own.
 */
export const IOKA_TEST_CARDS: readonly IokaTestCard[] = Object.freeze([
  {
    number: '4111111111111111',
    brand: 'VISA',
    outcome: 'three_d_secure',
    description: `Visa with 3-D Secure: succeeds after the ACS password ${IOKA_ACS_PASSWORD}`,
  },
  {
    number: '5555555555555599',
    brand: 'MASTERCARD',
    outcome: 'success',
    description: 'Mastercard: succeeds',
  },
  {
    number: '4444444444446666',
    brand: 'VISA',
    outcome: 'declined',
    description: 'Visa: declined (limit exceeded)',
    error: { code: 'LimitExceeded', message: 'Limit exceeded' },
  },
  {
    number: '4444444411111111',
    brand: 'VISA',
    outcome: 'insufficient_funds',
    description: 'Visa: declined (insufficient funds)',
    error: { code: 'InsufficientFunds', message: 'Insufficient funds' },
  },
  {
    number: '4000000000000341',
    brand: 'VISA',
    outcome: 'success',
    description:
      'Visa (Colchis addition): succeeds and can be saved; later charges without the customer decline (insufficient funds)',
    merchantInitiatedError: { code: 'InsufficientFunds', message: 'Insufficient funds' },
  },
]);

/** The behaviour of a card number; unknown numbers decline, like a real bank. */
export function iokaTestCard(pan: string): IokaTestCard {
  return (
    IOKA_TEST_CARDS.find((card) => card.number === pan) ?? {
      number: pan,
      brand: pan.startsWith('5') ? 'MASTERCARD' : 'VISA',
      outcome: 'declined',
      description: 'Unknown card: declined',
      error: { code: 'Declined', message: 'Declined by the issuer (not a sandbox test card)' },
    }
  );
}

/** `555555******5599`, as ioka masks card numbers. */
export function maskPan(pan: string): string {
  return `${pan.slice(0, 6)}${'*'.repeat(Math.max(0, pan.length - 10))}${pan.slice(-4)}`;
}
