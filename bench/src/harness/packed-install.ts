/**
 * Builds, packs and installs the Colchis packages the way a user gets them, for the cold-start
 * and size benchmark: each package's own tsup build (in a private copy of the package, so a build
 * someone runs in the work tree at the same time is neither disturbed nor measured half-written),
 * `npm pack` with `workspace:` ranges rewritten as `pnpm pack` does, then one `pnpm install` of
 * the tarball per package into an empty project outside the repository. The result is cached by a
 * hash of the packages' sources and build files, so a second run with unchanged sources reuses it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const PNPM = ['-y', 'pnpm@10.34.9'];
/** Workspace installs are serialized on this lock (see the helper brief); the temp installs too. */
const PNPM_LOCK = '/tmp/colchis-pnpm.lock';

/** One packed and installed package. */
export interface InstalledPackage {
  /** `@colchis/bog`, or `stripe` for the reference. */
  readonly name: string;
  /** An empty project with only this package (and what it pulls in) installed. */
  readonly projectDirectory: string;
  /** Size of the tarball, bytes (undefined for the registry reference). */
  readonly tarballBytes: number | undefined;
  /** Files the package itself installs, bytes. */
  readonly packageBytes: number;
  /** Everything under `node_modules`, the package and all its dependencies, bytes. */
  readonly installedBytes: number;
}

/** Settings of {@link preparePackedInstalls}. */
export interface PackedInstallSettings {
  /** Workspace package directory names, e.g. `['core', 'bog']`; core is always built. */
  readonly packages: readonly string[];
  /** Registry packages installed alone as references, e.g. `['stripe@23.1.0']`. */
  readonly references: readonly string[];
  /**
   * Build the type declarations too (tsup's slow part). Off for a quick run: the installed sizes
   * then lack the `.d.ts` files; cold start and bundles are unaffected.
   */
  readonly declarations: boolean;
  log(message: string): void;
}

/**
 * Builds, packs and installs `packages` (plus core, their common dependency) and installs each
 * reference alone. Returns one {@link InstalledPackage} per package and reference.
 */
