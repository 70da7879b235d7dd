import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigurationError, SignatureVerificationError } from '@colchis/core';
import { describe, expect, it } from 'vitest';
import { createIoka } from './ioka-provider.js';
import { verifyIokaWebhook } from './ioka-webhook.js';
import { signIokaTestWebhook } from './ioka-webhook-signing.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    string
  >;

// An independent oracle: HMAC with node:crypto over a canonical string written out by hand.
const hmac = (key: string, message: string | Buffer) =>
  createHmac('sha256', key).update(message).digest('hex');
const KEY = 'whk-key-for-tests-0f9a';

async function expectRejected(
  promise: Promise<unknown>,
  type: typeof SignatureVerificationError = SignatureVerificationError,
) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(type.isInstance(error), `expected ${type.kind}, got ${String(error)}`).toBe(true);
  return error as Error;
}

describe('verifyIokaWebhook: a real ioka delivery', () => {
  const recorded = fixture('webhook-payment-captured.json');

  it('accepts the signature ioka sent for it (sorted canonical form, raw UTF-8, 0.0 kept)', async () => {
    const verified = await verifyIokaWebhook({
      rawBody: recorded.body as string,
      headers: { 'x-signature': recorded.signature as string },
      key: recorded.key as string,
    });
    expect(verified.matched).toBe('python-utf8');
    expect((verified.payload as { order: { description: string } }).order.description).toBe(
      'Оплата брони: eXqu5cXrufMsLeq3S',
    );
  });

  it('accepts it as bytes, with the header in upper case, and as a Headers object', async () => {
    const bytes = new TextEncoder().encode(recorded.body as string);
    await verifyIokaWebhook({
      rawBody: bytes,
      headers: { 'X-SIGNATURE': recorded.signature as string },
      key: recorded.key as string,
    });
    await verifyIokaWebhook({
      rawBody: bytes,
      headers: new Headers({ 'X-Signature': (recorded.signature as string).toUpperCase() }),
      key: recorded.key as string,
    });
  });

  it('accepts a raw-body HMAC defensively, but not JSON.parse + JSON.stringify (0.0 becomes 0) nor another key', async () => {
    // The raw-body HMAC is one of the tolerated forms (a defensive candidate)...
    const rawSigned = hmac(recorded.key as string, recorded.body as string);
    await verifyIokaWebhook({
      rawBody: recorded.body as string,
      signature: rawSigned,
      key: recorded.key as string,
    });
    // ...but JSON.parse + JSON.stringify with sorted keys turns 0.0 into 0 and must not match.
    const parsed = JSON.parse(recorded.body as string) as Record<string, unknown>;
    const naive = JSON.stringify(sortDeep(parsed));
    await expectRejected(
      verifyIokaWebhook({
        rawBody: recorded.body as string,
        signature: hmac(recorded.key as string, naive),
        key: recorded.key as string,
      }),
    );
    await expectRejected(
      verifyIokaWebhook({
        rawBody: recorded.body as string,
        signature: recorded.signature as string,
        key: 'another-key',
      }),
    );
  });

  it('rejects the delivery once one character of content changes', async () => {
    const tampered = (recorded.body as string).replace('"amount": 1050000', '"amount": 1050001');
    await expectRejected(
      verifyIokaWebhook({
        rawBody: tampered,
        signature: recorded.signature as string,
        key: recorded.key as string,
      }),
    );
  });
});

describe('verifyIokaWebhook: canonical forms', () => {
  // Keys arrive unsorted, nested, with non-ASCII escaped, and floats written 0.0 and 1.50.
  const body =
    '{"event": "PAYMENT_CAPTURED", "payment": {"status": "CAPTURED", "processing_fee": 0.0, "payer": {"holder": "\\u0410\\u0439\\u0433\\u0435\\u0440\\u0456\\u043c", "pan_masked": "555555******5599"}, "id": "pay_1"}, "order": {"id": "ord_1", "status": "PAID", "amount": 150, "extra_info": {"rate": 1.50, "tags": ["b", "a"], "note": "Ж"}}}';
  const pythonUtf8 =
    '{"event": "PAYMENT_CAPTURED", "order": {"amount": 150, "extra_info": {"note": "Ж", "rate": 1.50, "tags": ["b", "a"]}, "id": "ord_1", "status": "PAID"}, "payment": {"id": "pay_1", "payer": {"holder": "Айгерім", "pan_masked": "555555******5599"}, "processing_fee": 0.0, "status": "CAPTURED"}}';
  const compactUtf8 = pythonUtf8.replaceAll('", "', '","').replaceAll(', "', ',"').replaceAll('": ', '":');
  const compactAscii = compactUtf8
    .replace('Ж', '\\u0416')
    .replace('Айгерім', '\\u0410\\u0439\\u0433\\u0435\\u0440\\u0456\\u043c');

  it.each([
    ['sorted, Python separators, raw UTF-8 (verified form)', pythonUtf8, 'python-utf8'],
    ['sorted, compact, raw UTF-8 (newer docs)', compactUtf8, 'compact-utf8'],
    ['sorted, compact, ASCII-escaped', compactAscii, 'compact-ascii'],
    ['the raw body', body, 'raw'],
  ])('accepts a signature over %s', async (_title, message, form) => {
    const verified = await verifyIokaWebhook({ rawBody: body, signature: hmac(KEY, message), key: KEY });
    expect(verified.matched).toBe(form);
  });

  it('accepts the canonical form whatever the whitespace and escaping of the body', async () => {
    const reformatted = JSON.stringify(JSON.parse(body), null, 2)
      .replace('"processing_fee": 0', '"processing_fee": 0.0')
      .replace('"rate": 1.5', '"rate": 1.50');
    await verifyIokaWebhook({ rawBody: reformatted, signature: hmac(KEY, pythonUtf8), key: KEY });
  });

  it('rejects forms ioka does not use', async () => {
    const pythonAscii = pythonUtf8.replace('Ж', '\\u0416');
    const unsortedCompact = body.replaceAll(': ', ':').replaceAll(', ', ',');
    const normalizedFloats = pythonUtf8.replace('0.0', '0').replace('1.50', '1.5');
    for (const message of [pythonAscii, unsortedCompact, normalizedFloats, `${pythonUtf8}\n`]) {
      await expectRejected(verifyIokaWebhook({ rawBody: body, signature: hmac(KEY, message), key: KEY }));
    }
  });

  it('tries every configured key (several webhooks, or a rotation)', async () => {
    const verified = await verifyIokaWebhook({
      rawBody: body,
      signature: hmac(KEY, pythonUtf8),
      key: ['old-key', KEY],
    });
    expect(verified.matched).toBe('python-utf8');
  });
});

