// Runs docs/getting-started.md as a newcomer would: the guide's two TypeScript blocks become
// pay.ts and pay-without-a-browser.ts in a scratch project; pay.ts starts the sandbox and waits;
// the second script pays on the hosted page; pay.ts must end with the captured payment.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'colchis-getting-started-'));
let payScript: ChildProcess | undefined;

afterAll(() => {
  payScript?.kill();
  rmSync(scratch, { recursive: true, force: true });
});

it('takes a newcomer from createPayment to a captured payment', async () => {
  const guide = readFileSync(join(root, 'docs', 'getting-started.md'), 'utf8');
  const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);
  expect(blocks).toHaveLength(2);
  writeFileSync(join(scratch, 'package.json'), '{ "type": "module" }');
  writeFileSync(join(scratch, 'pay.ts'), blocks[0] as string);
  writeFileSync(join(scratch, 'pay-without-a-browser.ts'), blocks[1] as string);
  // The docs workspace package depends on every @colchis package (as `npm install` would provide).
  symlinkSync(join(root, 'docs', 'node_modules'), join(scratch, 'node_modules'));

  const port = 20_000 + Math.floor(Math.random() * 20_000);
  payScript = spawn(process.execPath, [tsx, '--conditions=@colchis/source', 'pay.ts'], {
    cwd: scratch,
    env: { ...process.env, PORT: String(port) },
  });
  let output = '';
  payScript.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  payScript.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => payScript?.on('exit', resolve));

  const started = Date.now();
  let pageUrl: string | undefined;
  while (!pageUrl && Date.now() - started < 20_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    pageUrl = /Open (http\S+)/.exec(output)?.[1];
  }
  expect(pageUrl, output).toBeDefined();

  const pay = spawnSync(process.execPath, [tsx, 'pay-without-a-browser.ts', pageUrl as string], {
    cwd: scratch,
    encoding: 'utf8',
  });
  expect(pay.status, pay.stderr).toBe(0);
  expect(pay.stdout).toContain(`http://127.0.0.1:${port}/return`);

  expect(await exited).toBe(0);
  expect(output).toContain('Verified webhook: order-1001 is captured');
  expect(output).toContain('getPayment: captured, 2500 of 2500 tetri captured.');
}, 60_000);
