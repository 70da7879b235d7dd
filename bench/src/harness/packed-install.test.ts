import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { directoryBytes } from './packed-install.js';

describe('directoryBytes', () => {
  const root = mkdtempSync(join(os.tmpdir(), 'colchis-bench-bytes-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('counts regular files once, however often pnpm links them in', () => {
    // The layout pnpm installs: node_modules/<name> is a symlink into node_modules/.pnpm, and
    // files are hard links into its store.
    const store = join(root, 'node_modules', '.pnpm', 'zod@4', 'node_modules', 'zod');
    mkdirSync(store, { recursive: true });
    writeFileSync(join(store, 'index.js'), 'x'.repeat(1000));
    writeFileSync(join(store, 'package.json'), 'y'.repeat(24));
    linkSync(join(store, 'index.js'), join(store, 'index-hard-link.js'));
    symlinkSync(store, join(root, 'node_modules', 'zod'));
    symlinkSync(join(root, 'missing'), join(root, 'node_modules', 'dangling'));

    expect(directoryBytes(join(root, 'node_modules'))).toBe(1024);
    expect(directoryBytes(join(root, 'node_modules', 'zod'))).toBe(1024);
  });
});