describe('verifyIokaWebhook: fails closed', () => {
  const signed = signIokaTestWebhook(
    '{"event": "PAYMENT_DECLINED", "order": {"id": "ord_2", "status": "UNPAID"}}',
    KEY,
  );

  it('refuses to run without a key', async () => {
    for (const key of ['', '  ', [] as string[]]) {
      await expectRejected(
        verifyIokaWebhook({ rawBody: signed.body, headers: signed.headers, key }),
        ConfigurationError as unknown as typeof SignatureVerificationError,
      );
    }
  });

  it('names the missing header', async () => {
    const error = await expectRejected(verifyIokaWebhook({ rawBody: signed.body, headers: {}, key: KEY }));
    expect(error.message).toContain('X-Signature');
  });

  it('rejects a signature that is not hex SHA-256', async () => {
    for (const signature of ['abc', 'z'.repeat(64), `${signed.signature}00`]) {
      await expectRejected(verifyIokaWebhook({ rawBody: signed.body, signature, key: KEY }));
    }
  });

  it('rejects a body that is not JSON or not UTF-8, and a parsed object', async () => {
    await expectRejected(
      verifyIokaWebhook({ rawBody: 'not json', signature: hmac(KEY, 'not json'), key: KEY }),
    );
    const latin1 = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]);
    await expectRejected(
      verifyIokaWebhook({ rawBody: latin1, signature: hmac(KEY, Buffer.from(latin1)), key: KEY }),
    );
    const error = await expectRejected(
      verifyIokaWebhook({ rawBody: JSON.parse(signed.body) as string, headers: signed.headers, key: KEY }),
    );
    expect(error.message).toMatch(/raw body/);
  });

  it('explains the usual mistake (the API key instead of the webhook key)', async () => {
    const error = await expectRejected(
      verifyIokaWebhook({ rawBody: signed.body, headers: signed.headers, key: 'the-api-key' }),
    );
    expect(error.message).toMatch(/not the API key/);
    expect(error.message).not.toContain('the-api-key');
  });
});

describe('signIokaTestWebhook', () => {
  it('signs a string body as is, over the canonical form', () => {
    const body = '{"b": 1.50, "a": "Ж"}';
    const signed = signIokaTestWebhook(body, KEY);
    expect(signed.body).toBe(body);
    expect(signed.signature).toBe(hmac(KEY, '{"a": "Ж", "b": 1.50}'));
    expect(signed.headers['x-signature']).toBe(signed.signature);
  });

  it('writes an object like ioka sends it (Python separators, \\u escapes, your key order)', () => {
    const signed = signIokaTestWebhook(
      { event: 'PAYMENT_CAPTURED', order: { id: 'ord_1', description: 'Ж' } },
      KEY,
    );
    expect(signed.body).toBe(
      '{"event": "PAYMENT_CAPTURED", "order": {"id": "ord_1", "description": "\\u0416"}}',
    );
    expect(signed.signature).toBe(
      hmac(KEY, '{"event": "PAYMENT_CAPTURED", "order": {"description": "Ж", "id": "ord_1"}}'),
    );
  });

  it('produces what the provider verifies, including the pretty-printed real payload', async () => {
    const provider = createIoka({ apiKey: 'unused', webhookKey: KEY });
    const pretty = fixture('webhook-payment-captured-pretty.json').body as string;
    const signed = signIokaTestWebhook(pretty, KEY);
    const event = await provider.verifyWebhook({ rawBody: signed.body, headers: signed.headers });
    expect(event).toMatchObject({
      provider: 'ioka',
      type: 'payment.updated',
      paymentId: 'ord_D76ZMGHY1M',
      reference: 'MjjeuWCfRejSEzvkB',
      status: 'captured',
      rawStatus: 'CAPTURED',
      signed: true,
    });
    expect(event.payment?.amount).toEqual({ amount: 1050000, currency: 'KZT' });
    expect(event.payment?.amountCaptured).toBe(1050000);
  });
});

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((key) => [key, sortDeep((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
