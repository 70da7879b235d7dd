#!/usr/bin/env node
import { startSandbox } from './server.js';

// `colchis-sandbox [--port N] [--host H] [--procredit-port N]`: starts the sandbox and prints its URLs.
function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const sandbox = await startSandbox({
  port: Number(option('port') ?? process.env.COLCHIS_SANDBOX_PORT ?? 4010),
  host: option('host') ?? '127.0.0.1',
  procreditPort: Number(option('procredit-port') ?? 0),
});
for (const line of sandbox.describe()) console.log(line);
const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
