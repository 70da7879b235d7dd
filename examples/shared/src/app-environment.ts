import { ConfigurationError } from '@colchis/core';
import type { ProviderSetup } from './create-provider.js';

/**
 * The admin password: `ADMIN_PASSWORD`, or `admin` when the app runs on the sandbox (no real
 * gateway, nothing to protect). Against a gateway's test environment it must be set.
 */
export function adminPasswordFor(
  setup: Pick<ProviderSetup, 'mode'>,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const configured = environment.ADMIN_PASSWORD;
  if (configured) return configured;
  if (setup.mode === 'sandbox') return 'admin';
  throw new ConfigurationError('Set ADMIN_PASSWORD: the admin pages can refund real test payments.');
}

/** A port from an environment variable, or the default. */
export function portFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError(`Port must be an integer from 0 to 65535; got "${value}".`);
  }
  return port;
}
