#!/usr/bin/env node
// publint --strict and attw --pack on every published package (packages/*). Needs built dist/.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'packages');
// publint runs `pnpm pack`: make sure a pnpm is on PATH even where none is installed.
const env = { ...process.env, PATH: `${join(root, 'scripts', 'bin')}:${process.env.PATH}` };
let failures = 0;
for (const name of readdirSync(packagesDir)) {
  const dir = join(packagesDir, name);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    continue;
  }
  if (manifest.private) continue;
  for (const [tool, args] of [
    ['publint', ['publint', '--strict']],
    ['attw', ['attw', '--pack', '.', '--profile', 'node16', '--format', 'table-flipped']],
  ]) {
    const result = spawnSync(join(root, 'node_modules', '.bin', args[0]), args.slice(1), {
      cwd: dir,
      encoding: 'utf8',
      env,
    });
    const ok = result.status === 0;
    if (!ok) failures++;
    console.log(`${ok ? '✓' : '✗'} ${tool} ${manifest.name}`);
    if (!ok) console.log(result.stdout, result.stderr);
  }
}
process.exit(failures ? 1 : 0);
