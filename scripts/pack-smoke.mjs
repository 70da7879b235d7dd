#!/usr/bin/env node
// Packs every published package, installs the tarballs into a fresh project outside the
// workspace (with npm, as a user would), and loads each entry point both as ESM (`import`) and
// as CJS (`require`). Catches broken `exports` maps, missing files and workspace-only imports.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'colchis-smoke-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
const pnpm = ['-y', 'pnpm@10.34.9'];
let failures = 0;

try {
  const manifests = readdirSync(join(root, 'packages'))
    .map((name) => ({
      dir: join(root, 'packages', name),
      manifest: readJson(join(root, 'packages', name, 'package.json')),
    }))
    .filter((entry) => entry.manifest && !entry.manifest.private);
  for (const { dir } of manifests) {
    // pnpm pack rewrites workspace:^ ranges to real versions, as publishing does.
    execFileSync('npx', [...pnpm, 'pack', '--pack-destination', tarballs], { cwd: dir, stdio: 'pipe' });
  }
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  writeFileSync(join(work, 'package.json'), '{}');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'smoke', private: true, version: '0.0.0' }),
  );
  // Peer dependencies a user installs alongside: stripe for the adapter, vitest for
  // @colchis/core/testing (the contract suite is a vitest suite).
  const peers = [];
  if (manifests.some((entry) => entry.manifest.peerDependencies?.stripe)) peers.push('stripe@^23');
  if (manifests.some((entry) => entry.manifest.peerDependencies?.vitest)) peers.push('vitest@^4.1.12');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files, ...peers], {
    cwd: project,
    stdio: 'pipe',
  });

  for (const { manifest } of manifests) {
    const entries = Object.keys(manifest.exports ?? { '.': {} }).filter((key) => key !== './package.json');
    for (const entry of entries) {
      const specifier = entry === '.' ? manifest.name : `${manifest.name}/${entry.slice(2)}`;
      const value = manifest.exports?.[entry];
      const esmOnly = typeof value === 'object' && value !== null && !('require' in value);
      for (const mode of esmOnly ? ['esm'] : ['esm', 'cjs']) {
        const code =
          mode === 'esm'
            ? `const m = await import(${JSON.stringify(specifier)}); if (!Object.keys(m).length) throw new Error('no exports');`
            : `const m = require(${JSON.stringify(specifier)}); if (!Object.keys(m).length) throw new Error('no exports');`;
        try {
          execFileSync('node', mode === 'esm' ? ['--input-type=module', '-e', code] : ['-e', code], {
            cwd: project,
            stdio: 'pipe',
          });
          console.log(`✓ ${mode} ${specifier}`);
        } catch (error) {
          failures++;
          console.log(`✗ ${mode} ${specifier}\n${error.stderr?.toString() ?? error}`);
        }
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
