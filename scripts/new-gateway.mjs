#!/usr/bin/env node
// `pnpm new-gateway <name> [--display-name "Liberty Bank"] [--dir <repository root>]`
// `node scripts/new-gateway.mjs --self-test`: generates a throwaway gateway into a scratch copy,
// typechecks, lints and runs its contract suite there, then deletes it (the scaffold's own test).
//
// Scaffolds packages/<name>/ shaped like its siblings (package.json with exports, engines,
// publishConfig and files; tsconfig, tsup, vitest project, typedoc; README and LICENSE; a client,
// wire schemas, settings, errors, status mapping, webhook verification, a test-signing helper and
// a provider) plus docs/gateways/<name>.md. The generated provider is minimal but real: it
// already passes core's provider contract suite (src/<name>-contract.test.ts), so every later
// change is made against a green suite. Every `TODO(new gateway)` marks what must come from the
// gateway's documentation.
//
// Templates live in scripts/templates/gateway/ with a `.template` suffix (so no tool mistakes them
// for code of this repository). Placeholders: __gateway__ (kebab-case name), __Gateway__
// (PascalCase), __gatewayCamel__ (camelCase), __GATEWAY__ (CONSTANT_CASE), __GATEWAY_DISPLAY_NAME__.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const templateRoot = join(repositoryRoot, 'scripts', 'templates', 'gateway');
const TEMPLATE_SUFFIX = '.template';
// Names already taken by packages, subpaths or workspace folders.
const RESERVED = new Set(['core', 'sandbox', 'docs', 'bench', 'examples', 'testing', 'shared', 'ipay']);

function usage(message) {
  if (message) console.error(`new-gateway: ${message}\n`);
  console.error(`Usage: pnpm new-gateway <name> [--display-name "Display Name"] [--dir <repository root>]

  <name>            the package and provider id, in kebab-case: tbc, liberty-bank, kaspi
  --display-name    how docs and messages name the gateway (default: the name in Title Case)
  --dir             write into another checkout or a scratch copy instead of this repository
  --self-test       generate a throwaway gateway in a temporary directory, typecheck, lint and run
                    its contract suite, delete it; exits non-zero if any step fails`);
  process.exit(message ? 1 : 0);
}

/** Parses argv into { name, displayName, root }. */
function parseArguments(argv) {
  const options = { name: undefined, displayName: undefined, root: repositoryRoot, selfTest: false };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--help' || argument === '-h') usage();
    else if (argument === '--self-test') options.selfTest = true;
    else if (argument === '--display-name' || argument === '--dir') {
      const value = argv[++index];
      if (value === undefined || value.startsWith('--')) usage(`${argument} needs a value.`);
      if (argument === '--dir') options.root = resolve(value);
      else options.displayName = value.trim();
    } else if (argument.startsWith('--')) usage(`unknown option ${argument}.`);
    else if (options.name === undefined) options.name = argument;
    else usage(`unexpected argument ${argument}.`);
  }
  if (!options.name && !options.selfTest) usage('the gateway name is required.');
  return options;
}

/** The spellings of a kebab-case name that the templates use. */
export function nameVariants(name, displayName) {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw new Error(
      `"${name}" is not a kebab-case name: use lower-case letters and digits, words joined by "-" (e.g. liberty-bank).`,
    );
  }
  if (RESERVED.has(name))
    throw new Error(`"${name}" is reserved in this repository: pick the gateway's own name.`);
  const words = name.split('-');
  const capitalize = (word) => word.charAt(0).toUpperCase() + word.slice(1);
  return {
    __GATEWAY_DISPLAY_NAME__: displayName || words.map(capitalize).join(' '),
    __gatewayCamel__: words[0] + words.slice(1).map(capitalize).join(''),
    __GATEWAY__: words.map((word) => word.toUpperCase()).join('_'),
    __Gateway__: words.map(capitalize).join(''),
    __gateway__: name,
  };
}

/** Replaces every placeholder (the longest first, so __GATEWAY_DISPLAY_NAME__ wins over __GATEWAY__). */
function fill(text, variants) {
  let result = text;
  for (const [placeholder, value] of Object.entries(variants).sort((a, b) => b[0].length - a[0].length)) {
    result = result.split(placeholder).join(value);
  }
  return result;
}

function templateFiles(directory, found = []) {
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) templateFiles(path, found);
    else if (entry.endsWith(TEMPLATE_SUFFIX)) found.push(path);
  }
  return found;
}

/** Writes the package and the docs stub; returns the paths written (relative to root). */
export function generateGateway({ name, displayName, root }) {
  const variants = nameVariants(name, displayName);
  const packageDirectory = join(root, 'packages', name);
  const docsPage = join(root, 'docs', 'gateways', `${name}.md`);
  if (existsSync(packageDirectory)) throw new Error(`${relative(root, packageDirectory)} already exists.`);
  if (existsSync(docsPage)) throw new Error(`${relative(root, docsPage)} already exists.`);

  const written = [];
  for (const template of templateFiles(templateRoot)) {
    const relativePath = relative(templateRoot, template)
      .slice(0, -TEMPLATE_SUFFIX.length)
      .split(sep)
      .join('/');
    // docs/ of the template goes to the repository's docs/gateways/, everything else to the package.
    const target = relativePath.startsWith('docs/')
      ? join(root, 'docs', 'gateways', fill(relativePath.slice('docs/'.length), variants))
      : join(packageDirectory, fill(relativePath, variants));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, fill(readFileSync(template, 'utf8'), variants));
    written.push(relative(root, target));
  }
  // The same MIT license file as every sibling package.
  const license = [join(root, 'LICENSE'), join(repositoryRoot, 'LICENSE')].find((path) => existsSync(path));
  if (license) {
    copyFileSync(license, join(packageDirectory, 'LICENSE'));
    written.push(relative(root, join(packageDirectory, 'LICENSE')));
  }
  return { variants, written: written.sort() };
}

