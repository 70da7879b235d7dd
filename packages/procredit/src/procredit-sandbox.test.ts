import {
  AuthenticationError,
  type ColchisError,
  ConflictError,
  GatewayError,
  InvalidRequestError,
  isPaid,
  NotFoundError,
  PaymentDeclinedError,
  SignatureVerificationError,
  UnsupportedOperationError,
} from '@colchis/core';
import { type Sandbox, startSandbox } from '@colchis/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProCreditClient } from './procredit-client.js';
import { payOnHostedPage } from './procredit-hosted-page-driver.test-helper.js';
import { decodeProCreditPaymentId, encodeProCreditPaymentId } from './procredit-payment-id.js';
import { createProCredit, type ProCreditProvider } from './procredit-provider.js';

// Everything here runs against the sandbox over real sockets: the API over HTTPS with mutual TLS
// (the merchant's generated client certificate), the hosted page over plain HTTP like a browser.

let sandbox: Sandbox;
let procredit: ProCreditProvider;
let basic: ProCreditProvider;

beforeAll(async () => {
  sandbox = await startSandbox();
  procredit = createProCredit({ ...sandbox.procredit.settings, maxRetries: 0 });
});
afterAll(async () => {
  await procredit?.close();
  await basic?.close();
  await sandbox?.close();
});
beforeEach(() => sandbox.reset());

const GEL = (amount: number) => ({ amount, currency: 'GEL' });

async function expectError<T extends ColchisError>(
  promise: Promise<unknown>,
  type: { isInstance(error: unknown): boolean; kind: string },
): Promise<T> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(type.isInstance(error), `expected ${type.kind}, got ${String(error)}`).toBe(true);
  return error as T;
}

async function newPayment(reference: string, amount = 2500, extra: Record<string, unknown> = {}) {
  return procredit.createPayment({
    amount: GEL(amount),
    reference,
    description: 'კურსი: ქართული ენა',
    returnUrl: `https://school.example/pay/return/${reference}`,
    providerOptions: {
      procredit: {
        browser: {
          ip: '203.0.113.7',
          userAgent: 'Mozilla/5.0',
          acceptHeader: 'text/html',
          screenWidth: 1920,
          screenHeight: 1080,
          colorDepth: 24,
          timezoneOffset: -240,
          language: 'ka-GE',
        },
      },
    },
    ...extra,
  });
}

