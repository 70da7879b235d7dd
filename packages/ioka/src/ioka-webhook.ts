import {
  ConfigurationError,
  getHeader,
  type HeadersLike,
  requireRawBody,
  SignatureVerificationError,
  verifyHmacSha256,
} from '@colchis/core';
import { type IokaJsonNode, parseIokaJson, serializeIokaJson, toPlainJson } from './ioka-canonical-json.js';

/** The header carrying ioka's webhook signature (OpenAPI 2.8 `SendWebhook`: `x-signature`). */
export const IOKA_SIGNATURE_HEADER = 'X-Signature';

/** One way ioka may have serialized the body it signed. */
export interface IokaSignatureCandidate {
  /** `python-utf8` (verified against a real delivery), `compact-utf8`, `compact-ascii`, `raw`. */
  name: 'python-utf8' | 'compact-utf8' | 'compact-ascii' | 'raw';
  data: string | Uint8Array;
}

/**
 * The messages ioka's `X-Signature` may cover, most likely first. ioka signs a canonical
 * re-serialization of the body, not the bytes it sends: keys sorted recursively, numbers as
 * written, non-ASCII as raw UTF-8, and Python's `", "` / `": "` separators. That form was checked
 * against a real 2021 delivery; newer docs describe the same with spaces removed, so the compact
 * forms are accepted too, and finally the raw body (see `gateways/procredit-and-ioka.md` B.7.4).
 */
export function iokaSignatureCandidates(rawBody: Uint8Array, parsed: IokaJsonNode): IokaSignatureCandidate[] {
  return [...signatureCandidates(rawBody, parsed)];
}

/**
 * {@link iokaSignatureCandidates} one at a time: a delivery that matches the first form (all
 * real ones so far) is serialized once, not three times.
 */
function* signatureCandidates(rawBody: Uint8Array, parsed: IokaJsonNode): Generator<IokaSignatureCandidate> {
  yield { name: 'python-utf8', data: serializeIokaJson(parsed, { separators: 'python', ascii: false }) };
  yield { name: 'compact-utf8', data: serializeIokaJson(parsed, { separators: 'compact', ascii: false }) };
  yield { name: 'compact-ascii', data: serializeIokaJson(parsed, { separators: 'compact', ascii: true }) };
  yield { name: 'raw', data: rawBody };
}

/** Input of {@link verifyIokaWebhook}. */
export interface VerifyIokaWebhookInput {
  /** The body exactly as received: a string or the bytes. Not a parsed object. */
  rawBody: string | Uint8Array;
  /** The request headers (the signature is read from `X-Signature`). */
  headers?: HeadersLike | undefined;
  /** The signature itself, if you read the header yourself. Wins over `headers`. */
  signature?: string | undefined;
  /**
   * The webhook's `key` (returned by `POST /v2/webhooks`; not the API key). Several keys are
   * accepted, for several registered webhooks or while rotating one.
   */
  key: string | readonly string[];
}

/** A verified webhook: the parsed body and which candidate form the signature matched. */
export interface VerifiedIokaWebhook {
  /** The body as plain JSON values. */
  payload: unknown;
  /** The parsed body with number lexemes kept. */
  tree: IokaJsonNode;
  matched: IokaSignatureCandidate['name'];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Verifies an ioka webhook's `X-Signature` (hex HMAC-SHA256 keyed with the webhook's `key`) over
 * each candidate form of the body, comparing in constant time. It fails closed: no key, no
 * header, a body that is not UTF-8 JSON, or no match all throw.
 * @throws ConfigurationError when no key is configured.
 * @throws SignatureVerificationError when the body cannot be verified.
 */
export async function verifyIokaWebhook(input: VerifyIokaWebhookInput): Promise<VerifiedIokaWebhook> {
  const keys = normalizeKeys(input.key);
  const bytes = requireRawBody(input.rawBody, 'ioka');
  const header = input.signature ?? getHeader(input.headers, IOKA_SIGNATURE_HEADER);
  if (header === undefined || header.trim() === '') {
    throw new SignatureVerificationError(
      `ioka webhook has no ${IOKA_SIGNATURE_HEADER} header. Only ioka's deliveries carry it: reject the request (respond 400).`,
      { provider: 'ioka' },
    );
  }
  const signature = header.trim().replace(/^sha256=/i, '');
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) {
    throw new SignatureVerificationError(
      `ioka ${IOKA_SIGNATURE_HEADER} is not a hex HMAC-SHA256 (64 hex characters).`,
      { provider: 'ioka' },
    );
  }
  let text: string;
  let tree: IokaJsonNode;
  try {
    text = utf8.decode(bytes);
    tree = parseIokaJson(text);
  } catch (error) {
    throw new SignatureVerificationError(
      `ioka webhook body is not UTF-8 JSON (${(error as Error).message}): pass the raw body exactly as received.`,
      { provider: 'ioka', cause: error },
    );
  }
  for (const candidate of signatureCandidates(bytes, tree)) {
    for (const key of keys) {
      if (await verifyHmacSha256(candidate.data, key, signature, 'hex')) {
        return { payload: plainPayload(text, tree), tree, matched: candidate.name };
      }
    }
  }
  throw new SignatureVerificationError(
    `ioka ${IOKA_SIGNATURE_HEADER} does not match the body under the configured webhook key${keys.length > 1 ? 's' : ''}. ` +
      'The key is the `key` returned when the webhook was registered (POST /v2/webhooks; client.webhooks.list() shows it), ' +
      'not the API key; each registered webhook has its own. Also pass the raw body, not re-serialized JSON.',
    { provider: 'ioka' },
  );
}

/**
 * The body as plain values: `JSON.parse` (native, several times faster than walking the tree)
 * gives exactly what {@link toPlainJson} gives for any body both accept (same numbers, last
 * duplicate wins in the first position, `__proto__` as an own key); the bodies only the tolerant
 * parser reads (a byte-order mark, Python's `NaN` / `Infinity`) go through the tree.
 */
function plainPayload(text: string, tree: IokaJsonNode): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return toPlainJson(tree);
  }
}

function normalizeKeys(key: string | readonly string[] | undefined): string[] {
  const list = (typeof key === 'string' ? [key] : Array.isArray(key) ? key : [])
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (list.length === 0) {
    throw new ConfigurationError(
      'ioka webhook key is missing, so no webhook can be trusted. Pass `webhookKey` (the `key` returned by client.webhooks.create) or set IOKA_WEBHOOK_KEY.',
      { provider: 'ioka' },
    );
  }
  return list;
}
