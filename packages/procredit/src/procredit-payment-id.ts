import { InvalidRequestError, type Money, normalizeCurrency } from '@colchis/core';

/** What a ProCredit payment id carries. */
export interface ProCreditPaymentReference {
  /** The bank's order id. */
  orderId: string;
  /** The order password: a secret that opens the order. */
  password: string;
  /** The amount that was requested, checked against what the bank reports. */
  expected?: Money | undefined;
}

const PREFIX = 'pc1';

/**
 * Encodes the order id, its password and the requested amount into the opaque payment id the
 * provider returns: `pc1.<orderId>.<password, base64url>[.<minor units><currency>]`.
 *
 * **The id is a secret**: it contains the order password, so store it like one (server side,
 * not in URLs, logs or analytics). Colchis redacts it from errors and hook payloads.
 */
export function encodeProCreditPaymentId(reference: ProCreditPaymentReference): string {
  const orderId = String(reference.orderId);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(orderId)) {
    throw new InvalidRequestError('A ProCredit order id is 1-64 letters, digits, "-" or "_".', {
      provider: 'procredit',
    });
  }
  if (!reference.password) {
    throw new InvalidRequestError('A ProCredit payment id needs the order password.', {
      provider: 'procredit',
    });
  }
  const parts = [PREFIX, orderId, toBase64Url(reference.password)];
  if (reference.expected) {
    const { amount, currency } = reference.expected;
    if (Number.isSafeInteger(amount) && amount >= 0) parts.push(`${amount}${normalizeCurrency(currency)}`);
  }
  return parts.join('.');
}

/**
 * Reads a payment id made by {@link encodeProCreditPaymentId}.
 * @throws InvalidRequestError that never repeats the id (it holds a secret).
 */
export function decodeProCreditPaymentId(id: string): ProCreditPaymentReference {
  const parts = typeof id === 'string' ? id.split('.') : [];
  const [prefix, orderId, password, expected] = parts;
  if (
    prefix !== PREFIX ||
    !orderId ||
    !/^[A-Za-z0-9_-]{1,64}$/.test(orderId) ||
    !password ||
    !/^[A-Za-z0-9_-]+$/.test(password) ||
    parts.length > 4
  ) {
    throw new InvalidRequestError(
      'This is not a ProCredit payment id. Pass the `id` of the Payment that createPayment (or chargeSavedMethod) returned, unchanged; to build one from an order id and password use encodeProCreditPaymentId().',
      { provider: 'procredit' },
    );
  }
  let decodedPassword: string;
  try {
    decodedPassword = fromBase64Url(password);
  } catch {
    throw new InvalidRequestError(
      'This ProCredit payment id is damaged (its password part does not decode).',
      {
        provider: 'procredit',
      },
    );
  }
  const reference: ProCreditPaymentReference = { orderId, password: decodedPassword };
  if (expected !== undefined) {
    const match = /^(\d{1,15})([A-Z]{3})$/.exec(expected);
    if (!match) {
      throw new InvalidRequestError('This ProCredit payment id is damaged (its amount part is unreadable).', {
        provider: 'procredit',
      });
    }
    reference.expected = { amount: Number(match[1]), currency: match[2] as string };
  }
  return reference;
}

/** `true` when `id` has the shape of a ProCredit payment id. */
export function isProCreditPaymentId(id: unknown): id is string {
  return typeof id === 'string' && id.startsWith(`${PREFIX}.`);
}

function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