describe('hosted page: create -> pay -> return -> confirm', () => {
  it('creates an order whose hosted page opens, and confirms the payment from the return', async () => {
    const payment = await newPayment('enrollment-1');
    expect(payment.status).toBe('requires_action');
    expect(payment.rawStatus).toBe('Preparing');
    const redirect = new URL(payment.redirectUrl as string);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(sandbox.procredit.hostedPageUrl);
    const reference = decodeProCreditPaymentId(payment.id);
    expect(redirect.searchParams.get('id')).toBe(reference.orderId);
    expect(redirect.searchParams.get('password')).toBe(reference.password);

    const pending = await procredit.getPayment(payment.id);
    expect(pending.status).toBe('requires_action');
    expect(pending.redirectUrl).toBe(payment.redirectUrl);
    expect(pending.reference).toBe('enrollment-1');

    const visit = await payOnHostedPage(payment.redirectUrl as string, '4111 1111 1111 1111');
    const back = new URL(visit.returnUrl);
    expect(back.pathname).toBe('/pay/return/enrollment-1');
    expect(back.searchParams.get('ID')).toBe(reference.orderId);
    expect(back.searchParams.get('STATUS')).toBe('FullyPaid');
    expect(back.searchParams.get('PASSWORD')).toBe(reference.password);
    expect(back.searchParams.has('TOKENID')).toBe(false);

    const event = await procredit.handleReturn(visit.returnUrl, { paymentId: payment.id });
    expect(event.signed).toBe(false);
    expect(event.status).toBe('captured');
    expect(event.paymentId).toBe(payment.id);
    expect(event.reference).toBe('enrollment-1');
    expect(event.payment?.amountCaptured).toBe(2500);
    expect(event.payment?.card).toEqual({ maskedPan: '411111******1111', brand: 'Visa' });
    expect(JSON.stringify(event.raw)).not.toContain(reference.password);

    // The same return without the stored id: the URL's ID/PASSWORD pick the order.
    const unbound = await procredit.handleReturn(Object.fromEntries(back.searchParams));
    expect(unbound.status).toBe('captured');
    expect(unbound.reference).toBe('enrollment-1');
  });

  it('sends the description transliterated to Latin and numbers as strings (the sandbox rejects anything else)', async () => {
    const payment = await newPayment('enrollment-latin');
    const order = await procredit.client.getOrder(decodeProCreditPaymentId(payment.id).orderId, {
      password: decodeProCreditPaymentId(payment.id).password,
    });
    expect(order.description).toBe('kursi: kartuli ena');
    expect(order.language).toBe('en');
  });

  it('reports declines with the normalized failure code and the PMO code', async () => {
    const payment = await newPayment('enrollment-declined');
    const visit = await payOnHostedPage(payment.redirectUrl as string, '4000000000009995');
    expect(new URL(visit.returnUrl).searchParams.get('STATUS')).toBe('Declined');
    const event = await procredit.handleReturn(visit.returnUrl, { paymentId: payment.id });
    expect(event.status).toBe('failed');
    expect(event.payment?.failure).toMatchObject({ code: 'insufficient_funds', rawCode: '59' });
  });

  it('passes a 3-D Secure challenge, and fails a wrong answer as authentication_failed', async () => {
    const passed = await newPayment('enrollment-3ds');
    const visit = await payOnHostedPage(passed.redirectUrl as string, '4000000000003220', {
      challengePassword: sandbox.procredit.challengePassword,
    });
    expect(visit.pages.some((page) => page.includes('3-D Secure'))).toBe(true);
    expect((await procredit.handleReturn(visit.returnUrl, { paymentId: passed.id })).status).toBe('captured');

    const failed = await newPayment('enrollment-3ds-fail');
    const wrong = await payOnHostedPage(failed.redirectUrl as string, '4000000000003220', {
      challengePassword: 'nope',
    });
    const payment = await procredit.getPayment(failed.id);
    expect(new URL(wrong.returnUrl).searchParams.get('STATUS')).toBe('Declined');
    expect(payment.failure?.code).toBe('authentication_failed');
  });

  it('maps a customer who cancels on the hosted page (Refused, nothing cleared) to failed canceled_by_customer', async () => {
    const payment = await newPayment('enrollment-cancel');
    const visit = await payOnHostedPage(payment.redirectUrl as string, '', { cancel: true });
    expect(new URL(visit.returnUrl).searchParams.get('STATUS')).toBe('Refused');
    const confirmed = await procredit.getPayment(payment.id);
    expect(confirmed.status).toBe('failed');
    expect(confirmed.failure?.code).toBe('canceled_by_customer');
  });

  it('expires an unpaid order on the sandbox clock', async () => {
    const payment = await newPayment('enrollment-late');
    await sandbox.clock.advance(sandbox.procredit.orderLifetimeMs + 1000);
    const expired = await procredit.getPayment(payment.id);
    expect(expired.status).toBe('expired');
    expect(expired.redirectUrl).toBeUndefined();
  });
});

