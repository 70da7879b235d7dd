import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from './errors.js';
import { loadEnumSetting, loadOptionalSetting, loadSetting, readEnvironment } from './load-setting.js';

const spec = {
  settingName: 'clientSecret',
  environmentVariableName: 'COLCHIS_TEST_CLIENT_SECRET',
  description: 'Bank of Georgia client secret',
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

function configurationError(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    expect(ConfigurationError.isInstance(error)).toBe(true);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadSetting', () => {
  it('prefers the option, trimmed', () => {
    vi.stubEnv('COLCHIS_TEST_CLIENT_SECRET', 'from-env');
    expect(loadSetting({ ...spec, value: '  from-option\n' })).toBe('from-option');
  });

  it('falls back to the environment variable, also when the option is blank', () => {
    vi.stubEnv('COLCHIS_TEST_CLIENT_SECRET', ' from-env ');
    expect(loadSetting({ ...spec, value: undefined })).toBe('from-env');
    expect(loadSetting({ ...spec, value: null })).toBe('from-env');
    expect(loadSetting({ ...spec, value: '' })).toBe('from-env');
    expect(loadSetting({ ...spec, value: '   ' })).toBe('from-env');
  });

  it('names both the option and the environment variable when missing', () => {
    vi.stubEnv('COLCHIS_TEST_CLIENT_SECRET', '');
    const error = configurationError(() => loadSetting({ ...spec, value: undefined }));
    expect(error.message).toBe(
      'Bank of Georgia client secret is missing. Pass it as the `clientSecret` option or set the COLCHIS_TEST_CLIENT_SECRET environment variable.',
    );
    vi.stubEnv('COLCHIS_TEST_CLIENT_SECRET', '   ');
    expect(() => loadSetting({ ...spec, value: ' ' })).toThrow(/clientSecret.*COLCHIS_TEST_CLIENT_SECRET/);
  });
});

describe('loadOptionalSetting', () => {
  it('returns undefined when neither is set', () => {
    expect(loadOptionalSetting({ ...spec, value: undefined })).toBeUndefined();
    vi.stubEnv('COLCHIS_TEST_CLIENT_SECRET', 'x');
    expect(
      loadOptionalSetting({
        settingName: 'a',
        environmentVariableName: 'COLCHIS_TEST_CLIENT_SECRET',
        value: null,
      }),
    ).toBe('x');
  });
});

describe('readEnvironment', () => {
  it('reads process.env and treats empty as unset', () => {
    vi.stubEnv('COLCHIS_TEST_A', 'value');
    vi.stubEnv('COLCHIS_TEST_B', '');
    expect(readEnvironment('COLCHIS_TEST_A')).toBe('value');
    expect(readEnvironment('COLCHIS_TEST_B')).toBeUndefined();
    expect(readEnvironment('COLCHIS_TEST_NEVER_SET')).toBeUndefined();
  });

  it('works where there is no process (edge runtimes) or env access throws (Deno without --allow-env)', () => {
    vi.stubGlobal('process', undefined);
    expect(readEnvironment('PATH')).toBeUndefined();
    vi.unstubAllGlobals();
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('Requires env access');
        },
      },
    );
    vi.stubGlobal('process', { env: throwing });
    expect(readEnvironment('PATH')).toBeUndefined();
    expect(loadOptionalSetting({ ...spec, value: 'option-still-works' })).toBe('option-still-works');
  });
});

describe('loadEnumSetting', () => {
  const environment = {
    settingName: 'environment',
    environmentVariableName: 'COLCHIS_TEST_ENVIRONMENT',
    description: 'Bank of Georgia environment',
    allowed: ['production', 'sandbox'] as const,
    defaultValue: 'production' as const,
  };

  it('returns the default when unset, the value when allowed, in any case', () => {
    expect(loadEnumSetting({ ...environment, value: undefined })).toBe('production');
    expect(loadEnumSetting({ ...environment, value: 'sandbox' })).toBe('sandbox');
    expect(loadEnumSetting({ ...environment, value: ' Sandbox ' })).toBe('sandbox');
    vi.stubEnv('COLCHIS_TEST_ENVIRONMENT', 'SANDBOX');
    expect(loadEnumSetting({ ...environment, value: undefined })).toBe('sandbox');
    const upper = { ...environment, allowed: ['TEST', 'LIVE'] as const, defaultValue: 'TEST' as const };
    expect(loadEnumSetting({ ...upper, value: 'live' })).toBe('LIVE');
  });

  it('lists the allowed values and names both places when the value is wrong', () => {
    vi.stubEnv('COLCHIS_TEST_ENVIRONMENT', 'staging');
    const error = configurationError(() => loadEnumSetting({ ...environment, value: undefined }));
    expect(error.message).toBe(
      'Bank of Georgia environment "staging" is not one of "production", "sandbox". Fix the `environment` option or the COLCHIS_TEST_ENVIRONMENT environment variable.',
    );
  });
});
