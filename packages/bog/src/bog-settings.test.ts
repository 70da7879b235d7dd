import { ConfigurationError } from '@colchis/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BOG_CALLBACK_PUBLIC_KEYS } from './bog-callback-public-keys.js';
import { BOG_ENVIRONMENTS } from './bog-environments.js';
import { bog } from './bog-provider.js';
import { resolveBogSettings } from './bog-settings.js';

const PRODUCTION_BODY = BOG_CALLBACK_PUBLIC_KEYS.production
  .replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '')
  .replace(/\s+/g, '');

function configurationError(run: () => unknown, message: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected a ConfigurationError');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('environments', () => {
  it('defaults to production, with its hosts and its callback key', () => {
    const settings = resolveBogSettings({});
    expect(settings.environment).toBe('production');
    expect(settings.tokenUrl).toBe('https://oauth2.bog.ge/auth/realms/bog/protocol/openid-connect/token');
    expect(settings.apiUrl).toBe('https://api.bog.ge/payments/v1');
    expect(settings.paymentPageUrl).toBe('https://payment.bog.ge/');
    expect(settings.callbackPublicKey).toBe(BOG_CALLBACK_PUBLIC_KEYS.production);
    expect(settings.officialApi).toBe(true);
  });

  it('switches hosts and callback key with the sandbox environment', () => {
    const settings = resolveBogSettings({ environment: 'sandbox' });
    expect(settings).toMatchObject(BOG_ENVIRONMENTS.sandbox);
    expect(settings.callbackPublicKey).toBe(BOG_CALLBACK_PUBLIC_KEYS.sandbox);
    expect(BOG_CALLBACK_PUBLIC_KEYS.sandbox).not.toBe(BOG_CALLBACK_PUBLIC_KEYS.production);
  });

  it('reads BOG_ENVIRONMENT, BOG_CLIENT_ID and BOG_CLIENT_SECRET', () => {
    vi.stubEnv('BOG_ENVIRONMENT', 'sandbox');
    vi.stubEnv('BOG_CLIENT_ID', 'from-env');
    vi.stubEnv('BOG_CLIENT_SECRET', 'secret-from-env');
    const settings = resolveBogSettings();
    expect(settings.environment).toBe('sandbox');
    expect(settings.clientId).toBe('from-env');
    expect(settings.clientSecret).toBe('secret-from-env');
    expect(resolveBogSettings({ clientId: 'explicit' }).clientId).toBe('explicit');
  });

  it('takes explicit URL overrides, and says when one is malformed', () => {
    const settings = resolveBogSettings({
      environment: 'sandbox',
      apiUrl: 'http://127.0.0.1:4010/bog/payments/v1/',
      tokenUrl: 'http://127.0.0.1:4010/token',
      paymentPageUrl: 'http://127.0.0.1:4010/page',
    });
    expect(settings.apiUrl).toBe('http://127.0.0.1:4010/bog/payments/v1');
    expect(settings.tokenUrl).toBe('http://127.0.0.1:4010/token');
    expect(settings.paymentPageUrl).toBe('http://127.0.0.1:4010/page');
    expect(settings.officialApi).toBe(false);
    // BOG's own hosts stay official whichever environment they are combined with.
    expect(resolveBogSettings({ apiUrl: 'https://api-sandbox.bog.ge/payments/v1' }).officialApi).toBe(true);
    configurationError(() => resolveBogSettings({ apiUrl: 'api.bog.ge' }), /apiUrl.*absolute URL/);
    configurationError(() => resolveBogSettings({ tokenUrl: 'ftp://x.ge/token' }), /http\(s\) URL/);
  });

  it('refuses an unknown environment, naming the allowed ones', () => {
    configurationError(
      () => resolveBogSettings({ environment: 'staging' as 'sandbox' }),
      /"production", "sandbox"/,
    );
  });
});

describe('callback public key', () => {
  it('accepts PEM, PEM with escaped newlines and bare base64', () => {
    const escaped = BOG_CALLBACK_PUBLIC_KEYS.production.replace(/\n/g, '\\n');
    for (const key of [
      BOG_CALLBACK_PUBLIC_KEYS.production,
      escaped,
      PRODUCTION_BODY,
      `  ${PRODUCTION_BODY}\n`,
    ]) {
      const pem = resolveBogSettings({ environment: 'sandbox', callbackPublicKey: key }).callbackPublicKey;
      expect(pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '')).toBe(PRODUCTION_BODY);
      expect(pem.startsWith('-----BEGIN PUBLIC KEY-----')).toBe(true);
    }
  });

  it('reads BOG_CALLBACK_PUBLIC_KEY', () => {
    vi.stubEnv('BOG_CALLBACK_PUBLIC_KEY', PRODUCTION_BODY);
    const pem = resolveBogSettings({ environment: 'sandbox' }).callbackPublicKey;
    expect(pem).toContain(PRODUCTION_BODY.slice(0, 64));
  });

  it('refuses something that is not a key', () => {
    configurationError(() => resolveBogSettings({ callbackPublicKey: 'not a key!' }), /callback public key/);
  });
});

describe('the default provider', () => {
  it('is configured on first use, never at import, and rejects (not throws) on a bad environment', async () => {
    vi.stubEnv('BOG_ENVIRONMENT', 'staging');
    expect(bog.id).toBe('bog');
    expect(bog.capabilities.webhooks).toBe('signed');
    const call = bog.getPayment('order-1');
    expect(call).toBeInstanceOf(Promise);
    await expect(call).rejects.toSatisfy((error) => ConfigurationError.isInstance(error));
  });
});
