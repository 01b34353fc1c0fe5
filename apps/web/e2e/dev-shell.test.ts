import { describe, expect, it } from 'bun:test';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toAppError } from '@gopherchat/sdk';
import { loadTestServices, signedInClient, signUpClient, TEST_PASSWORD } from '@gopherchat/server/testing';
import { freePort, fromUserMenu, launchBrowser, REPO_ROOT, saveScreenshot, signUpInPage } from './browser.ts';

/** Another device of `username`: signs in over plain HTTP (through the dev proxy) and returns an SDK client. */
async function signInClient(baseUrl: string, username: string) {
  const response = await fetch(new URL('/trpc/auth.login', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: username, password: TEST_PASSWORD }),
  });
  const body = (await response.json()) as { result?: { data: { accessToken: string } } };
  const accessToken = body.result?.data.accessToken;
  if (!accessToken) throw new Error(`sign-in of ${username} failed: ${JSON.stringify(body)}`);
  return signedInClient(baseUrl, accessToken);
}

/**
 * `bun run dev` from the repository root, as a developer on a bare machine
 * runs it: no DATABASE_URL, no REDIS_URL, nothing but PATH and HOME.
 */
async function startDevStack() {
  const services = loadTestServices();
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const child = spawn('bun', ['run', 'dev'], {
    cwd: REPO_ROOT,
    detached: true, // its own process group, so the whole tree stops together
    env: {
      PATH: services.path,
      HOME: services.home,
      PORT: String(apiPort),
      WEB_PORT: String(webPort),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'gopherchat-dev-')),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Up once both the API and Vite said so in their output; awaited as it arrives, not polled.
  const { promise: ready, resolve, reject } = Promise.withResolvers<void>();
  const hear = (chunk: unknown) => {
    output += String(chunk);
    if (output.includes('GopherChat server listening') && output.includes('Local:')) resolve();
  };
  child.stdout.on('data', hear);
  child.stderr.on('data', hear);
  child.once('exit', () => reject(new Error(`bun run dev exited early:\n${output}`)));
  const deadline = setTimeout(() => reject(new Error(`bun run dev did not come up:\n${output}`)), 30_000);
  await ready.finally(() => clearTimeout(deadline));
  const stop = async () => {
    if (child.pid === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  };
  return { webUrl: `http://127.0.0.1:${webPort}`, output: () => output, [Symbol.asyncDispose]: stop };
}

describe('bun run dev (embedded defaults)', () => {
  it('serves the shell: a typed query result and a live subscription, with no services', async () => {
    await using dev = await startDevStack();
    await using browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(dev.webUrl);
    await signUpInPage(page, 'devuser');
    await fromUserMenu(page, 'Announcements');

    await expect(page.getByTestId('server-database').textContent()).resolves.toBe('Embedded PostgreSQL (PGlite)');
    await expect(page.getByTestId('server-bus').textContent()).resolves.toBe('In-process bus');
    await page.getByTestId('feed-status').getByText('Live').waitFor();

    // Posted from the page: shown once the mutation returns.
    await page.getByLabel('New announcement').fill('Hello from the browser');
    await page.getByLabel('New announcement').press('Enter');
    await page.getByText('Hello from the browser').waitFor();

    // Anyone else reads along but may not post: devuser, the first account, is the server's admin.
    await using bot = await signUpClient(dev.webUrl, 'devbot');
    const refused = await bot.api.announcements.post.mutate({ text: 'Hello from a bot' }).catch((error) => error);
    expect(toAppError(refused).appCode).toBe('FORBIDDEN');

    // Posted from the admin's other device (the SDK, through the dev proxy): arrives over the subscription.
    await using otherDevice = await signInClient(dev.webUrl, 'devuser');
    await otherDevice.api.announcements.post.mutate({ text: 'Hello from another device, live' });
    await page.getByText('Hello from another device, live').waitFor();

    await expect(page.getByTestId('announcement').count()).resolves.toBe(2);
    await saveScreenshot(page, 'dev-shell');
  });
});
