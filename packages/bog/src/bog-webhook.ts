import {
  bodyText,
  getHeader,
  type HeadersLike,
  ResponseValidationError,
  requireRawBody,
  SignatureVerificationError,
  verifyRsaSha256,
} from '@colchis/core';
import { bogCallbackEnvelopeSchema, bogReceiptSchema } from './bog-api.js';
import type { BogCallback } from './bog-client-types.js';
import { parseBogDate, toBogPaymentDetails } from './bog-payment-details.js';

/** The header carrying the callback signature (base64 SHA256withRSA over the raw body). */
export const BOG_SIGNATURE_HEADER = 'Callback-Signature';

const HEX = /^[0-9a-f]+$/i;

/**
 * Normalizes a `Callback-Signature` value as proxies and frameworks hand it over: surrounding and
 * folded whitespace removed, URL-encoding undone, a `+` turned into a space by form decoding put
 * back, and a hex-encoded signature converted to base64. Standard base64 passes unchanged.
 */
export function normalizeBogSignature(signature: string): string {
  let text = signature.trim().replace(/[\r\n\t]/g, '');
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      // Not URL-encoded after all: verify what was sent.
    }
  }
  text = text.replace(/ /g, '+');
  if (HEX.test(text) && text.length % 2 === 0 && text.length >= 256) {
    let binary = '';
    for (let index = 0; index < text.length; index += 2) {
      binary += String.fromCharCode(Number.parseInt(text.slice(index, index + 2), 16));
    }
    text = btoa(binary);
  }
  return text;
}

/** Input of {@link verifyBogCallback}. */
export interface VerifyBogCallbackInput {
  /** The request body exactly as received: a string or bytes, never parsed JSON. */
  rawBody: string | Uint8Array;
  /** The `Callback-Signature` header value; or pass `headers`. */
  signature?: string | undefined;
  /** The request headers, to read `Callback-Signature` from (any letter case, any headers shape). */
  headers?: HeadersLike | undefined;
  /** The public key (PEM) to verify with. */
  publicKey: string;
}

/**
 * Verifies a Bank of Georgia callback on its raw bytes, before anything is parsed (the docs insist:
 * re-serialized JSON changes the bytes and fails), then unwraps the `body` envelope into the
 * payment details.
 * @throws SignatureVerificationError when the body is not raw, the header is missing, or the
 * signature does not match. Respond 400 and do not act on the payload.
 */
export async function verifyBogCallback(input: VerifyBogCallbackInput): Promise<BogCallback> {
  const bytes = requireRawBody(input.rawBody, 'Bank of Georgia');
  const signature = input.signature ?? getHeader(input.headers, BOG_SIGNATURE_HEADER);
  if (signature === undefined || signature.trim() === '') {
    throw new SignatureVerificationError(
      `The ${BOG_SIGNATURE_HEADER} header is missing. Bank of Georgia signs every callback with it; a request without it did not come from BOG (or a proxy dropped the header). To be certain of an order's state without a signature, read it with getPaymentDetails / getPayment.`,
      { provider: 'bog' },
    );
  }
  const valid = await verifyRsaSha256(bytes, input.publicKey, normalizeBogSignature(signature));
  if (!valid) {
    throw new SignatureVerificationError(
      `The ${BOG_SIGNATURE_HEADER} does not match the body. Pass the raw body exactly as received (express.raw, await request.text()), not JSON.stringify of parsed JSON, and check the environment: production and sandbox callbacks are signed with different keys.`,
      { provider: 'bog' },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(bodyText(input.rawBody));
  } catch (error) {
    throw new ResponseValidationError('The Bank of Georgia callback is signed but is not JSON.', {
      provider: 'bog',
      cause: error,
    });
  }
  const envelope = bogCallbackEnvelopeSchema.safeParse(data);
  if (envelope.success) {
    const raw = data as { body: unknown };
    return {
      event:
        envelope.data.event === undefined || envelope.data.event === null
          ? undefined
          : String(envelope.data.event),
      requestTime: parseBogDate(envelope.data.zoned_request_time),
      paymentDetails: toBogPaymentDetails(envelope.data.body, raw.body),
      raw: data,
    };
  }
  // Tolerated: the payment details without the envelope (the signature already proved the origin).
  const bare = bogReceiptSchema.safeParse(data);
  if (bare.success) {
    return {
      event: undefined,
      requestTime: undefined,
      paymentDetails: toBogPaymentDetails(bare.data, data),
      raw: data,
    };
  }
  throw new ResponseValidationError(
    'The Bank of Georgia callback is signed but has no payment details (expected { event, zoned_request_time, body: { order_id, order_status, ... } }).',
    { provider: 'bog', rawBody: data },
  );
}
