import type * as NodeCrypto from 'node:crypto';
import type * as NodeFs from 'node:fs';
import type * as NodeTls from 'node:tls';
import { ConfigurationError } from '@colchis/core';

/** The Node.js built-in modules the ProCredit client needs for mutual TLS. */
export interface NodeModules {
  tls: typeof NodeTls;
  crypto: typeof NodeCrypto;
  fs: typeof NodeFs;
}

/** The part of Node's `process` object the runtime check reads (injectable for tests). */
export interface ProcessLike {
  versions?: { node?: string | undefined } | undefined;
  getBuiltinModule?: ((id: string) => unknown) | undefined;
}

let cached: { runtime: ProcessLike; modules: NodeModules } | undefined;

/**
 * `true` when this runtime has Node's TLS stack (Node.js, and Bun and Deno in Node mode), which
 * ProCredit's client-certificate authentication requires.
 */
export function hasNodeTls(runtime: ProcessLike | undefined = currentProcess()): boolean {
  return typeof runtime?.versions?.node === 'string' && typeof runtime.getBuiltinModule === 'function';
}

/**
 * Loads `node:tls`, `node:crypto` and `node:fs` at construction time rather than at import, so
 * importing the package never fails on a runtime without them: constructing a client there
 * throws a {@link ConfigurationError} that explains why instead.
 */
export function loadNodeModules(runtime: ProcessLike | undefined = currentProcess()): NodeModules {
  if (runtime && cached?.runtime === runtime) return cached.modules;
  if (typeof runtime?.versions?.node !== 'string') {
    throw new ConfigurationError(
      '@colchis/procredit needs Node.js (>= 20.18): ProCredit authenticates the merchant with a TLS client certificate, ' +
        'which fetch-only runtimes (Cloudflare Workers, Vercel Edge Functions, Deno Deploy, browsers) cannot present. ' +
        'Run the ProCredit calls in a Node.js server or function (for Next.js: `export const runtime = "nodejs"`).',
      { provider: 'procredit' },
    );
  }
  if (typeof runtime.getBuiltinModule !== 'function') {
    throw new ConfigurationError(
      `@colchis/procredit needs Node.js >= 20.18 (process.getBuiltinModule is missing in Node ${runtime.versions.node}). Upgrade Node.js.`,
      { provider: 'procredit' },
    );
  }
  const modules: NodeModules = {
    tls: runtime.getBuiltinModule('node:tls') as typeof NodeTls,
    crypto: runtime.getBuiltinModule('node:crypto') as typeof NodeCrypto,
    fs: runtime.getBuiltinModule('node:fs') as typeof NodeFs,
  };
  cached = { runtime, modules };
  return modules;
}

function currentProcess(): ProcessLike | undefined {
  return (globalThis as { process?: ProcessLike }).process;
}