/**
 * Formats the generated code with the repository's biome settings: line breaks depend on the
 * length of the gateway's name, so the templates cannot be pre-formatted for every name.
 * Returns false when biome is not installed or reports problems it cannot fix.
 */
function formatGenerated(root, name) {
  const biome = [root, repositoryRoot]
    .map((base) => join(base, 'node_modules', '@biomejs', 'biome', 'bin', 'biome'))
    .find((path) => existsSync(path));
  if (!biome) return false;
  const configDirectory = existsSync(join(root, 'biome.json')) ? root : repositoryRoot;
  const result = spawnSync(
    process.execPath,
    [biome, 'check', '--write', `--config-path=${configDirectory}`, join('packages', name)],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status !== 0) console.warn(result.stdout, result.stderr);
  return result.status === 0;
}

/**
 * The scaffold's own test: a gateway generated into a temporary copy of the repository's skeleton
 * (linked to this checkout's installed dependencies) must typecheck, be lint-clean and pass the
 * provider contract suite. Nothing is written to this repository.
 */
function selfTest() {
  const name = 'self-test-bank';
  const scratch = mkdtempSync(join(tmpdir(), 'colchis-new-gateway-'));
  const steps = [];
  try {
    for (const file of ['tsconfig.base.json', 'biome.json', 'LICENSE', 'typedoc.package.json']) {
      copyFileSync(join(repositoryRoot, file), join(scratch, file));
    }
    symlinkSync(join(repositoryRoot, 'node_modules'), join(scratch, 'node_modules'), 'junction');
    generateGateway({ name, displayName: 'Self Test Bank', root: scratch });
    steps.push(['format (biome check --write)', formatGenerated(scratch, name)]);
    const packageDirectory = join(scratch, 'packages', name);
    // What `pnpm install` would link: the workspace packages it depends on, and zod.
    const scoped = join(packageDirectory, 'node_modules', '@colchis');
    mkdirSync(scoped, { recursive: true });
    for (const dependency of ['core', 'sandbox']) {
      symlinkSync(join(repositoryRoot, 'packages', dependency), join(scoped, dependency), 'junction');
    }
    const zod = readdirSync(join(repositoryRoot, 'packages'))
      .map((sibling) => join(repositoryRoot, 'packages', sibling, 'node_modules', 'zod'))
      .find((path) => existsSync(path));
    if (!zod) throw new Error('zod is not installed in any package: run pnpm install first.');
    symlinkSync(realpathSync(zod), join(packageDirectory, 'node_modules', 'zod'), 'junction');

    const run = (title, args, cwd) => {
      console.log(`\n▶ ${title}`);
      const result = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
      steps.push([title, result.status === 0]);
    };
    const bin = (...path) => join(repositoryRoot, 'node_modules', ...path);
    run(
      'typecheck (tsc)',
      [bin('typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'],
      packageDirectory,
    );
    run(
      'lint (biome check)',
      [bin('@biomejs', 'biome', 'bin', 'biome'), 'check', `--config-path=${scratch}`, join('packages', name)],
      scratch,
    );
    run(
      'API documentation (typedoc, validation on, warnings are errors)',
      [
        bin('typedoc', 'bin', 'typedoc'),
        '--options',
        'typedoc.json',
        '--tsconfig',
        'tsconfig.json',
        '--emit',
        'none',
        '--validation.notDocumented',
        '--validation.notExported',
        '--validation.invalidLink',
        '--treatWarningsAsErrors',
      ],
      packageDirectory,
    );
    run('contract suite (vitest)', [bin('vitest', 'vitest.mjs'), 'run', '--root', packageDirectory], scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log('\nnew-gateway self-test');
  for (const [title, ok] of steps) console.log(`  ${ok ? '✓' : '✗'} ${title}`);
  const failed = steps.filter(([, ok]) => !ok).length;
  console.log(`${steps.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  if (options.selfTest) selfTest();
  let result;
  try {
    result = generateGateway(options);
  } catch (error) {
    usage(error.message);
  }
  const { variants, written } = result;
  const name = variants.__gateway__;
  if (!formatGenerated(options.root, name)) {
    console.warn(
      `Could not format packages/${name} with biome: run npx biome check --write packages/${name}.`,
    );
  }
  const pnpm = 'npx -y pnpm@10.34.9';
  console.log(`Created @colchis/${name} (${variants.__GATEWAY_DISPLAY_NAME__}):`);
  for (const path of written) console.log(`  ${path}`);
  console.log(`
Next steps${options.root === repositoryRoot ? '' : ` (in ${options.root})`}:
  1. Link the workspace:      ${pnpm} install
  2. Run the contract suite:  npx vitest run --project ${name}   (it passes as generated)
     Typecheck and lint:      (cd packages/${name} && npx tsc --noEmit -p tsconfig.json) && npx biome check --write packages/${name}
  3. Replace every TODO(new gateway) in packages/${name}/src with the gateway's documented API,
     keeping the contract suite green; record the docs' payloads in src/__fixtures__/.
  4. Wire it into the repository:
     - typedoc.json: add "packages/${name}" to entryPoints (the API reference);
     - docs/package.json: add "@colchis/${name}": "workspace:*" (the doc-snippet check);
     - scripts/test-all.mjs: add '${name}' to the projects run on Node 22 and 24;
     - README.md, docs/README.md: the packages and gateways tables; ARCHITECTURE.md if it adds a concern;
     - packages/sandbox/src/${name}/: an emulator, so examples and users' tests run offline.
  5. Write docs/gateways/${name}.md, then add a changeset: ${pnpm} changeset (minor, "Add @colchis/${name}").`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
