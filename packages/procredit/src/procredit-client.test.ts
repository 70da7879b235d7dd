import { readFileSync } from 'node:fs';
import {
  type ColchisError,
  ConfigurationError,
  InvalidRequestError,
  PaymentDeclinedError,
} from '@colchis/core';
import { type FaultServer, type RecordedRequest, startFaultServer } from '@colchis/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProCreditClient } from './procredit-client.js';
import { encodeProCreditPaymentId } from './procredit-payment-id.js';
import { PROCREDIT_PRESETS } from './procredit-presets.js';
import { createProCredit } from './procredit-provider.js';

// The recorded payloads served by a real local server over HTTP Basic (the Kapital/MilliKart way),
// so the client's wire handling is checked without the sandbox's own interpretation.

const fixture = <T = { body: unknown }>(name: string) =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as T;

let server: FaultServer;
let orderHost: FaultServer;
let answer: (request: RecordedRequest) => { status: number; body?: unknown } | undefined;

beforeAll(async () => {
  server = await startFaultServer((request) => answer(request));
  orderHost = await startFaultServer((request) => answer(request));
});
afterAll(async () => {
  await server?.close();
  await orderHost?.close();
});
beforeEach(() => {
  server.reset();
  orderHost.reset();
  answer = () => undefined;
});

const settings = () =>
  ({
    preset: 'kapital',
    baseUrl: `${server.url}/api`,
    basicAuth: { username: 'TerminalSys/kapital', password: 'kapital123' },
    maxRetries: 0,
  }) as const;

describe('presets', () => {
  it('knows every bank and environment, with the hosts and order types from the notes', () => {
    expect(PROCREDIT_PRESETS['procredit-ge'].test).toMatchObject({
      baseUrl: 'https://3dss2test.quipu.de:8000',
      authentication: 'client-certificate',
      typeRids: { purchase: '1' },
    });
    expect(PROCREDIT_PRESETS['procredit-ge'].production).toMatchObject({
      baseUrl: 'https://3dss2.quipu.de:8443',
      typeRids: { purchase: '225' },
    });
    expect(PROCREDIT_PRESETS.kapital.test.baseUrl).toBe('https://txpgtst.kapitalbank.az/api');
    expect(PROCREDIT_PRESETS.kapital.production.typeRids).toEqual({
      purchase: 'Order_SMS',
      preauthorization: 'Order_DMS',
      recurring: 'Order_REC',
    });
    expect(PROCREDIT_PRESETS.millikart.test).toMatchObject({
      baseUrl: 'http://test.millikart.az:8000',
      createOrderBaseUrl: 'https://test.millikart.az:8083',
    });
  });

  it('lets every preset value be overridden', () => {
    const client = createProCreditClient({
      ...settings(),
      typeRids: { purchase: 'Order_SMS_2', recurring: 'REC' },
      amountFormat: 'minor-integer',
      language: 'en',
    });
    expect(client.config).toMatchObject({
      preset: 'kapital',
      environment: 'test',
      baseUrl: `${server.url}/api`,
      typeRids: { purchase: 'Order_SMS_2', preauthorization: 'Order_DMS', recurring: 'REC' },
      amountFormat: 'minor-integer',
      language: 'en',
    });
  });

  it('asks for the URL where a bank publishes none, and for Basic credentials where the bank uses them', () => {
    expect(() =>
      createProCreditClient({
        preset: 'millikart',
        environment: 'production',
        basicAuth: { username: 'u', password: 'p' },
      }),
    ).toThrow(/MilliKart production has no public API URL: pass baseUrl/);
    expect(() => createProCreditClient({ preset: 'kapital' })).toThrow(/HTTP Basic: pass basicAuth/);
    expect(() => createProCreditClient({ ...settings(), baseUrl: 'ftp://x' })).toThrow(ConfigurationError);
  });

  it('sends create-order to its own host when the bank splits them (MilliKart test)', async () => {
    const client = createProCreditClient({
      preset: 'millikart',
      baseUrl: server.url,
      createOrderBaseUrl: orderHost.url,
      basicAuth: { username: 'TerminalSys/Admin', password: '1234' },
    });
    answer = (request) =>
      request.url === '/order'
        ? { status: 200, body: fixture('create-order-response.json').body }
        : undefined;
    const order = await client.createOrder({
      amount: { amount: 1000, currency: 'AZN' },
      hppRedirectUrl: 'https://shop.example/r',
    });
    expect(order.id).toBe('1944');
    expect(orderHost.requests).toHaveLength(1);
    expect(server.requests).toHaveLength(0);
  });
});