describe('forged returns never mark anything paid', () => {
  it('ignores STATUS=FullyPaid typed into the return URL of an unpaid order', async () => {
    const payment = await newPayment('enrollment-forged');
    const reference = decodeProCreditPaymentId(payment.id);
    const forged = `https://school.example/pay/return/enrollment-forged?ID=${reference.orderId}&STATUS=FullyPaid&PASSWORD=${reference.password}`;
    const event = await procredit.handleReturn(forged, { paymentId: payment.id });
    expect(event.status).toBe('requires_action');
    expect(isPaid(event.status as NonNullable<typeof event.status>)).toBe(false);
    expect(event.raw).toMatchObject({ claimedStatus: 'FullyPaid', matchesStoredPayment: true });
  });

  it('confirms the stored order, not the paid order a forged ID points to', async () => {
    const cheap = await newPayment('cheap-product', 100);
    const cheapVisit = await payOnHostedPage(cheap.redirectUrl as string, '4111111111111111');
    const expensive = await newPayment('expensive-course', 90000);
    // The attacker pastes the paid cheap order's ID and PASSWORD onto the expensive order's return.
    const forged = `https://school.example/pay/return/expensive-course?${new URL(cheapVisit.returnUrl).searchParams}`;

    const bound = await procredit.handleReturn(forged, { paymentId: expensive.id });
    expect(bound.status).toBe('requires_action');
    expect(bound.raw).toMatchObject({ matchesStoredPayment: false });

    // Without the stored id the bank's own answer names the other order: its reference differs.
    const unbound = await procredit.handleReturn(forged);
    expect(unbound.status).toBe('captured');
    expect(unbound.reference).toBe('cheap-product');
    expect(unbound.payment?.amount).toEqual(GEL(100));
  });

  it('confirms a forwarded callback body by fetching the order (verifyWebhook is never trusted as signed)', async () => {
    const payment = await newPayment('enrollment-callback');
    await payOnHostedPage(payment.redirectUrl as string, '4111111111111111');
    const { orderId, password } = decodeProCreditPaymentId(payment.id);
    const body = JSON.stringify({ order: { id: Number(orderId), password, status: 'Declined' } });
    const event = await procredit.verifyWebhook({ rawBody: new TextEncoder().encode(body), headers: {} });
    expect(event).toMatchObject({
      provider: 'procredit',
      type: 'payment.updated',
      status: 'captured',
      signed: false,
    });
    const form = await procredit.verifyWebhook({
      rawBody: `ID=${orderId}&PASSWORD=${password}&STATUS=Declined`,
      headers: {},
    });
    expect(form.status).toBe('captured');
  });

  it('refuses a return with a guessed password, and one with no order at all', async () => {
    const payment = await newPayment('enrollment-guess');
    const { orderId } = decodeProCreditPaymentId(payment.id);
    await expectError(
      procredit.handleReturn(`?ID=${orderId}&STATUS=FullyPaid&PASSWORD=guessed123`),
      NotFoundError,
    );
    await expectError(procredit.handleReturn('?STATUS=FullyPaid'), SignatureVerificationError);
    await expectError(
      procredit.verifyWebhook({ rawBody: JSON.stringify({ status: 'FullyPaid' }), headers: {} }),
      SignatureVerificationError,
    );
  });

  it('flags a paid order whose amount differs from the request instead of reporting it captured', async () => {
    const payment = await newPayment('enrollment-amount', 2500);
    await payOnHostedPage(payment.redirectUrl as string, '4111111111111111');
    const { orderId, password } = decodeProCreditPaymentId(payment.id);
    // A payment id claiming another amount (a database mix-up, or an order swapped underneath).
    const mismatched = encodeProCreditPaymentId({ orderId, password, expected: GEL(99000) });
    const checked = await procredit.getPayment(mismatched);
    expect(checked.status).toBe('failed');
    expect(checked.failure?.code).toBe('amount_mismatch');
    const otherCurrency = encodeProCreditPaymentId({
      orderId,
      password,
      expected: { amount: 2500, currency: 'USD' },
    });
    expect((await procredit.getPayment(otherCurrency)).failure?.code).toBe('currency_mismatch');
  });
});

