import { ConfigurationError } from '@colchis/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIpay } from './ipay-provider.js';
import { IPAY_ENVIRONMENTS, resolveIpaySettings } from './ipay-settings.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('ipay settings', () => {
  it('picks the environment URLs and iPay’s own token endpoint', () => {
    expect(resolveIpaySettings({ clientId: '1006', secretKey: 's' })).toEqual({
      clientId: '1006',
      secretKey: 's',
      environment: 'production',
      baseUrl: 'https://ipay.ge/opay/api/v1',
      tokenUrl: 'https://ipay.ge/opay/api/v1/oauth2/token',
    });
    const sandbox = resolveIpaySettings({ clientId: '1006', secretKey: 's', environment: 'sandbox' });
    expect(sandbox.baseUrl).toBe(IPAY_ENVIRONMENTS.sandbox.baseUrl);
    expect(sandbox.tokenUrl).toBe('https://dev.ipay.ge/opay/api/v1/oauth2/token');
    expect(
      resolveIpaySettings({ clientId: 'a', secretKey: 's', baseUrl: 'http://127.0.0.1:9/x/' }).tokenUrl,
    ).toBe('http://127.0.0.1:9/x/oauth2/token');
  });

  it('reads IPAY_* environment variables', () => {
    vi.stubEnv('IPAY_CLIENT_ID', 'env-client');
    vi.stubEnv('IPAY_SECRET_KEY', 'env-secret');
    vi.stubEnv('IPAY_ENVIRONMENT', 'sandbox');
    expect(resolveIpaySettings({})).toMatchObject({ clientId: 'env-client', environment: 'sandbox' });
    expect(createIpay().client.baseUrl).toBe(IPAY_ENVIRONMENTS.sandbox.baseUrl);
  });

  it('names the setting and the environment variable when credentials are missing', () => {
    vi.stubEnv('IPAY_CLIENT_ID', '');
    vi.stubEnv('IPAY_SECRET_KEY', '');
    expect(() => createIpay({ clientId: '1006' })).toThrow(/secretKey.*IPAY_SECRET_KEY/);
    expect(() => createIpay({ secretKey: 's' })).toThrow(/clientId.*IPAY_CLIENT_ID/);
    expect(() =>
      resolveIpaySettings({ clientId: 'a', secretKey: 's', environment: 'live' as never }),
    ).toThrow(ConfigurationError);
  });

  it('refuses the Payments v1 hosts, the most common BOG mix-up', () => {
    expect(() =>
      resolveIpaySettings({
        clientId: 'a',
        secretKey: 's',
        tokenUrl: 'https://oauth2.bog.ge/auth/realms/bog/protocol/openid-connect/token',
      }),
    ).toThrow(/Payments v1 \(Keycloak\)/);
    expect(() =>
      resolveIpaySettings({ clientId: 'a', secretKey: 's', baseUrl: 'https://api.bog.ge/payments/v1' }),
    ).toThrow(/createBog/);
    expect(() => resolveIpaySettings({ clientId: 'a', secretKey: 's', baseUrl: 'ipay.ge' })).toThrow(
      /absolute http\(s\) URL/,
    );
  });
});
