import { ConfigurationError } from './errors.js';

/** Describes a setting for {@link loadSetting}. */
export interface SettingSpec {
  /** The value passed in code, if any. */
  value: string | undefined | null;
  /** The option's name in the settings object, e.g. `clientSecret`. */
  settingName: string;
  /** The environment variable read when the option is absent, e.g. `BOG_CLIENT_SECRET`. */
  environmentVariableName: string;
  /** What it is, for the message: `Bank of Georgia client secret`. */
  description: string;
}

/** Reads an environment variable where the runtime has `process.env`, else `undefined`. */
export function readEnvironment(name: string): string | undefined {
  let value: string | undefined;
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    value = env?.[name];
  } catch {
    // Deno without --allow-env throws on access: treat as unset, the option still works.
    return undefined;
  }
  return value === undefined || value === '' ? undefined : value;
}

/**
 * A required setting from the options or the environment. The error names both places:
 * "Bank of Georgia client secret is missing. Pass it as the `clientSecret` option or set the
 * BOG_CLIENT_SECRET environment variable."
 */
export function loadSetting(spec: SettingSpec): string {
  const value = loadOptionalSetting(spec);
  if (value === undefined) {
    throw new ConfigurationError(
      `${spec.description} is missing. Pass it as the \`${spec.settingName}\` option or set the ${spec.environmentVariableName} environment variable.`,
    );
  }
  return value;
}

/** An optional setting from the options or the environment, trimmed; `undefined` when absent. */
export function loadOptionalSetting(
  spec: Omit<SettingSpec, 'description'> & { description?: string },
): string | undefined {
  // A blank option counts as absent (`clientSecret: process.env.X ?? ''` is a common pattern),
  // so the environment variable is still consulted.
  const option = typeof spec.value === 'string' ? spec.value.trim() : undefined;
  if (option) return option;
  const fromEnvironment = readEnvironment(spec.environmentVariableName)?.trim();
  return fromEnvironment === '' ? undefined : fromEnvironment;
}

/**
 * Reads one of a fixed set of values (e.g. an environment name), from the options or the
 * environment, with a message listing the allowed values.
 */
export function loadEnumSetting<T extends string>(
  spec: Omit<SettingSpec, 'value'> & {
    value: T | string | undefined | null;
    allowed: readonly T[];
    defaultValue: T;
  },
): T {
  const raw = loadOptionalSetting(spec);
  if (raw === undefined) return spec.defaultValue;
  const match = spec.allowed.find((allowed) => allowed.toLowerCase() === raw.toLowerCase());
  if (!match) {
    throw new ConfigurationError(
      `${spec.description} ${JSON.stringify(raw)} is not one of ${spec.allowed.map((v) => `"${v}"`).join(', ')}. Fix the \`${spec.settingName}\` option or the ${spec.environmentVariableName} environment variable.`,
    );
  }
  return match;
}
