/** The replacement written wherever a secret was removed. */
export const REDACTED = '[REDACTED]';

// Keys whose values are secrets whatever they hold. Matched case-insensitively against the
// key with `-`/`_` removed, so `client_secret`, `Client-Secret` and `clientSecret` all hit.
const SECRET_KEY =
  /^(authorization|proxyauthorization|apikey|xapikey|secret|clientsecret|password|passwd|pass|pwd|token|accesstoken|refreshtoken|idtoken|privatekey|key|passphrase|pfx|cert|cardnumber|pan|cvv|cvc|cvv2|cvc2|securitycode|pin|signature|callbacksignature|xsignature|stripesignature|cookie|setcookie|webhookkey|webhooksecret|sourcetoken|srctoken|tokenid|hpppassword|orderpassword)$/;
const SECRET_KEY_PART = /(secret|password|passphrase|token|apikey|privatekey|authorization)/;

// 13-19 digits, optionally grouped by spaces or dashes: candidate card numbers (PANs).
// Bounded by non-digits rather than \b, so "card4111..." is caught too. Card schemes start with
// 2-9 (ISO 7812); skipping 0 and 1 spares epoch-millisecond timestamps and zero-padded ids,
// which pass the Luhn check one time in ten.
const PAN_CANDIDATE = /(?<!\d)[2-9](?:[ -]?\d){12,18}(?!\d)/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g;
// Secret parameters of a URL query or a form body, the first one included ("password=...&").
const QUERY_SECRET =
  /((?:^|[?&;\s])(?:[\w.-]*(?:password|passwd|secret|token|api[_-]?key|signature|passphrase)[\w.-]*|key|pan|cvv|cvc|card_?number)=)[^&#\s"']*/gi;
// Stripe-style secret and restricted keys, webhook secrets, and JWTs (OAuth access tokens)
// wherever they appear, even outside a field named like a secret.
const KNOWN_SECRET_FORMAT =
  /\b(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]+|whsec_[A-Za-z0-9+/=]+|eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)/g;
const JSON_SECRET =
  /("(?:[A-Za-z_-]*(?:password|secret|token|api[_-]?key|passphrase|private[_-]?key|authorization)[A-Za-z_-]*|pan|cvv|cvc|card_?number|key)"\s*:\s*)("(?:[^"\\]|\\.)*"|\d+)/gi;

// Field names repeat across payloads (`id`, `status`, `amount`...): each is classified once.
// Bounded, so payloads with ever-new keys (metadata) cannot grow it without limit.
const secretKeyCache = new Map<string, boolean>();
const SECRET_KEY_CACHE_LIMIT = 2048;

/** `true` when a field with this name holds a secret (case and `-`/`_` insensitive). */
export function isSecretKey(key: string): boolean {
  let secret = secretKeyCache.get(key);
  if (secret === undefined) {
    const normalized = key.toLowerCase().replace(/[-_\s]/g, '');
    secret = SECRET_KEY.test(normalized) || SECRET_KEY_PART.test(normalized);
    if (secretKeyCache.size >= SECRET_KEY_CACHE_LIMIT) secretKeyCache.clear();
    secretKeyCache.set(key, secret);
  }
  return secret;
}

function luhnValid(digits: string): boolean {
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

/**
 * Removes secrets from free text: bearer/basic credentials, PEM blocks, secret query
 * parameters, JSON fields named like secrets, card numbers (Luhn-valid 13-19 digit runs, masked
 * to their last four digits) and any extra literal values given (e.g. the configured API key).
 */
export function redactString(text: string, extraSecrets: readonly string[] = []): string {
  let result = text;
  for (const secret of extraSecrets) {
    if (secret && secret.length >= 4 && result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  // Most strings of a payload (ids, statuses, dates, amounts) can match none of the patterns:
  // one test spares them six replace passes (redacting a payment's `raw` cost more than
  // parsing it; see docs/benchmarks.md).
  if (!MAY_HOLD_SECRET.test(result)) return result;
  result = result
    .replace(PEM_BLOCK, REDACTED)
    .replace(BEARER, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(QUERY_SECRET, (_match, prefix: string) => `${prefix}${REDACTED}`)
    .replace(JSON_SECRET, (_match, prefix: string) => `${prefix}"${REDACTED}"`)
    .replace(KNOWN_SECRET_FORMAT, REDACTED)
    .replace(PAN_CANDIDATE, (match) => {
      const digits = match.replace(/[ -]/g, '');
      return luhnValid(digits) ? `${REDACTED_PAN_PREFIX}${digits.slice(-4)}` : match;
    });
  return result;
}

const REDACTED_PAN_PREFIX = '****';

// A superset of what the patterns above can match: text without any of these holds no secret
// they would find. PEM_BLOCK needs "-----BEGIN", BEARER "bearer"/"basic" and a space,
// QUERY_SECRET "=", JSON_SECRET a quote, KNOWN_SECRET_FORMAT "sk_", "rk_", "whsec_" or "eyJ",
// PAN_CANDIDATE a digit 2-9 followed by 12 more digits (spaces or dashes between).
const MAY_HOLD_SECRET = /-----BEGIN|(?:bearer|basic)\s|[="]|[sr]k_|whsec_|eyJ|[2-9](?:[ -]?\d){12}/i;

/**
 * Deep-copies `value` with every secret removed: fields named like secrets (see
 * {@link isSecretKey}) are replaced by `[REDACTED]`, strings are passed through
 * {@link redactString}. Used by errors and hooks alike, so nothing reaches a log unredacted.
 * Cycles and depth beyond 20 are cut.
 */
export function redact<T>(value: T, extraSecrets: readonly string[] = []): T {
  return redactValue(value, extraSecrets, 0, new WeakSet()) as T;
}

function redactValue(
  value: unknown,
  extra: readonly string[],
  depth: number,
  seen: WeakSet<object>,
): unknown {
  if (typeof value === 'string') return redactString(value, extra);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 20 || seen.has(value)) return '[Truncated]';
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (value instanceof Date) return new Date(value.getTime());
  // `seen` holds the ancestors only: an object referenced twice (not a cycle) is kept both times.
  seen.add(value);
  try {
    return redactContainer(value, extra, depth, seen);
  } finally {
    seen.delete(value);
  }
}

function redactContainer(
  value: object,
  extra: readonly string[],
  depth: number,
  seen: WeakSet<object>,
): unknown {
  if (Array.isArray(value)) return value.map((item) => redactValue(item, extra, depth + 1, seen));
  if (isHeadersObject(value)) {
    const out: Record<string, string> = {};
    value.forEach((headerValue, name) => {
      out[name] = isSecretKey(name) ? REDACTED : redactString(headerValue, extra);
    });
    return out;
  }
  const out: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    out[key] =
      isSecretKey(key) && item !== null && item !== undefined && item !== ''
        ? REDACTED
        : redactValue(item, extra, depth + 1, seen);
  }
  return out;
}

function isHeadersObject(
  value: object,
): value is { forEach(cb: (value: string, name: string) => void): void } {
  return typeof (value as { forEach?: unknown }).forEach === 'function' && typeof Headers !== 'undefined'
    ? value instanceof Headers
    : false;
}

/**
 * Redacts a URL: secret query parameters, embedded `user:password@` credentials and any extra
 * literal values given (e.g. an API key some gateway expects in the path).
 */
export function redactUrl(url: string, extraSecrets: readonly string[] = []): string {
  return redactString(url.replace(/\/\/[^/@\s]+@/, `//${REDACTED}@`), extraSecrets);
}