describe('refunds and reversals', () => {
  it('refunds part, then the rest, of a paid order', async () => {
    const payment = await newPayment('refund-me', 5000);
    await payOnHostedPage(payment.redirectUrl as string, '5555555555554444');
    const partial = await procredit.refund(payment.id, { amount: 1250 });
    expect(partial).toMatchObject({
      status: 'succeeded',
      amount: 1250,
      currency: 'GEL',
      paymentId: payment.id,
    });
    const afterPartial = await procredit.getPayment(payment.id);
    expect(afterPartial).toMatchObject({
      status: 'partially_refunded',
      rawStatus: 'PartPaid',
      amountCaptured: 5000,
      amountRefunded: 1250,
    });

    const rest = await procredit.refund(payment.id);
    expect(rest.amount).toBe(3750);
    const refunded = await procredit.getPayment(payment.id);
    expect(refunded).toMatchObject({ status: 'refunded', rawStatus: 'Refunded', amountRefunded: 5000 });
    await expectError(procredit.refund(payment.id), InvalidRequestError);
  });

  it('reports a refund of an unpaid order as the conflict it is, without repeating it', async () => {
    const attempts: string[] = [];
    const watched = createProCredit({
      ...sandbox.procredit.settings,
      hooks: { onRequest: (event) => attempts.push(`${event.method} ${event.operation}`) },
    });
    const payment = await watched.createPayment({
      amount: GEL(700),
      reference: 'unpaid',
      returnUrl: 'https://shop.example/r',
    });
    const error = await expectError<ColchisError>(watched.refund(payment.id, { amount: 700 }), ConflictError);
    expect(error.code).toBe('InvalidOrderState');
    expect(error.statusCode).toBe(500);
    expect(error.message).toContain('InvalidOrderState');
    expect(attempts.filter((attempt) => attempt === 'POST executeTransaction')).toHaveLength(1);
    await watched.close();
  });

  it('reverses a purchase the same day, fully or in part (client reversal)', async () => {
    const whole = await newPayment('reverse-whole', 3000);
    await payOnHostedPage(whole.redirectUrl as string, '4111111111111111');
    const wholeReference = decodeProCreditPaymentId(whole.id);
    await procredit.client.reverse(wholeReference.orderId, {
      phase: 'Single',
      password: wholeReference.password,
    });
    const reversed = await procredit.getPayment(whole.id);
    // MilliKart reports a full reversal as Cancelled; money had been taken, so it reads as refunded.
    expect(reversed).toMatchObject({ status: 'refunded', rawStatus: 'Cancelled', amountRefunded: 3000 });

    const part = await newPayment('reverse-part', 3000);
    await payOnHostedPage(part.redirectUrl as string, '4111111111111111');
    const partReference = decodeProCreditPaymentId(part.id);
    await procredit.client.reverse(partReference.orderId, {
      phase: 'Single',
      amount: GEL(1000),
      password: partReference.password,
    });
    expect(await procredit.getPayment(part.id)).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 1000,
    });

    // The next day a reversal is refused: refund instead.
    await sandbox.clock.advance(86_400_000);
    const error = await expectError<ColchisError>(
      procredit.client.reverse(partReference.orderId, { phase: 'Single', password: partReference.password }),
      ConflictError,
    );
    expect(error.code).toBe('TranProhibited');
  });
});

describe('two-step payments (authorize, then capture or cancel)', () => {
  let twoStep: ProCreditProvider;
  beforeAll(() => {
    twoStep = createProCredit({ ...sandbox.procredit.settings });
  });
  afterAll(() => twoStep?.close());

  it('says it cannot hold money without a preauthorization order type, before any request', async () => {
    expect(twoStep.capabilities).toMatchObject({
      manualCapture: true,
      partialCapture: true,
      cancel: true,
      savedMethods: true,
    });
    const limited = createProCredit({
      baseUrl: sandbox.procredit.url,
      tls: sandbox.procredit.settings.tls,
      typeRids: { purchase: 'ORD1' },
    });
    expect(limited.capabilities).toMatchObject({ manualCapture: false, cancel: false, savedMethods: false });
    await expectError(
      limited.createPayment({
        amount: GEL(100),
        reference: 'x',
        returnUrl: 'https://shop.example/r',
        capture: 'manual',
      }),
      UnsupportedOperationError,
    );
    await limited.close();
  });

  it('authorizes on the hosted page, then captures part of it', async () => {
    const payment = await twoStep.createPayment({
      amount: GEL(4000),
      reference: 'hold-1',
      returnUrl: 'https://shop.example/return/hold-1',
      capture: 'manual',
    });
    const visit = await payOnHostedPage(payment.redirectUrl as string, '4111111111111111');
    expect(new URL(visit.returnUrl).searchParams.get('STATUS')).toBe('Authorized');
    const held = await twoStep.getPayment(payment.id);
    expect(held).toMatchObject({ status: 'authorized', amountCaptured: 0 });

    const captured = await twoStep.capture(payment.id, { amount: 3000 });
    expect(captured).toMatchObject({ status: 'captured', rawStatus: 'PartiallyPaid', amountCaptured: 3000 });
    await expectError(twoStep.capture(payment.id), ConflictError);
  });

  it('captures the full amount by default', async () => {
    const payment = await twoStep.createPayment({
      amount: GEL(1500),
      reference: 'hold-2',
      returnUrl: 'https://shop.example/return/hold-2',
      capture: 'manual',
    });
    await payOnHostedPage(payment.redirectUrl as string, '4111111111111111');
    expect(await twoStep.capture(payment.id)).toMatchObject({
      status: 'captured',
      rawStatus: 'FullyPaid',
      amountCaptured: 1500,
    });
  });

  it('cancels (voids) an authorization', async () => {
    const payment = await twoStep.createPayment({
      amount: GEL(2000),
      reference: 'hold-3',
      returnUrl: 'https://shop.example/return/hold-3',
      capture: 'manual',
    });
    await payOnHostedPage(payment.redirectUrl as string, '4111111111111111');
    expect(await twoStep.cancel(payment.id)).toMatchObject({ status: 'canceled', rawStatus: 'Voided' });
  });

  it('reads a hold the bank closed after it lapsed (Closed with prevStatus Authorized) as canceled', async () => {
    const payment = await twoStep.createPayment({
      amount: GEL(2000),
      reference: 'hold-4',
      returnUrl: 'https://shop.example/return/hold-4',
      capture: 'manual',
    });
    await payOnHostedPage(payment.redirectUrl as string, '4111111111111111');
    await sandbox.clock.advance(31 * 86_400_000);
    expect(await twoStep.getPayment(payment.id)).toMatchObject({ status: 'canceled', rawStatus: 'Closed' });
  });
});

