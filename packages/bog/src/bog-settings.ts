import {
  type ClientSettings,
  ConfigurationError,
  loadEnumSetting,
  loadOptionalSetting,
  normalizePublicKeyPem,
} from '@colchis/core';
import { BOG_CALLBACK_PUBLIC_KEYS } from './bog-callback-public-keys.js';
import { BOG_ENVIRONMENT_NAMES, BOG_ENVIRONMENTS, type BogEnvironment } from './bog-environments.js';

/** Hosted page language (`Accept-Language` of create order): Georgian (the bank's default) or English. */
export type BogLanguage = 'ka' | 'en';

/** Hosted page theme (`Theme` header of create order). */
export type BogTheme = 'light' | 'dark';

/**
 * Settings of {@link BogClient} and {@link createBog}. Everything is optional: credentials and the
 * environment fall back to environment variables, URLs and the callback key to the environment's
 * published values.
 */
export interface BogSettings extends ClientSettings {
  /** OAuth client id. Default: the `BOG_CLIENT_ID` environment variable. */
  clientId?: string | undefined;
  /** OAuth client secret. Default: the `BOG_CLIENT_SECRET` environment variable. Never logged. */
  clientSecret?: string | undefined;
  /**
   * `production` (default) or `sandbox`: picks the token, API and hosted-page hosts and the
   * callback public key. Default: the `BOG_ENVIRONMENT` environment variable, else `production`.
   */
  environment?: BogEnvironment | undefined;
  /** Overrides the token endpoint (`BOG_TOKEN_URL`). */
  tokenUrl?: string | undefined;
  /** Overrides the Payments API base, e.g. `https://api.bog.ge/payments/v1` (`BOG_API_URL`). */
  apiUrl?: string | undefined;
  /** Overrides the hosted payment page (`BOG_PAYMENT_PAGE_URL`). */
  paymentPageUrl?: string | undefined;
  /**
   * Overrides the public key callbacks are verified with (`BOG_CALLBACK_PUBLIC_KEY`). Accepts PEM,
   * PEM with escaped `\n` (as environment variables hold it) or the bare base64 body. Only needed
   * if Bank of Georgia rotates its key, or for a sandbox of your own: the published production and
   * sandbox keys are built in.
   */
  callbackPublicKey?: string | undefined;
  /**
   * Default `callback_url` for orders created through the provider, when `webhookUrl` is not
   * given per payment (`BOG_CALLBACK_URL`). Bank of Georgia requires one per order.
   */
  callbackUrl?: string | undefined;
  /** Default hosted page language (`Accept-Language`). BOG's own default is `ka`. */
  language?: BogLanguage | undefined;
  /** Default hosted page theme (`Theme`). BOG's own default is `light`. */
  theme?: BogTheme | undefined;
}

/** {@link BogSettings} with every default applied (credentials are checked when first needed). */
export interface ResolvedBogSettings {
  environment: BogEnvironment;
  tokenUrl: string;
  apiUrl: string;
  paymentPageUrl: string;
  /** The callback key as PEM. */
  callbackPublicKey: string;
  clientId: string | undefined;
  clientSecret: string | undefined;
  callbackUrl: string | undefined;
  language: BogLanguage | undefined;
  theme: BogTheme | undefined;
  /** `true` when the API is one of Bank of Georgia's real hosts (not a sandbox of your own). */
  officialApi: boolean;
}

/**
 * Applies defaults and environment variables to {@link BogSettings} and checks what can be checked
 * without a request (environment name, URLs, the callback key).
 * @throws ConfigurationError naming the setting to fix.
 */
export function resolveBogSettings(settings: BogSettings = {}): ResolvedBogSettings {
  const environment = loadEnumSetting<BogEnvironment>({
    value: settings.environment,
    settingName: 'environment',
    environmentVariableName: 'BOG_ENVIRONMENT',
    description: 'Bank of Georgia environment',
    allowed: BOG_ENVIRONMENT_NAMES,
    defaultValue: 'production',
  });
  const defaults = BOG_ENVIRONMENTS[environment];
  const apiUrl = readUrl(settings.apiUrl, 'apiUrl', 'BOG_API_URL') ?? defaults.apiUrl;
  const keyText =
    loadOptionalSetting({
      value: settings.callbackPublicKey,
      settingName: 'callbackPublicKey',
      environmentVariableName: 'BOG_CALLBACK_PUBLIC_KEY',
    }) ?? BOG_CALLBACK_PUBLIC_KEYS[environment];
  let callbackPublicKey: string;
  try {
    callbackPublicKey = normalizePublicKeyPem(keyText);
  } catch (error) {
    throw new ConfigurationError(
      `The Bank of Georgia callback public key (\`callbackPublicKey\` or BOG_CALLBACK_PUBLIC_KEY) is not a public key: ${(error as Error).message} Leave it unset to use the key Bank of Georgia publishes for the ${environment} environment.`,
      { cause: error },
    );
  }
  const language = settings.language;
  if (language !== undefined && language !== 'ka' && language !== 'en') {
    throw new ConfigurationError(
      `Bank of Georgia \`language\` must be "ka" or "en", got ${JSON.stringify(language)}.`,
    );
  }
  const theme = settings.theme;
  if (theme !== undefined && theme !== 'light' && theme !== 'dark') {
    throw new ConfigurationError(
      `Bank of Georgia \`theme\` must be "light" or "dark", got ${JSON.stringify(theme)}.`,
    );
  }
  return {
    environment,
    tokenUrl: readUrl(settings.tokenUrl, 'tokenUrl', 'BOG_TOKEN_URL') ?? defaults.tokenUrl,
    apiUrl: apiUrl.replace(/\/+$/, ''),
    paymentPageUrl:
      readUrl(settings.paymentPageUrl, 'paymentPageUrl', 'BOG_PAYMENT_PAGE_URL') ?? defaults.paymentPageUrl,
    callbackPublicKey,
    clientId: loadOptionalSetting({
      value: settings.clientId,
      settingName: 'clientId',
      environmentVariableName: 'BOG_CLIENT_ID',
    }),
    clientSecret: loadOptionalSetting({
      value: settings.clientSecret,
      settingName: 'clientSecret',
      environmentVariableName: 'BOG_CLIENT_SECRET',
    }),
    callbackUrl: readUrl(settings.callbackUrl, 'callbackUrl', 'BOG_CALLBACK_URL'),
    language,
    theme,
    officialApi: isBogHost(apiUrl),
  };
}

/** `true` for Bank of Georgia's own hosts (`*.bog.ge`), whichever environment they belong to. */
function isBogHost(url: string): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return host === 'bog.ge' || host.endsWith('.bog.ge');
}

function readUrl(
  value: string | undefined,
  settingName: string,
  environmentVariableName: string,
): string | undefined {
  const text = loadOptionalSetting({ value, settingName, environmentVariableName });
  if (text === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new ConfigurationError(
      `Bank of Georgia \`${settingName}\` (${environmentVariableName}) must be an absolute URL, got ${JSON.stringify(text)}.`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigurationError(
      `Bank of Georgia \`${settingName}\` (${environmentVariableName}) must be an http(s) URL, got ${JSON.stringify(text)}.`,
    );
  }
  return text;
}
