import { randomBytes } from 'node:crypto';
import type { PaymentProvider } from '@colchis/core';
import type { AppClock } from './app-clock.js';
import type { ProviderStorage } from './provider-storage.js';

/** What both example apps are started with. `createProviderSetup()` produces most of it. */
export interface ExampleAppOptions {
  /**
   * The gateway, behind core's one interface (the apps never look past it), or a factory the app
   * calls once it listens (some gateways register the app's webhook URL when they are set up).
   */
  provider: PaymentProvider | ProviderFactory;
  /** How an admin page shows a gateway's payment id (ProCredit's ids hold a secret). Default: as is. */
  displayPaymentId?: ((providerPaymentId: string) => string) | undefined;
  /**
   * Whether a renewal charge whose answer was lost may be sent again with the same idempotency
   * key (true only for gateways that honour one). Default false: it waits for an admin.
   */
  resendUnansweredCharges?: boolean | undefined;
  /** The SQLite file (created and migrated when missing). */
  databaseFile: string;
  /** Currency the catalog is priced in (GEL for the Georgian banks, KZT for ioka, USD for Stripe). */
  currency: string;
  /** Time source; the sandbox's clock in sandbox mode. Default: the wall clock. */
  clock?: AppClock | undefined;
  /** Port to listen on (0 picks a free one). Default 0. */
  port?: number | undefined;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string | undefined;
  /**
   * The URL the browser and the gateway reach this app at (return pages and webhooks are built on
   * it). Default: the address it listens on, which only a local sandbox can reach.
   */
  publicUrl?: string | undefined;
  /** Password of the admin pages (user `admin`). */
  adminPassword: string;
  /** How often the background jobs run (reconciliation; renewals in the subscription app). 0: only on demand. Default 60 s. */
  jobIntervalMs?: number | undefined;
  /** How long a payment may stay open before reconciliation asks the gateway. Default 2 minutes. */
  reconcileGraceMs?: number | undefined;
  /** Where log lines go. Default: console. */
  log?: ((line: string) => void) | undefined;
}

/** A fresh merchant reference: short, URL-safe, unique (`E12-9f3a61c2`). Gateways echo it back. */
export function newReference(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** What a {@link ProviderFactory} gets from the app. */
export interface ProviderContext {
  /** The app's webhook endpoint (absolute URL). */
  webhookUrl: string;
  /** Durable storage in the app's own database, for facts the gateway wiring must keep. */
  storage: ProviderStorage;
}

/** Builds the provider once the app knows its URL and has its database. */
export type ProviderFactory = (context: ProviderContext) => Promise<PaymentProvider>;

/** Resolves {@link ExampleAppOptions.provider}. */
export async function resolveProvider(
  provider: PaymentProvider | ProviderFactory,
  context: ProviderContext,
): Promise<PaymentProvider> {
  return typeof provider === 'function' ? provider(context) : provider;
}

/**
 * Releases what a provider holds (ProCredit keeps a mutual-TLS connection pool), for providers
 * that have a `close()`. Apps call it only for providers they built from a factory.
 */
export async function closeProvider(provider: PaymentProvider): Promise<void> {
  const close = (provider as { close?: unknown }).close;
  if (typeof close === 'function') await (close as () => Promise<void>).call(provider);
}
