import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCardForm, SANDBOX_CARD_EXPIRY } from './hosted-page.js';
import { type Sandbox, startSandbox } from './server.js';

const YEAR_MS = 365 * 86_400_000;

/** The `name=value` pairs a browser submits from the card form, as rendered (nothing retyped but the number). */
function prefilledFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input[^>]*\bname="([^"]+)"[^>]*\bvalue="([^"]*)"/g)) {
    fields[match[1] as string] = match[2] as string;
  }
  return fields;
}

describe('renderCardForm', () => {
  it('pre-fills an expiry decades ahead, and the CVC', () => {
    const html = renderCardForm({ action: '/pay', merchant: 'Shop', amountText: '1.00 GEL', cards: [] });
    const fields = prefilledFields(html);
    expect(fields.expiry).toBe(SANDBOX_CARD_EXPIRY);
    expect(fields.cvc).toBe('123');
    const [month, year] = SANDBOX_CARD_EXPIRY.split('/').map(Number);
    expect(month).toBe(12);
    expect(2000 + (year as number)).toBeGreaterThanOrEqual(new Date().getUTCFullYear() + 20);
  });
});

describe('a hosted page after the sandbox clock moved years ahead', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  // Stripe's page checks the expiry against the sandbox clock: a renewal test that moved the
  // clock past the pre-filled expiry used to see "expiration year is in the past".
  it('still pays with the pre-filled expiry (Stripe checks it against the sandbox clock)', async () => {
    await sandbox.clock.advance(15 * YEAR_MS);
    const { host, port, protocol } = sandbox.stripe;
    const stripe = new Stripe(sandbox.stripe.apiKey, { host, port, protocol, maxNetworkRetries: 0 });
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      success_url: 'https://shop.example/return',
      line_items: [
        { quantity: 1, price_data: { currency: 'usd', unit_amount: 900, product_data: { name: 'Book' } } },
      ],
    });
    const page = await (await fetch(session.url as string)).text();
    const action = /<form method="post" action="([^"]+)" id="card-form"/.exec(page)?.[1] as string;
    const paid = await fetch(new URL(action, session.url as string), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...prefilledFields(page), card_number: '4242424242424242' }),
      redirect: 'manual',
    });
    expect(paid.status, await paid.clone().text()).toBe(303);
    expect(paid.headers.get('location')).toBe('https://shop.example/return');
  });
});
