import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSecretKey, REDACTED, redact, redactString, redactUrl } from './redact.js';

// Luhn-valid test numbers of the major schemes.
const PANS = [
  '4111111111111111', // Visa
  '4242424242424242', // Visa (Stripe)
  '5555555555554444', // Mastercard
  '2223003122003222', // Mastercard 2-series
  '378282246310005', // Amex (15)
  '6200000000000005', // UnionPay
  '2200000000000004', // Mir-like prefix
  '4222222222222', // Visa (13)
  '6011000990139424', // Discover
];

describe('isSecretKey', () => {
  it('recognizes secret field names in any case and separator style', () => {
    for (const key of [
      'Authorization',
      'authorization',
      'Proxy-Authorization',
      'x-api-key',
      'X-API-KEY',
      'apiKey',
      'api_key',
      'client_secret',
      'clientSecret',
      'Client-Secret',
      'password',
      'orderPassword',
      'hpp_password',
      'access_token',
      'refreshToken',
      'id_token',
      'token',
      'private_key',
      'privateKey',
      'passphrase',
      'pfx',
      'pan',
      'cardNumber',
      'card_number',
      'cvv',
      'CVC2',
      'Cookie',
      'set-cookie',
      'Callback-Signature',
      'X-Signature',
      'webhookSecret',
      'key',
    ]) {
      expect(isSecretKey(key), key).toBe(true);
    }
  });

  it('leaves ordinary field names alone', () => {
    for (const key of [
      'id',
      'order_id',
      'reference',
      'amount',
      'currency',
      'status',
      'idempotencyKey',
      'Idempotency-Key',
      'publicKey',
      'content-type',
      'user-agent',
      'description',
      'redirect_url',
      'masked_pan_hint',
    ]) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });
});

describe('redactString', () => {
  it('removes bearer and basic credentials', () => {
    expect(redactString('Authorization: Bearer eyJhbGciOi.abc-def_ghi')).toBe(
      `Authorization: Bearer ${REDACTED}`,
    );
    expect(redactString('basic dXNlcjpwYXNz and more')).toBe(`basic ${REDACTED} and more`);
  });

  it('removes PEM blocks (private keys)', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trim();
    const text = `key: ${pem} end`;
    const result = redactString(text);
    expect(result).toBe(`key: ${REDACTED} end`);
    expect(result).not.toContain('PRIVATE KEY');
    const rsa = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString().trim();
    expect(redactString(rsa)).toBe(REDACTED);
  });

  it('masks card numbers to the last four digits when they pass Luhn', () => {
    for (const pan of PANS) {
      expect(redactString(`card ${pan} declined`), pan).toBe(`card ****${pan.slice(-4)} declined`);
    }
    expect(redactString('4111 1111 1111 1111')).toBe('****1111');
    expect(redactString('4111-1111-1111-1111')).toBe('****1111');
    expect(redactString('"pan":"5555555555554444"')).not.toContain('5555555555554444');
    expect(redactString('card4111111111111111,')).toBe('card****1111,');
  });

  it('does not touch ordinary numbers and ids', () => {
    for (const text of [
      '4111111111111112', // fails Luhn
      'at 1767225600009', // epoch milliseconds (13 digits, Luhn-valid)
      '"created":1700000000004', // another 13-digit timestamp that passes Luhn
      'ref 12345678901237', // starts with 1: no card scheme uses it (ISO 7812 airlines)
      '123456789012', // 12 digits
      'order 000000000000000000', // zeros: starts with 0
      'phone +995 555 12 34 56',
      'iban GE29NB0000000101904917',
      'uuid 123e4567-e89b-12d3-a456-426614174000',
      'amount 10.50 GEL',
    ]) {
      expect(redactString(text), text).toBe(text);
    }
  });

  it('removes secret query and form parameters, including the first one', () => {
    expect(redactString('https://x.test/cb?order=1&token=abc123&lang=ka')).toBe(
      `https://x.test/cb?order=1&token=${REDACTED}&lang=ka`,
    );
    expect(redactString('grant_type=client_credentials&client_secret=s3cr3t')).toBe(
      `grant_type=client_credentials&client_secret=${REDACTED}`,
    );
    expect(redactString('password=hunter2&user=bob')).toBe(`password=${REDACTED}&user=bob`);
    expect(redactString('?refresh_token=r1&access_token=a1&api_key=k1&apikey=k2&signature=s')).toBe(
      `?refresh_token=${REDACTED}&access_token=${REDACTED}&api_key=${REDACTED}&apikey=${REDACTED}&signature=${REDACTED}`,
    );
    expect(redactString('?order_id=5&page=2')).toBe('?order_id=5&page=2');
  });

  it('removes JSON fields named like secrets inside text', () => {
    const text = JSON.stringify({
      id: 'ord_1',
      client_secret: 'abc',
      nested: { accessToken: 'tok', cvv: 123, pan: '4111111111111111' },
      escaped: 'has \\"quotes\\"',
    });
    const result = JSON.parse(redactString(text));
    expect(result).toEqual({
      id: 'ord_1',
      client_secret: REDACTED,
      nested: { accessToken: REDACTED, cvv: REDACTED, pan: REDACTED },
      escaped: 'has \\"quotes\\"',
    });
  });

  it('removes well-known key formats and JWTs appearing in free text', () => {
    expect(redactString('Invalid API Key provided: sk_test_51Habcdefghijklmnop')).toBe(
      `Invalid API Key provided: ${REDACTED}`,
    );
    expect(redactString('secret whsec_abcDEF123+/=')).toBe(`secret ${REDACTED}`);
    expect(redactString('rk_live_abc123 used')).toBe(`${REDACTED} used`);
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl-_x';
    expect(redactString(`token was ${jwt}.`)).toBe(`token was ${REDACTED}.`);
  });

  it('removes the literal secrets it is given (4 characters or more)', () => {
    expect(redactString('client abc-123-secret rejected', ['abc-123-secret'])).toBe(
      `client ${REDACTED} rejected`,
    );
    expect(redactString('a b c', ['b'])).toBe('a b c'); // too short to be a secret, too common to strip
    expect(redactString('x', [''])).toBe('x');
  });
});