describe('create order on the wire', () => {
  it('sends the documented body with Basic auth, and builds the hosted-page URL', async () => {
    answer = (request) =>
      request.url === '/api/order'
        ? { status: 200, body: fixture('create-order-response.json').body }
        : undefined;
    const client = createProCreditClient(settings());
    const order = await client.createOrder({
      amount: { amount: 1000, currency: 'gel' },
      description: 'შეკვეთა 12345',
      hppRedirectUrl: 'https://shop.example/pay/return?ref=12345',
      browser: { ip: '203.0.113.7', screenWidth: 1920, timezoneOffset: -240 },
      hppCofCapturePurposes: ['Cit', 'Recurring'],
      ridByMerchant: '12345',
    });
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('TerminalSys/kapital:kapital123').toString('base64')}`,
    );
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^@colchis\/procredit\//);
    expect(JSON.parse(request?.body ?? '')).toEqual({
      order: {
        typeRid: 'Order_SMS',
        amount: '10.00',
        currency: 'GEL',
        language: 'az',
        description: 'shekveta 12345',
        hppRedirectUrl: 'https://shop.example/pay/return?ref=12345',
        initiationEnvKind: 'Browser',
        consumerDevice: {
          browser: {
            javaEnabled: false,
            jsEnabled: true,
            ip: '203.0.113.7',
            screenW: '1920',
            tzOffset: '-240',
          },
        },
        hppCofCapturePurposes: ['Cit', 'Recurring'],
        ridByMerchant: '12345',
      },
    });
    expect(order).toMatchObject({
      id: '1944',
      password: '2gszuibs780x',
      status: 'Preparing',
      hostedPageUrl: 'https://3dss2test.quipu.de/flex?id=1944&password=2gszuibs780x',
    });
    expect(JSON.stringify(order.raw)).not.toContain('2gszuibs780x');
  });

  it('checks the input before any request', async () => {
    const client = createProCreditClient(settings());
    const attempts = [
      client.createOrder({ amount: { amount: 10.5, currency: 'GEL' } }),
      client.createOrder({ amount: { amount: 0, currency: 'GEL' } }),
      client.createOrder({ amount: { amount: 100, currency: '981' } }),
      client.createOrder({ amount: { amount: 100, currency: 'GEL' }, hppRedirectUrl: '/relative' }),
      client.getOrder('1 OR 1=1'),
    ];
    for (const attempt of attempts) {
      const error = await attempt.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(InvalidRequestError.isInstance(error), String(error)).toBe(true);
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('get order and exec-tran on the wire', () => {
  it('asks for the order with its password and detail levels, and parses the recorded answer', async () => {
    answer = () => ({ status: 200, body: fixture('order-detailed-saved-card.json').body });
    const client = createProCreditClient(settings());
    const order = await client.getOrder(21490, { password: 'rxcv8k2mq0ab' });
    const url = new URL(server.requests[0]?.url ?? '', 'http://x');
    expect(url.pathname).toBe('/api/order/21490');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      password: 'rxcv8k2mq0ab',
      orderDetailLevel: '2',
      tranDetailLevel: '1',
      tokenDetailLevel: '2',
    });
    expect(order.storedTokens?.[0]?.id).toBe(7788);
  });

  it('sends the documented tran bodies for clearing, reversal, refund and a card-on-file charge', async () => {
    answer = () => ({ status: 200, body: fixture('exec-tran-response.json').body });
    const client = createProCreditClient(settings());
    const gel = (amount: number) => ({ amount, currency: 'GEL' });
    const result = await client.clearing(5, { amount: gel(500), password: 'pw5' });
    expect(result.match?.tranActionId).toBe('220921-14111479-000x1d=');
    await client.clearing(5);
    await client.reverse(5);
    await client.reverse(5, { phase: 'Single', amount: gel(100) });
    await client.refund(5, { amount: gel(100) });
    await client.executeTransaction(
      5,
      { phase: 'Single', amount: gel(500), conditions: { cofUsage: 'Cit' } },
      { password: 'pw5' },
    );
    const bodies = server.requests.map((request) => JSON.parse(request.body).tran);
    expect(bodies).toEqual([
      { phase: 'Clearing', amount: '5.00' },
      { phase: 'Clearing' },
      { phase: 'Auth', voidKind: 'Full' },
      { phase: 'Single', voidKind: 'Partial', amount: '1.00' },
      { phase: 'Single', type: 'Refund', amount: '1.00' },
      { phase: 'Single', amount: '5.00', conditions: { cofUsage: 'Cit' } },
    ]);
    expect(server.requests[0]?.url).toBe('/api/order/5/exec-tran?password=pw5');
    expect(server.requests[1]?.url).toBe('/api/order/5/exec-tran');
  });

  it('reads a 200 answer with a declining PMO code as a decline', async () => {
    answer = () => ({ status: 200, body: fixture('exec-tran-declined.json').body });
    const client = createProCreditClient(settings());
    const error = await client.refund(5, { amount: { amount: 100, currency: 'GEL' } }).then(
      () => undefined,
      (caught: unknown) => caught as PaymentDeclinedError,
    );
    expect(PaymentDeclinedError.isInstance(error)).toBe(true);
    expect(error?.declineCode).toBe('insufficient_funds');
  });
});

describe('error bodies', () => {
  const { cases } = fixture<{
    cases: Array<{ status: number; body: unknown; expected: string; declineCode?: string }>;
  }>('errors.json');
  for (const item of cases) {
    it(`reads ${JSON.stringify(item.body)} with HTTP ${item.status} as ${item.expected}`, async () => {
      answer = () => ({ status: item.status, body: item.body });
      const client = createProCreditClient(settings());
      const error = (await client.getOrder(1, { password: 'pw' }).then(
        () => undefined,
        (caught: unknown) => caught,
      )) as ColchisError & { declineCode?: string };
      expect(error?.type).toBe(item.expected);
      expect(error.code).toBe((item.body as { errorCode: string }).errorCode);
      expect(error.message).toContain((item.body as { errorDescription: string }).errorDescription);
      if (item.declineCode) expect(error.declineCode).toBe(item.declineCode);
    });
  }

  it('never puts the order password or the Basic password in an error', async () => {
    answer = () => ({
      status: 400,
      body: { errorCode: 'InvalidRequest', errorDescription: 'bad password secretpw99 for kapital123' },
    });
    const provider = createProCredit(settings());
    const id = encodeProCreditPaymentId({
      orderId: '1',
      password: 'secretpw99',
      expected: { amount: 100, currency: 'GEL' },
    });
    const error = await provider.getPayment(id).then(
      () => undefined,
      (caught: unknown) => caught as ColchisError,
    );
    const text = JSON.stringify([error?.message, error?.toJSON(), String(error?.stack)]);
    expect(error?.type).toBe('InvalidRequestError');
    expect(text).not.toContain('secretpw99');
    expect(text).not.toContain('kapital123');
    expect(text).not.toContain(id);
  });
});
