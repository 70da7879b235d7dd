#!/usr/bin/env node
// Extracts every TypeScript code block from the guides and READMEs and type-checks them against
// the real packages (through the @colchis/docs workspace package, which depends on all of them),
// so the docs cannot rot. A block opened with ```ts no-check is skipped (use sparingly: for
// fragments that are deliberately incomplete). Prints one line per snippet and exits non-zero
// when any fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs', '.snippets');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

function markdownFiles(dir, found = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'api' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) markdownFiles(path, found);
    else if (name.endsWith('.md')) found.push(path);
  }
  return found;
}

const sources = [
  join(root, 'README.md'),
  ...markdownFiles(join(root, 'docs')),
  ...readdirSync(join(root, 'packages')).flatMap((name) =>
    markdownFiles(join(root, 'packages', name, 'src')).concat(join(root, 'packages', name, 'README.md')),
  ),
  ...safeReaddir(join(root, 'examples')).map((name) => join(root, 'examples', name, 'README.md')),
].filter((path) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
});

const snippets = [];
for (const file of sources) {
  const lines = readFileSync(file, 'utf8').split('\n');
  let open;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const fence = /^\s*```(\w+)?(.*)$/.exec(line);
    if (!fence) {
      if (open) open.body.push(line);
      continue;
    }
    if (!open) {
      open = { lang: fence[1] ?? '', info: fence[2] ?? '', start: index + 1, body: [] };
    } else {
      if (['ts', 'typescript', 'tsx'].includes(open.lang) && !/no-check/.test(open.info)) {
        const name = `${relative(root, file).replace(/[^A-Za-z0-9]+/g, '_')}_L${open.start}.ts`;
        snippets.push({ file: relative(root, file), line: open.start, name });
        // `export {}` makes every snippet a module (own scope, top-level await allowed).
        writeFileSync(join(out, name), `${open.body.join('\n')}\nexport {};\n`);
      }
      open = undefined;
    }
  }
}

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const result = spawnSync(
  process.execPath,
  [tsc, '-p', join(root, 'docs', 'tsconfig.snippets.json'), '--pretty', 'false'],
  {
    cwd: join(root, 'docs'),
    encoding: 'utf8',
  },
);
const errors = new Map();
for (const line of `${result.stdout}${result.stderr}`.split('\n')) {
  const match = /\.snippets\/([^()]+)\((\d+),(\d+)\): (error .*)$/.exec(line);
  if (!match) continue;
  const list = errors.get(match[1]) ?? [];
  list.push(`line ${match[2]}: ${match[4]}`);
  errors.set(match[1], list);
}
let failed = 0;
for (const snippet of snippets) {
  const problems = errors.get(snippet.name);
  if (problems) {
    failed++;
    console.log(`✗ ${snippet.file}:${snippet.line}`);
    for (const problem of problems) console.log(`    ${problem}`);
  } else {
    console.log(`✓ ${snippet.file}:${snippet.line}`);
  }
}
const unattributed = result.status !== 0 && errors.size === 0;
if (unattributed) console.log(result.stdout, result.stderr);
console.log(`${snippets.length - failed} passed, ${failed} failed (doc snippets)`);
writeFileSync(
  join(root, '.tmp', 'doc-snippets.json'),
  JSON.stringify({ passed: snippets.length - failed, failed: failed + (unattributed ? 1 : 0) }),
);
process.exit(failed || unattributed ? 1 : 0);

function safeReaddir(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