describe('saved cards and merchant-initiated charges', () => {
  it('saves the card on the first payment, then charges it without the customer', async () => {
    const first = await newPayment('subscription-1', 1900, { savePaymentMethod: 'off_session' });
    const visit = await payOnHostedPage(first.redirectUrl as string, '4111111111111111');
    const tokenId = new URL(visit.returnUrl).searchParams.get('TOKENID');
    expect(tokenId).toMatch(/^\d+$/);
    const paid = await procredit.getPayment(first.id);
    expect(paid.status).toBe('captured');
    expect(paid.savedMethod).toMatchObject({
      id: tokenId,
      usage: 'off_session',
      maskedPan: '411111******1111',
      brand: 'Visa',
      expiry: '12/30',
    });

    const renewal = await procredit.chargeSavedMethod({
      savedMethod: paid.savedMethod as NonNullable<typeof paid.savedMethod>,
      amount: GEL(1900),
      reference: 'subscription-1-renewal-2',
    });
    expect(renewal).toMatchObject({
      status: 'captured',
      amountCaptured: 1900,
      reference: 'subscription-1-renewal-2',
    });
    expect(renewal.id).not.toBe(first.id);
    // The renewal is an order of its own, refundable like any other.
    expect((await procredit.refund(renewal.id, { amount: 900 })).status).toBe('succeeded');
  });

  it('reports a declined merchant-initiated charge as a failed payment with the reason', async () => {
    const first = await newPayment('subscription-2', 1900, { savePaymentMethod: true });
    await payOnHostedPage(first.redirectUrl as string, '4000000000000341');
    const paid = await procredit.getPayment(first.id);
    const renewal = await procredit.chargeSavedMethod({
      savedMethod: paid.savedMethod as NonNullable<typeof paid.savedMethod>,
      amount: GEL(1900),
      reference: 'subscription-2-renewal',
    });
    expect(renewal.status).toBe('failed');
    expect(renewal.failure).toMatchObject({ code: 'insufficient_funds', rawCode: '59' });
  });

  it('charges through the client composite and reports an unknown token as the bank does', async () => {
    const charge = procredit.client.chargeStoredCard({ storedId: 999999, amount: GEL(500) });
    const error = await expectError<ColchisError>(charge, InvalidRequestError);
    expect(error.code).toBe('InvalidToken');
  });

  it('declines a charge on a hosted-page decline card with PaymentDeclinedError from exec-tran (client level)', async () => {
    const first = await newPayment('subscription-3', 800, { savePaymentMethod: 'on_session' });
    await payOnHostedPage(first.redirectUrl as string, '4000000000000341');
    const saved = (await procredit.getPayment(first.id)).savedMethod;
    expect(saved?.usage).toBe('on_session');
    const result = await procredit.client.chargeStoredCard({
      storedId: saved?.id as string,
      amount: GEL(800),
      cofUsage: 'Cit',
    });
    expect(result.outcome).toBe('declined');
    expect(PaymentDeclinedError.isInstance(result.declineError)).toBe(true);
    expect(result.order.status).toBe('Declined');
  });
});

