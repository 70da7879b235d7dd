/** What a Stripe test card does, as documented at https://docs.stripe.com/testing. */
export type StripeCardBehaviour =
  | { kind: 'success' }
  /** A decline: `code` is the error code, `decline_code` the issuer's reason. */
  | { kind: 'decline'; code: string; declineCode?: string; message: string }
  /** 3-D Secure on every payment, saved or not (4000002760003184). */
  | { kind: 'authenticate_always' }
  /** 3-D Secure unless the card was set up for off-session use (4000002500003155). */
  | { kind: 'authenticate_unless_set_up' }
  /** Attaching to a customer works, every charge is declined (4000000000000341). */
  | { kind: 'charge_fails_after_attach' };

/** One test card of the sandbox's Stripe hosted page. */
export interface StripeTestCard {
  number: string;
  brand: 'visa' | 'mastercard' | 'amex';
  /** Stripe's test PaymentMethod id for this card (`pm_card_visa`), when it has one. */
  paymentMethod?: string;
  behaviour: StripeCardBehaviour;
  /** What the hosted page's table says about it. */
  outcome: string;
}

const declined = (code: string, message: string, declineCode?: string): StripeCardBehaviour => ({
  kind: 'decline',
  code,
  message,
  ...(declineCode ? { declineCode } : {}),
});

/** Stripe's test cards the sandbox knows (any future expiry date and any CVC work). */
export const STRIPE_TEST_CARDS: readonly StripeTestCard[] = Object.freeze([
  {
    number: '4242424242424242',
    brand: 'visa',
    paymentMethod: 'pm_card_visa',
    behaviour: { kind: 'success' },
    outcome: 'Succeeds',
  },
  {
    number: '5555555555554444',
    brand: 'mastercard',
    paymentMethod: 'pm_card_mastercard',
    behaviour: { kind: 'success' },
    outcome: 'Succeeds (Mastercard)',
  },
  {
    number: '4000000000000002',
    brand: 'visa',
    paymentMethod: 'pm_card_chargeDeclined',
    behaviour: declined('card_declined', 'Your card was declined.', 'generic_decline'),
    outcome: 'Declined (generic_decline)',
  },
  {
    number: '4000000000009995',
    brand: 'visa',
    paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds',
    behaviour: declined('card_declined', 'Your card has insufficient funds.', 'insufficient_funds'),
    outcome: 'Declined (insufficient_funds)',
  },
  {
    number: '4000000000009987',
    brand: 'visa',
    paymentMethod: 'pm_card_chargeDeclinedLostCard',
    behaviour: declined('card_declined', 'Your card was declined.', 'lost_card'),
    outcome: 'Declined (lost_card)',
  },
  {
    number: '4000000000000069',
    brand: 'visa',
    paymentMethod: 'pm_card_chargeDeclinedExpiredCard',
    behaviour: declined('expired_card', 'Your card has expired.', 'expired_card'),
    outcome: 'Declined (expired_card)',
  },
  {
    number: '4000000000000127',
    brand: 'visa',
    paymentMethod: 'pm_card_chargeDeclinedIncorrectCvc',
    behaviour: declined('incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc'),
    outcome: 'Declined (incorrect_cvc)',
  },
  {
    number: '4000000000000119',
    brand: 'visa',
    paymentMethod: 'pm_card_chargeDeclinedProcessingError',
    behaviour: declined(
      'processing_error',
      'An error occurred while processing your card. Try again in a little bit.',
      'processing_error',
    ),
    outcome: 'Declined (processing_error)',
  },
  {
    number: '4000002500003155',
    brand: 'visa',
    paymentMethod: 'pm_card_authenticationRequiredOnSetup',
    behaviour: { kind: 'authenticate_unless_set_up' },
    outcome: '3-D Secure, then succeeds; saved for off-session it needs no more',
  },
  {
    number: '4000002760003184',
    brand: 'visa',
    paymentMethod: 'pm_card_authenticationRequired',
    behaviour: { kind: 'authenticate_always' },
    outcome: '3-D Secure on every payment (off-session: authentication_required)',
  },
  {
    number: '4000000000000341',
    brand: 'visa',
    paymentMethod: 'pm_card_chargeCustomerFail',
    behaviour: { kind: 'charge_fails_after_attach' },
    outcome: 'Saves fine, every charge declined',
  },
]);

/** Finds a test card by number; unknown numbers that pass Luhn succeed (as in Stripe test mode). */
export function findTestCard(number: string): StripeTestCard | undefined {
  return STRIPE_TEST_CARDS.find((card) => card.number === number);
}

/** Finds a test card by Stripe's test PaymentMethod id (`pm_card_visa`). */
export function findTestPaymentMethod(id: string): StripeTestCard | undefined {
  return STRIPE_TEST_CARDS.find((card) => card.paymentMethod === id);
}

/** Luhn check: Stripe refuses numbers that fail it with `incorrect_number`. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The brand Stripe would report for a number. */
export function brandOf(number: string): 'visa' | 'mastercard' | 'amex' {
  if (/^3[47]/.test(number)) return 'amex';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  return 'visa';
}
