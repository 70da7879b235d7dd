#!/usr/bin/env node
// `pnpm bench`: runs bench/src/main.ts under tsx (the benchmarks are TypeScript and measure the
// workspace packages' sources unless --dist is given). Options: `pnpm bench --help`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/src/main.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
