import {
  type ClientSettings,
  ConfigurationError,
  loadEnumSetting,
  loadOptionalSetting,
  readEnvironment,
} from '@colchis/core';
import {
  type LoadedTlsMaterial,
  loadTlsMaterial,
  type ProCreditTlsSettings,
} from './procredit-certificates.js';
import {
  PROCREDIT_PRESETS,
  type ProCreditAmountFormat,
  type ProCreditEnvironment,
  type ProCreditPreset,
  type ProCreditPresetName,
  type ProCreditTypeRids,
} from './procredit-presets.js';
import type { NodeModules } from './procredit-runtime.js';

/** HTTP Basic credentials, for the banks that use them (Kapital, MilliKart, ForteBank). */
export interface ProCreditBasicAuth {
  username: string;
  password: string;
}

/** Settings of the ProCredit (TXPG protocol) client and provider. */
export interface ProCreditSettings extends ClientSettings {
  /** Which bank's deployment. Default `procredit-ge`. */
  preset?: ProCreditPresetName | undefined;
  /** Default `test` (or `PROCREDIT_ENVIRONMENT`). */
  environment?: ProCreditEnvironment | undefined;
  /** API base URL including any path prefix. Default: the preset's (or `PROCREDIT_BASE_URL`). */
  baseUrl?: string | undefined;
  /** Base URL for `POST /order` when the bank uses another host for it. Default: `baseUrl`. */
  createOrderBaseUrl?: string | undefined;
  /**
   * Your merchant id. Optional: when set, Colchis checks at construction that the client
   * certificate's CN matches it (the bank identifies the merchant by the CN).
   */
  merchantId?: string | undefined;
  /** Client certificate, key and CA bundle for mutual TLS (ProCredit/Quipu). */
  tls?: ProCreditTlsSettings | undefined;
  /** HTTP Basic credentials (Kapital, MilliKart). */
  basicAuth?: ProCreditBasicAuth | undefined;
  /** Order types; each overrides the preset's. */
  typeRids?: Partial<ProCreditTypeRids> | undefined;
  /** Amount format on the wire. Default: the preset's (`major-string`). */
  amountFormat?: ProCreditAmountFormat | undefined;
  /** Default hosted-page language. Default: the preset's. */
  language?: string | undefined;
  /** Longest description the bank accepts. Default 120 (ProCredit's Latin-only limit in practice). */
  descriptionMaxLength?: number | undefined;
  /**
   * Send the order password on `exec-tran` when it is known. Some deployments require it, others
   * ignore it. Default `true`.
   */
  sendPasswordOnExecute?: boolean | undefined;
  /** Milliseconds to establish TCP + TLS. Default 10 000. */
  connectTimeoutMs?: number | undefined;
}

/** Settings after presets, environment variables and TLS files were applied. */
export interface ResolvedProCreditSettings {
  preset: ProCreditPreset;
  baseUrl: string;
  createOrderBaseUrl: string;
  typeRids: ProCreditTypeRids;
  amountFormat: ProCreditAmountFormat;
  language: string;
  descriptionMaxLength: number;
  sendPasswordOnExecute: boolean;
  merchantId: string | undefined;
  /** Parsed TLS material, when this client builds its own TLS agent. */
  tls: LoadedTlsMaterial | undefined;
  /** `Basic …` header value, when Basic credentials are configured. */
  basicAuthorization: string | undefined;
  /** Literal secrets to redact (Basic password, key passphrase). */
  secrets: string[];
}

const PRESET_NAMES: readonly ProCreditPresetName[] = ['procredit-ge', 'kapital', 'millikart'];
const ENVIRONMENTS: readonly ProCreditEnvironment[] = ['test', 'production'];

/**
 * Applies the preset, environment variables (for `procredit-ge`: `PROCREDIT_ENVIRONMENT`,
 * `PROCREDIT_BASE_URL`, `PROCREDIT_MERCHANT_ID`, and when `tls` is not passed
 * `PROCREDIT_CERTIFICATE[_FILE]`, `PROCREDIT_PRIVATE_KEY[_FILE]`, `PROCREDIT_PASSPHRASE`,
 * `PROCREDIT_PFX[_FILE]`, `PROCREDIT_CA[_FILE]`) and loads the TLS material once.
 * @throws ConfigurationError naming what is missing or wrong.
 */