describe('HTTP Basic deployments (Kapital, MilliKart) against the same sandbox', () => {
  it('creates and reads orders with Basic credentials, and refuses wrong ones', async () => {
    basic = createProCredit({
      preset: 'kapital',
      baseUrl: sandbox.procredit.basic.baseUrl,
      basicAuth: { username: sandbox.procredit.basic.username, password: sandbox.procredit.basic.password },
    });
    const payment = await basic.createPayment({
      amount: GEL(1000),
      reference: 'az-1',
      returnUrl: 'https://shop.example/az',
    });
    expect(payment.status).toBe('requires_action');
    // Kapital's hppUrl is usually a bare host; the sandbox answers a full path, which is kept.
    expect(new URL(payment.redirectUrl as string).pathname).toBe('/procredit/flex');
    await payOnHostedPage(payment.redirectUrl as string, '4111111111111111');
    expect((await basic.getPayment(payment.id)).status).toBe('captured');

    const wrong = createProCreditClient({
      preset: 'kapital',
      baseUrl: sandbox.procredit.basic.baseUrl,
      basicAuth: { username: sandbox.procredit.basic.username, password: 'wrong-password' },
      maxRetries: 0,
    });
    const error = await expectError<ColchisError>(wrong.getOrder(1, { password: 'x' }), AuthenticationError);
    expect(error.code).toBe('InvalidLogin');
    expect(error.message).not.toContain('wrong-password');
  });
});

describe('faults injected at the TLS API', () => {
  it('reads an errorCode answered with HTTP 200 as an error, and an HTML page as a gateway error', async () => {
    const payment = await newPayment('fault-1');
    sandbox.faults.add({
      pathPrefix: '/procredit/order/',
      method: 'GET',
      kind: 'status',
      status: 200,
      body: JSON.stringify({ errorCode: 'InvalidOrderState', errorDescription: 'order is locked' }),
    });
    const conflict = await expectError<ColchisError>(procredit.getPayment(payment.id), ConflictError);
    expect(conflict.statusCode).toBe(200);
    sandbox.faults.add({
      pathPrefix: '/procredit/order/',
      method: 'GET',
      kind: 'status',
      status: 502,
      body: '<html><head><title>502 Bad Gateway</title></head></html>',
    });
    const gateway = await expectError<ColchisError>(procredit.getPayment(payment.id), GatewayError);
    expect(gateway.message).toMatch(/HTML/);
  });

  it('recovers a read from a dropped connection by retrying, but never repeats a refund', async () => {
    const retrying = createProCredit({
      ...sandbox.procredit.settings,
      maxRetries: 2,
      retry: { initialDelayMs: 1, maxDelayMs: 5 },
    });
    const payment = await retrying.createPayment({
      amount: GEL(900),
      reference: 'fault-2',
      returnUrl: 'https://shop.example/r',
    });
    await payOnHostedPage(payment.redirectUrl as string, '4111111111111111');
    sandbox.faults.add({ pathPrefix: '/procredit/order/', method: 'GET', kind: 'reset' });
    expect((await retrying.getPayment(payment.id)).status).toBe('captured');

    // The refund is executed, then the connection drops before the answer.
    sandbox.faults.add({ pathPrefix: '/procredit/order/', method: 'POST', kind: 'reset-after' });
    const lost = await retrying.refund(payment.id, { amount: 400 }).then(
      () => undefined,
      (error: unknown) => error as ColchisError,
    );
    expect(lost?.type).toBe('ConnectionError');
    expect(lost?.retryable).toBe(false);
    // Reconcile instead: the refund happened exactly once.
    expect(await retrying.getPayment(payment.id)).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 400,
    });
    await retrying.close();
  });
});