export async function preparePackedInstalls(settings: PackedInstallSettings): Promise<InstalledPackage[]> {
  const packages = [...new Set(['core', ...settings.packages])];
  const hash = sourceHash(packages, settings.references, settings.declarations);
  const base = join(os.tmpdir(), `colchis-bench-install-${hash}`);
  const manifest = join(base, 'installed.json');
  if (existsSync(manifest)) {
    settings.log(`packed installs: reusing ${base} (sources unchanged)`);
    return JSON.parse(readFileSync(manifest, 'utf8')) as InstalledPackage[];
  }
  rmSync(base, { recursive: true, force: true });
  // The build copy stays inside the repository so tsup, TypeScript and the packages' own
  // dependencies resolve as in the work tree; the installs go outside it, where nothing above
  // them has a node_modules.
  const stage = join(root, '.tmp', `bench-build-${hash}`);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'packages'), { recursive: true });
  cpSync(join(root, 'tsconfig.base.json'), join(stage, 'tsconfig.base.json'));
  const tarballs = join(base, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  const packed = new Map<string, { file: string; size: number }>();
  const buildOne = async (name: string) => {
    const started = performance.now();
    const directory = stagePackage(stage, name);
    await run(
      join(root, 'node_modules', '.bin', 'tsup'),
      ['--silent', ...(settings.declarations ? [] : ['--no-dts'])],
      {
        cwd: directory,
        maxBuffer: 1 << 24,
      },
    );
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', tarballs], {
      cwd: directory,
      maxBuffer: 1 << 24,
    });
    const [result] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; size: number }[];
    if (!result) throw new Error(`npm pack of ${name} produced nothing`);
    packed.set(name, { file: join(tarballs, result.filename.replace(/^.*\//, '')), size: result.size });
    settings.log(
      `built and packed @colchis/${name} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  };
  try {
    // Two builds at a time: one per core of the machines this runs on.
    const queue = [...packages];
    await Promise.all(
      [0, 1].map(async () => {
        for (let name = queue.shift(); name !== undefined; name = queue.shift()) await buildOne(name);
      }),
    );
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }

  const installed: InstalledPackage[] = [];
  const overrides = Object.fromEntries(
    [...packed].map(([name, tarball]) => [`@colchis/${name}`, `file:${tarball.file}`]),
  );
  const targets = [
    ...settings.packages.map((name) => ({
      name: `@colchis/${name}`,
      spec: overrides[`@colchis/${name}`] as string,
    })),
    ...settings.references.map((reference) => {
      const at = reference.lastIndexOf('@');
      return { name: reference.slice(0, at), spec: reference.slice(at + 1) };
    }),
  ];
  for (const target of targets) {
    const project = join(base, target.name.replace('@colchis/', 'colchis-'));
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'bench-install', private: true, type: 'module', dependencies: { [target.name]: target.spec }, pnpm: { overrides } }, null, 2)}\n`,
    );
    // Offline: everything comes from the local pnpm store the workspace was installed from.
    await run(
      'flock',
      [
        PNPM_LOCK,
        'npx',
        ...PNPM,
        'install',
        '--offline',
        '--ignore-scripts',
        '--config.confirmModulesPurge=false',
      ],
      { cwd: project, maxBuffer: 1 << 24 },
    );
    const colchisName = target.name.startsWith('@colchis/')
      ? target.name.slice('@colchis/'.length)
      : undefined;
    installed.push({
      name: target.name,
      projectDirectory: project,
      tarballBytes: colchisName ? packed.get(colchisName)?.size : undefined,
      packageBytes: directoryBytes(join(project, 'node_modules', target.name)),
      installedBytes: directoryBytes(join(project, 'node_modules')),
    });
    settings.log(`installed ${target.name} into ${project}`);
  }
  writeFileSync(manifest, `${JSON.stringify(installed, null, 2)}\n`);
  pruneOldInstalls(base);
  return installed;
}

/** Keeps the three newest install sets (a full and a quick one survive each other), drops the rest. */
function pruneOldInstalls(current: string): void {
  const directory = os.tmpdir();
  const others = readdirSync(directory)
    .filter((name) => name.startsWith('colchis-bench-install-'))
    .map((name) => join(directory, name))
    .filter((path) => path !== current)
    .sort((left, right) => lstatSync(right).mtimeMs - lstatSync(left).mtimeMs);
  for (const path of others.slice(2)) rmSync(path, { recursive: true, force: true });
}

/** Copies what the build needs of `packages/<name>` into the stage; returns the copy's path. */
function stagePackage(stage: string, name: string): string {
  const source = join(root, 'packages', name);
  const target = join(stage, 'packages', name);
  mkdirSync(target, { recursive: true });
  for (const entry of ['src', 'tsup.config.ts', 'tsconfig.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (existsSync(join(source, entry)))
      cpSync(join(source, entry), join(target, entry), { recursive: true });
  }
  symlinkSync(join(source, 'node_modules'), join(target, 'node_modules'));
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as Record<string, unknown>;
  // As `pnpm pack` publishes them: `workspace:^` becomes `^<version>` of the workspace package.
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
    const ranges = manifest[field] as Record<string, string> | undefined;
    if (!ranges) continue;
    for (const [dependency, range] of Object.entries(ranges)) {
      if (!range.startsWith('workspace:')) continue;
      const version = workspaceVersion(dependency);
      const kind = range.slice('workspace:'.length);
      ranges[dependency] = kind === '*' ? version : kind === '~' ? `~${version}` : `^${version}`;
    }
  }
  delete manifest.devDependencies;
  writeFileSync(join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return target;
}

function workspaceVersion(dependency: string): string {
  const directory = dependency.replace('@colchis/', '');
  return (
    JSON.parse(readFileSync(join(root, 'packages', directory, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

/** Hash of everything a build or an install depends on. */
function sourceHash(
  packages: readonly string[],
  references: readonly string[],
  declarations: boolean,
): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ packages, references, declarations, version: 1 }));
  for (const file of [join(root, 'tsconfig.base.json'), join(root, 'pnpm-lock.yaml')])
    hash.update(readFileSync(file));
  for (const name of packages) {
    const directory = join(root, 'packages', name);
    for (const file of ['package.json', 'tsup.config.ts', 'tsconfig.json', 'README.md']) {
      if (existsSync(join(directory, file)))
        hash.update(`${name}/${file}`).update(readFileSync(join(directory, file)));
    }
    for (const file of listFiles(join(directory, 'src'))) hash.update(file).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function listFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/**
 * Bytes of the regular files under `directory`, following pnpm's symlinks into its virtual
 * store once and counting hard-linked files once (what `du --apparent-size` reports).
 */
export function directoryBytes(directory: string): number {
  const seen = new Set<string>();
  const visited = new Set<string>();
  let total = 0;
  const walk = (path: string) => {
    let stats = lstatSync(path);
    if (stats.isSymbolicLink()) {
      try {
        path = realpathSync(path);
        stats = lstatSync(path);
      } catch {
        return; // a dangling link holds nothing
      }
    }
    const key = `${stats.dev}:${stats.ino}`;
    if (stats.isDirectory()) {
      if (visited.has(key)) return;
      visited.add(key);
      for (const entry of readdirSync(path)) walk(join(path, entry));
    } else if (stats.isFile() && !seen.has(key)) {
      seen.add(key);
      total += stats.size;
    }
  };
  walk(directory);
  return total;
}