export function resolveProCreditSettings(
  settings: ProCreditSettings,
  modules: NodeModules,
): ResolvedProCreditSettings {
  const presetName = loadEnumSetting({
    value: settings.preset,
    settingName: 'preset',
    environmentVariableName: 'PROCREDIT_PRESET',
    description: 'ProCredit preset',
    allowed: PRESET_NAMES,
    defaultValue: 'procredit-ge',
  });
  const useEnvironment = presetName === 'procredit-ge';
  const environment = loadEnumSetting({
    value: settings.environment ?? (useEnvironment ? undefined : 'test'),
    settingName: 'environment',
    environmentVariableName: 'PROCREDIT_ENVIRONMENT',
    description: 'ProCredit environment',
    allowed: ENVIRONMENTS,
    defaultValue: 'test',
  });
  const preset = PROCREDIT_PRESETS[presetName][environment];
  const fromEnvironment = (name: string) => (useEnvironment ? readEnvironment(name) : undefined);

  const baseUrl = checkUrl(
    settings.baseUrl ?? fromEnvironment('PROCREDIT_BASE_URL') ?? preset.baseUrl,
    'baseUrl',
    preset,
  );
  const createOrderBaseUrl = settings.createOrderBaseUrl
    ? checkUrl(settings.createOrderBaseUrl, 'createOrderBaseUrl', preset)
    : settings.baseUrl || !preset.createOrderBaseUrl
      ? baseUrl
      : preset.createOrderBaseUrl;

  const typeRids: ProCreditTypeRids = { ...preset.typeRids };
  for (const [name, value] of Object.entries(settings.typeRids ?? {})) {
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ConfigurationError(
        `typeRids.${name} must be a non-empty string (the bank's order type id).`,
        {
          provider: 'procredit',
        },
      );
    }
    (typeRids as unknown as Record<string, string>)[name] = value.trim();
  }

  const merchantId = settings.merchantId ?? fromEnvironment('PROCREDIT_MERCHANT_ID');
  const tlsSettings = settings.tls ?? (useEnvironment ? tlsFromEnvironment() : undefined);
  const customTransport = settings.transport ?? settings.dispatcher ?? settings.fetch;
  const tls = tlsSettings ? loadTlsMaterial(tlsSettings, modules, { merchantId }) : undefined;
  if (tls?.hasClientCertificate && customTransport) {
    throw new ConfigurationError(
      'Both a client certificate (tls) and your own transport, dispatcher or fetch are configured: the certificate would not be used. Put the certificate on your undici Agent (connect: { cert, key, ca }) or drop the custom transport.',
      { provider: 'procredit' },
    );
  }
  if (preset.authentication === 'client-certificate' && !tls?.hasClientCertificate && !customTransport) {
    throw new ConfigurationError(
      `${preset.bankName} authenticates the merchant by a TLS client certificate, and none is configured. Pass tls: { certificateFile, privateKeyFile, caFile } (or the PEM text, or a PKCS#12 bundle as tls.pfx), or set PROCREDIT_CERTIFICATE_FILE, PROCREDIT_PRIVATE_KEY_FILE and PROCREDIT_CA_FILE.`,
      { provider: 'procredit' },
    );
  }

  let basicAuthorization: string | undefined;
  const secrets: string[] = [];
  if (settings.basicAuth) {
    const { username, password } = settings.basicAuth;
    if (!username || !password) {
      throw new ConfigurationError('basicAuth needs both a username and a password.', {
        provider: 'procredit',
      });
    }
    basicAuthorization = `Basic ${base64Utf8(`${username}:${password}`)}`;
    secrets.push(password, basicAuthorization.slice(6));
  } else if (preset.authentication === 'basic' && !customTransport) {
    throw new ConfigurationError(
      `${preset.bankName} authenticates the merchant with HTTP Basic: pass basicAuth: { username, password } (the terminal credentials the bank issued).`,
      { provider: 'procredit' },
    );
  }
  if (tlsSettings?.passphrase) secrets.push(tlsSettings.passphrase);

  const descriptionMaxLength = settings.descriptionMaxLength ?? 120;
  if (!Number.isInteger(descriptionMaxLength) || descriptionMaxLength < 1) {
    throw new ConfigurationError('descriptionMaxLength must be a positive integer.', {
      provider: 'procredit',
    });
  }
  const amountFormat = settings.amountFormat ?? preset.amountFormat;
  if (amountFormat !== 'major-string' && amountFormat !== 'minor-integer') {
    throw new ConfigurationError('amountFormat must be "major-string" or "minor-integer".', {
      provider: 'procredit',
    });
  }
  return {
    preset,
    baseUrl,
    createOrderBaseUrl,
    typeRids,
    amountFormat,
    language: settings.language ?? preset.language,
    descriptionMaxLength,
    sendPasswordOnExecute: settings.sendPasswordOnExecute ?? true,
    merchantId,
    tls,
    basicAuthorization,
    secrets,
  };
}

function checkUrl(value: string | undefined, name: string, preset: ProCreditPreset): string {
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(
      `${preset.bankName} ${preset.environment} has no public API URL: pass ${name} (the URL the bank gave you).`,
      { provider: 'procredit' },
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    throw new ConfigurationError(`${name} ${JSON.stringify(value)} is not an absolute URL.`, {
      provider: 'procredit',
    });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigurationError(`${name} must be an http(s) URL, got ${parsed.protocol}`, {
      provider: 'procredit',
    });
  }
  if (parsed.username || parsed.password) {
    throw new ConfigurationError(`${name} must not carry credentials: pass them as basicAuth.`, {
      provider: 'procredit',
    });
  }
  // Keep the scheme as given: some test hosts are plain http, and a silent upgrade breaks them.
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

function tlsFromEnvironment(): ProCreditTlsSettings | undefined {
  const read = (name: string) =>
    loadOptionalSetting({ value: undefined, settingName: name, environmentVariableName: name });
  const settings: ProCreditTlsSettings = {
    certificate: read('PROCREDIT_CERTIFICATE'),
    certificateFile: read('PROCREDIT_CERTIFICATE_FILE'),
    privateKey: read('PROCREDIT_PRIVATE_KEY'),
    privateKeyFile: read('PROCREDIT_PRIVATE_KEY_FILE'),
    passphrase: readEnvironment('PROCREDIT_PASSPHRASE'),
    pfx: read('PROCREDIT_PFX'),
    pfxFile: read('PROCREDIT_PFX_FILE'),
    ca: read('PROCREDIT_CA'),
    caFile: read('PROCREDIT_CA_FILE'),
  };
  return Object.values(settings).some((value) => value !== undefined) ? settings : undefined;
}

function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
