import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

// `pnpm demo` is the README's main command: it must start the sandbox and both apps, print their
// URLs, serve them, and stop cleanly on Ctrl-C.
it('the demo starts the sandbox and both apps, prints their URLs and stops on SIGINT', async () => {
  const root = join(import.meta.dirname, '..', '..', '..');
  const child = spawn(
    process.execPath,
    ['--conditions=@colchis/source', '--import', 'tsx', join(root, 'examples', 'demo.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        SANDBOX_PORT: '0',
        ENROLLMENT_PORT: '0',
        SUBSCRIPTION_PORT: '0',
        COLCHIS_PROVIDER: 'bog',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await expect.poll(() => output, { timeout: 45_000, interval: 200 }).toContain('Ctrl-C stops');
    const enrollment = /Course enrollment\s+(http:\/\/\S+)/.exec(output)?.[1];
    const subscription = /Subscriptions\s+(http:\/\/\S+)/.exec(output)?.[1];
    const sandbox = /Sandbox\s+(http:\/\/\S+)/.exec(output)?.[1];
    expect(await (await fetch(`${enrollment}/`)).text()).toContain('TypeScript for Payment Engineers');
    expect(await (await fetch(`${subscription}/`)).text()).toContain('Team licence');
    expect((await fetch(`${sandbox}/_control`)).status).toBe(200);
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
}, 60_000);
