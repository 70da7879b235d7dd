import {
  type ClientSettings,
  ConfigurationError,
  loadOptionalSetting,
  loadSetting,
  readEnvironment,
} from '@colchis/core';

/** ioka's two environments: `stage` (test keys, test cards) and `production` (real money). */
export type IokaEnvironment = 'stage' | 'production';

/** API hosts per environment (OpenAPI 2.8 `servers`). Paths start with `/v2`. */
export const IOKA_API_URLS: Readonly<Record<IokaEnvironment, string>> = Object.freeze({
  stage: 'https://stage-api.ioka.kz',
  production: 'https://api.ioka.kz',
});

/** Settings of {@link createIokaClient}. */
export interface IokaSettings extends ClientSettings {
  /**
   * The shop's secret API key, sent as the `API-KEY` header. Default: the `IOKA_API_KEY`
   * environment variable, read on the first request (so a webhook-only process needs none).
   */
  apiKey?: string | undefined;
  /**
   * `stage` (default) or `production`. Default: the `IOKA_ENVIRONMENT` environment variable
   * (`test` and `live` are accepted as aliases). Stage keys do not work on production and vice versa.
   */
  environment?: IokaEnvironment | undefined;
  /**
   * Overrides the environment's host, e.g. the Colchis sandbox or a proxy (a trailing `/v2` is
   * dropped). Default: the `IOKA_BASE_URL` environment variable, else the environment's host.
   */
  baseUrl?: string | undefined;
}

/** {@link IokaSettings} with the environment and URL decided and the API key loaded on demand. */
export interface ResolvedIokaSettings {
  environment: IokaEnvironment;
  baseUrl: string;
  /** Loads the key on first use. @throws ConfigurationError when there is none. */
  apiKey(): string;
  /** The key if it has been loaded, for redaction. */
  loadedApiKey(): string | undefined;
}

const ENVIRONMENT_ALIASES: Readonly<Record<string, IokaEnvironment>> = {
  stage: 'stage',
  test: 'stage',
  testing: 'stage',
  sandbox: 'stage',
  production: 'production',
  prod: 'production',
  live: 'production',
};

/**
 * Decides environment and base URL (throwing `ConfigurationError` for an unknown
 * environment name), and defers the API key to the first request.
 */
export function resolveIokaSettings(settings: IokaSettings): ResolvedIokaSettings {
  const rawEnvironment = settings.environment ?? readEnvironment('IOKA_ENVIRONMENT');
  let environment: IokaEnvironment = 'stage';
  if (rawEnvironment !== undefined) {
    const match = ENVIRONMENT_ALIASES[String(rawEnvironment).trim().toLowerCase()];
    if (!match) {
      throw new ConfigurationError(
        `ioka environment ${JSON.stringify(rawEnvironment)} is not "stage" or "production". Fix the \`environment\` option or the IOKA_ENVIRONMENT environment variable.`,
        { provider: 'ioka' },
      );
    }
    environment = match;
  }
  const configuredUrl = loadOptionalSetting({
    value: settings.baseUrl,
    settingName: 'baseUrl',
    environmentVariableName: 'IOKA_BASE_URL',
  });
  let baseUrl = IOKA_API_URLS[environment];
  if (configuredUrl !== undefined) {
    if (!/^https?:\/\/[^/\s]+/i.test(configuredUrl)) {
      throw new ConfigurationError(
        `ioka baseUrl ${JSON.stringify(configuredUrl)} is not an http(s) URL such as "https://stage-api.ioka.kz".`,
        { provider: 'ioka' },
      );
    }
    // Paths already start with /v2: "https://api.ioka.kz/v2" would otherwise become /v2/v2.
    baseUrl = configuredUrl.replace(/\/+$/, '').replace(/\/v2$/i, '');
  }
  let apiKey: string | undefined;
  return {
    environment,
    baseUrl,
    apiKey() {
      apiKey ??= loadSetting({
        value: settings.apiKey,
        settingName: 'apiKey',
        environmentVariableName: 'IOKA_API_KEY',
        description: 'ioka API key',
      });
      return apiKey;
    },
    loadedApiKey: () => apiKey ?? settings.apiKey,
  };
}