describe('redact (deep)', () => {
  it('redacts nested objects and arrays without touching the input', () => {
    const input = {
      headers: { Authorization: 'Basic abc', 'content-type': 'application/json' },
      body: {
        client_id: 'merchant',
        client_secret: 'xyz',
        card: { number: '4111111111111111', expiry: '12/30', cvc: '123' },
        list: [{ password: 'p' }, 'Bearer abc.def', 42, null, true],
      },
      emptySecret: '',
      nullToken: null,
    };
    const copy = structuredClone(input);
    const result = redact(input);
    expect(input).toEqual(copy);
    expect(result).toEqual({
      headers: { Authorization: REDACTED, 'content-type': 'application/json' },
      body: {
        client_id: 'merchant',
        client_secret: REDACTED,
        card: { number: '****1111', expiry: '12/30', cvc: REDACTED },
        list: [{ password: REDACTED }, `Bearer ${REDACTED}`, 42, null, true],
      },
      emptySecret: '',
      nullToken: null,
    });
  });

  it('redacts WHATWG Headers objects into a plain record', () => {
    const headers = new Headers({
      Authorization: 'Bearer t0k3n',
      'X-Api-Key': 'key-123',
      'Content-Type': 'application/json',
      'X-Note': 'card 4111111111111111',
    });
    expect(redact(headers)).toEqual({
      authorization: REDACTED,
      'content-type': 'application/json',
      'x-api-key': REDACTED,
      'x-note': 'card ****1111',
    });
  });

  it('applies the extra literal secrets at every depth', () => {
    expect(redact({ a: { b: ['said my-client-secret-value'] } }, ['my-client-secret-value'])).toEqual({
      a: { b: [`said ${REDACTED}`] },
    });
  });

  it('cuts cycles but keeps shared (non-cyclic) references', () => {
    const shared = { id: 'x', token: 't' };
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(redact({ a: shared, b: shared, cyclic })).toEqual({
      a: { id: 'x', token: REDACTED },
      b: { id: 'x', token: REDACTED },
      cyclic: { name: 'loop', self: '[Truncated]' },
    });
  });

  it('cuts depth beyond 20', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let index = 0; index < 30; index++) deep = { next: deep };
    let node = redact(deep) as Record<string, unknown>;
    let levels = 0;
    while (typeof node.next === 'object') {
      node = node.next as Record<string, unknown>;
      levels++;
    }
    expect(node.next).toBe('[Truncated]');
    expect(levels).toBe(20);
  });

  it('summarizes bytes and keeps primitives and dates', () => {
    expect(redact(new Uint8Array(5))).toBe('[5 bytes]');
    expect(redact(Buffer.from('secret'))).toBe('[6 bytes]');
    expect(redact(7)).toBe(7);
    expect(redact(undefined)).toBe(undefined);
    const date = new Date('2026-01-01T00:00:00Z');
    expect(redact({ at: date })).toEqual({ at: date });
  });
});

describe('redactUrl', () => {
  it('removes embedded credentials and secret parameters', () => {
    expect(redactUrl('https://user:pa55@api.test/v1/orders?token=abc&id=1')).toBe(
      `https://${REDACTED}@api.test/v1/orders?token=${REDACTED}&id=1`,
    );
    expect(redactUrl('https://api.test/v1/orders/ord_1')).toBe('https://api.test/v1/orders/ord_1');
    expect(redactUrl('https://api.test/v1/merchant-key-42abc/orders', ['merchant-key-42abc'])).toBe(
      `https://api.test/v1/${REDACTED}/orders`,
    );
  });
});
