import { AuthenticationError, ConfigurationError } from '@colchis/core';
import { type FaultServer, type RecordedRequest, startFaultServer } from '@colchis/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { basicAuthorization, bogTokenExpiry, jwtExpiry } from './bog-auth.js';
import { BogClient } from './bog-client.js';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
const receipt = {
  order_id: 'order-1',
  order_status: { key: 'completed' },
  purchase_units: { request_amount: '1.0' },
};

let server: FaultServer;
let expiresIn: unknown = 3600;
let accessToken = () => `token-${globalThis.crypto.randomUUID()}`;
let tokenStatus = 200;

beforeAll(async () => {
  server = await startFaultServer((request: RecordedRequest) => {
    if (request.url === '/token') {
      if (tokenStatus !== 200) {
        return {
          status: tokenStatus,
          body: { error: 'invalid_client', error_description: 'Invalid client credentials' },
        };
      }
      return {
        status: 200,
        body: { access_token: accessToken(), token_type: 'Bearer', expires_in: expiresIn },
      };
    }
    if (request.url.startsWith('/payments/v1/receipt/')) return { status: 200, body: receipt };
    return undefined;
  });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  vi.useRealTimers();
  server.reset();
  expiresIn = 3600;
  tokenStatus = 200;
  accessToken = () => `token-${globalThis.crypto.randomUUID()}`;
});

function client(clientId: string, clientSecret = 'top-secret-value-123') {
  return new BogClient({
    clientId,
    clientSecret,
    environment: 'sandbox',
    tokenUrl: `${server.url}/token`,
    apiUrl: `${server.url}/payments/v1`,
    maxRetries: 0,
  });
}
const tokenRequests = () => server.requests.filter((request) => request.url === '/token');

function jwt(payload: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256' })}.${encode(payload)}.signature`;
}

describe('bogTokenExpiry', () => {
  it('reads expires_in as seconds, epoch seconds or epoch milliseconds', () => {
    expect(bogTokenExpiry(300, 'opaque', NOW)).toBe(NOW + 300_000);
    expect(bogTokenExpiry('300', 'opaque', NOW)).toBe(NOW + 300_000);
    expect(bogTokenExpiry(NOW / 1000 + 900, 'opaque', NOW)).toBe(NOW + 900_000);
    expect(bogTokenExpiry(NOW + 900_000, 'opaque', NOW)).toBe(NOW + 900_000);
  });

  it('ignores a value already in the past, such as the docs example 1634719923245', () => {
    expect(bogTokenExpiry(1634719923245, 'opaque', NOW)).toBe(NOW + 300_000);
    expect(bogTokenExpiry(null, 'opaque', NOW)).toBe(NOW + 300_000);
    expect(bogTokenExpiry('soon', 'opaque', NOW)).toBe(NOW + 300_000);
  });

  it('trusts no token for more than an hour, and takes the JWT exp when it is sooner', () => {
    expect(bogTokenExpiry(86_400, 'opaque', NOW)).toBe(NOW + 3_600_000);
    const token = jwt({ exp: NOW / 1000 + 120 });
    expect(jwtExpiry(token)).toBe(NOW + 120_000);
    expect(bogTokenExpiry(3600, token, NOW)).toBe(NOW + 120_000);
    expect(bogTokenExpiry(1634719923245, token, NOW)).toBe(NOW + 120_000);
    expect(jwtExpiry('not-a-jwt')).toBeUndefined();
  });
});

describe('token cache', () => {
  for (const [label, value] of [
    ['seconds', () => 600],
    ['epoch seconds', () => Date.now() / 1000 + 600],
    ['epoch milliseconds', () => Date.now() + 600_000],
  ] as const) {
    it(`reuses a token until shortly before it expires (expires_in in ${label})`, async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(NOW);
      expiresIn = Math.round(value());
      const bog = client(`expiry-${label}`);
      await bog.getPaymentDetails('order-1');
      await bog.getPaymentDetails('order-1');
      expect(tokenRequests()).toHaveLength(1);
      vi.setSystemTime(NOW + 500_000); // inside the lifetime, before the one-minute refresh margin
      await bog.getPaymentDetails('order-1');
      expect(tokenRequests()).toHaveLength(1);
      vi.setSystemTime(NOW + 545_000); // within a minute of expiry: refreshed early
      await bog.getPaymentDetails('order-1');
      expect(tokenRequests()).toHaveLength(2);
    });
  }

  it('shares one token fetch among concurrent calls and clients with the same credentials', async () => {
    const first = client('shared-client');
    const second = client('shared-client');
    await Promise.all([
      first.getPaymentDetails('order-1'),
      second.getPaymentDetails('order-1'),
      first.getAccessToken(),
    ]);
    expect(tokenRequests()).toHaveLength(1);
    await client('shared-client', 'another-secret-456').getAccessToken();
    expect(tokenRequests()).toHaveLength(2);
  });

  it('asks with HTTP Basic client credentials and grant_type=client_credentials', async () => {
    await client('basic-client', 'sécret:with-colon').getAccessToken();
    const [request] = tokenRequests();
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('basic-client:sécret:with-colon', 'utf8').toString('base64')}`,
    );
    expect(request?.headers.authorization).toBe(basicAuthorization('basic-client', 'sécret:with-colon'));
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.body).toBe('grant_type=client_credentials');
  });

  it('reports missing credentials as ConfigurationError before any request', async () => {
    const bog = new BogClient({
      environment: 'sandbox',
      tokenUrl: `${server.url}/token`,
      apiUrl: `${server.url}/payments/v1`,
    });
    await expect(bog.getPaymentDetails('order-1')).rejects.toSatisfy(
      (error) => ConfigurationError.isInstance(error) && /BOG_CLIENT_ID/.test((error as Error).message),
    );
    expect(server.requests).toHaveLength(0);
  });

  it('reports refused credentials as AuthenticationError without the secret', async () => {
    tokenStatus = 401;
    const error = await client('refused-client', 'do-not-leak-this-secret')
      .getPaymentDetails('order-1')
      .catch((caught: unknown) => caught);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/BOG_CLIENT_SECRET/);
    expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toContain(
      'do-not-leak-this-secret',
    );
  });
});
