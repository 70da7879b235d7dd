#!/usr/bin/env node
// `pnpm demo`: starts the offline sandbox and, when present, the example apps against it, and
// prints their URLs. Runs from the TypeScript sources (no build needed) through tsx.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nodeArgs = ['--conditions=@colchis/source', '--import', 'tsx'];
const demoEntry = join(root, 'examples', 'demo.ts');
const entry = existsSync(demoEntry) ? demoEntry : join(root, 'packages', 'sandbox', 'src', 'cli.ts');
const child = spawn(process.execPath, [...nodeArgs, entry, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
