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
  // What `npm publish` would upload: exactly dist, src (for source maps and the source
  // condition), README, LICENSE, CHANGELOG and package.json; never tests, fixtures or helpers.
  {
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: dir,
      encoding: 'utf8',
      env,
    });
    let files = [];
    try {
      files = JSON.parse(packed.stdout)[0].files.map((file) => file.path);
    } catch {
      files = [];
    }
    const unexpected = files.filter(
      (file) =>
        /\.test\.ts$|\.test-helper\.ts$|__fixtures__|vitest\.|tsup\.config|typedoc\.json|tsconfig/.test(
          file,
        ) || !/^(dist\/|src\/|bin\/|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/.test(file),
    );
    const required = [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
    ];
    const missing = required.filter((file) => !files.includes(file));
    const ok = files.length > 0 && unexpected.length === 0 && missing.length === 0;
    if (!ok) failures++;
    console.log(`${ok ? '✓' : '✗'} publish file list ${manifest.name} (${files.length} files)`);
    if (!ok) console.log({ unexpected, missing });
  }
  // Subpaths without a `require` condition are ESM-only on purpose (the vitest contract suite):
  // attw checks them as ESM and everything else for both module systems.
  const esmOnly = Object.entries(manifest.exports ?? {})
    .filter(([key, value]) => key !== './package.json' && typeof value === 'object' && !('require' in value))
    .map(([key]) => key);
  const attw = ['attw', '--pack', '.', '--profile', 'node16', '--format', 'table-flipped'];
  for (const [tool, args] of [
    ['publint', ['publint', '--strict']],
    ['attw', esmOnly.length ? [...attw, '--exclude-entrypoints', ...esmOnly] : attw],
    ...(esmOnly.length
      ? [
          [
            'attw (ESM-only subpaths)',
            [...attw.slice(0, 3), '--profile', 'esm-only', '--include-entrypoints', ...esmOnly],
          ],
        ]
      : []),
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
