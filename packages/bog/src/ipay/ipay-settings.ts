import {
  type ClientSettings,
  ConfigurationError,
  loadEnumSetting,
  loadOptionalSetting,
  loadSetting,
  type TokenCache,
} from '@colchis/core';

/** iPay environments: `production` (`ipay.ge`) and `sandbox` (`dev.ipay.ge`). */
export type IpayEnvironment = 'production' | 'sandbox';

/** Base URLs of the iPay API per environment. The token endpoint is `{baseUrl}/oauth2/token`. */
export const IPAY_ENVIRONMENTS: Readonly<Record<IpayEnvironment, { baseUrl: string }>> = Object.freeze({
  production: { baseUrl: 'https://ipay.ge/opay/api/v1' },
  sandbox: { baseUrl: 'https://dev.ipay.ge/opay/api/v1' },
});

/** Settings of {@link createIpayClient}: credentials, environment, and core's HTTP settings. */
export interface IpayClientSettings extends ClientSettings {
  /** The merchant's `client_id`. Default: the `IPAY_CLIENT_ID` environment variable. */
  clientId?: string | undefined;
  /** The merchant's `secret_key`. Default: the `IPAY_SECRET_KEY` environment variable. */
  secretKey?: string | undefined;
  /** `production` (default) or `sandbox`. Default: the `IPAY_ENVIRONMENT` environment variable. */
  environment?: IpayEnvironment | undefined;
  /**
   * Overrides the API base URL (e.g. the Colchis sandbox). Default: the `IPAY_BASE_URL`
   * environment variable, else the environment's URL.
   */
  baseUrl?: string | undefined;
  /** Overrides the token URL. Default `{baseUrl}/oauth2/token` (iPay's own, not Payments v1's Keycloak). */
  tokenUrl?: string | undefined;
  /**
   * A token cache to use instead of the process-wide one shared by clients with the same
   * credentials (e.g. one backed by Redis for many processes).
   */
  tokenCache?: TokenCache | undefined;
}

/** Settings after defaults and environment variables were applied. */
export interface ResolvedIpaySettings {
  clientId: string;
  secretKey: string;
  environment: IpayEnvironment;
  baseUrl: string;
  tokenUrl: string;
}

// Hosts of the Payments v1 API. Pointing the iPay client at them is the most common BOG mistake
// (an iPay body to a v1 endpoint, or a v1 Keycloak token for iPay): say so before any request.
const PAYMENTS_V1_TOKEN_HOST = /^https?:\/\/oauth2(-sandbox)?\.bog\.ge\//i;
const PAYMENTS_V1_API = /^https?:\/\/api(-sandbox)?\.bog\.ge\//i;

/** Applies defaults and environment variables, and rejects settings that cannot work. */
export function resolveIpaySettings(settings: IpayClientSettings): ResolvedIpaySettings {
  const clientId = loadSetting({
    value: settings.clientId,
    settingName: 'clientId',
    environmentVariableName: 'IPAY_CLIENT_ID',
    description: 'iPay client_id',
  });
  const secretKey = loadSetting({
    value: settings.secretKey,
    settingName: 'secretKey',
    environmentVariableName: 'IPAY_SECRET_KEY',
    description: 'iPay secret_key',
  });
  const environment = loadEnumSetting<IpayEnvironment>({
    value: settings.environment,
    settingName: 'environment',
    environmentVariableName: 'IPAY_ENVIRONMENT',
    description: 'iPay environment',
    allowed: ['production', 'sandbox'],
    defaultValue: 'production',
  });
  const baseUrl = trimSlash(
    loadOptionalSetting({
      value: settings.baseUrl,
      settingName: 'baseUrl',
      environmentVariableName: 'IPAY_BASE_URL',
    }) ?? IPAY_ENVIRONMENTS[environment].baseUrl,
  );
  const tokenUrl = settings.tokenUrl?.trim() || `${baseUrl}/oauth2/token`;
  checkUrl(baseUrl, 'baseUrl');
  checkUrl(tokenUrl, 'tokenUrl');
  if (PAYMENTS_V1_API.test(baseUrl) || /\/payments\/v1(\/|$)/.test(baseUrl)) {
    throw new ConfigurationError(
      `iPay baseUrl ${baseUrl} is the Bank of Georgia Payments API v1, a different protocol. Use createBog from "@colchis/bog" for it, or point iPay at ${IPAY_ENVIRONMENTS.production.baseUrl} (sandbox ${IPAY_ENVIRONMENTS.sandbox.baseUrl}).`,
      { provider: 'ipay' },
    );
  }
  if (PAYMENTS_V1_TOKEN_HOST.test(tokenUrl)) {
    throw new ConfigurationError(
      `iPay tokenUrl ${tokenUrl} is the Payments v1 (Keycloak) token endpoint; its tokens are not valid for iPay. iPay issues its own at {baseUrl}/oauth2/token: remove the tokenUrl setting.`,
      { provider: 'ipay' },
    );
  }
  return { clientId, secretKey, environment, baseUrl, tokenUrl };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function checkUrl(url: string, name: string): void {
  if (!/^https?:\/\/[^\s/]+/i.test(url)) {
    throw new ConfigurationError(
      `iPay ${name} ${JSON.stringify(url)} is not an absolute http(s) URL such as "${IPAY_ENVIRONMENTS.production.baseUrl}".`,
      { provider: 'ipay' },
    );
  }
}
