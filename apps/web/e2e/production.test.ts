import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { resolve } from 'node:path';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  spawnServer,
  type TestDatabase,
  testPhoto,
  testRedisUrl,
  uniqueKeyPrefix,
} from '@gopherchat/server/testing';
import {
  attach,
  buildWebAppOnce,
  fromUserMenu,
  launchBrowser,
  REPO_ROOT,
  saveScreenshot,
  signUpInPage,
  startConversation,
  write,
} from './browser.ts';

const BINARY = resolve(REPO_ROOT, 'apps/server/dist/gopherchat-server');
/** libvips, which the binary's image addon links against, is shipped beside it (as in the Docker image). */
const BINARY_LIBRARIES = resolve(REPO_ROOT, 'apps/server/dist/lib');

/**
 * The production shape: `bun run build` (web app, then the compiled server
 * that embeds it), run against the real PostgreSQL and Redis.
 */
describe('compiled server binary on PostgreSQL and Redis', () => {
  let database: TestDatabase;
  const keyPrefix = uniqueKeyPrefix('production');

  beforeAll(async () => {
    // What `bun run build` does: the web app (once per test run), then the server binary that embeds it.
    buildWebAppOnce();
    const build = Bun.spawnSync(['bun', 'run', '--filter', '@gopherchat/server', 'build'], {
      cwd: REPO_ROOT,
      stdout: 'pipe',
      stderr: 'pipe',
    });
    if (build.exitCode !== 0) throw new Error(`server build failed:\n${build.stderr.toString()}`);
    database = await createTestDatabase('production');
  });

  afterAll(async () => {
    await database?.drop();
    await deleteKeysWithPrefix(keyPrefix);
  });

  it('serves the web app it embeds, two people see each other’s posts live, and an image is processed', async () => {
    await using server = await spawnServer(
      {
        DATABASE_URL: database.url,
        REDIS_URL: testRedisUrl,
        REDIS_KEY_PREFIX: keyPrefix,
        NODE_ENV: 'production',
        LD_LIBRARY_PATH: BINARY_LIBRARIES,
      },
      { command: [BINARY] },
    );
    await using browser = await launchBrowser();
    const alice = await (await browser.newContext()).newPage();
    const bob = await (
      await browser.newContext({ colorScheme: 'dark', viewport: { width: 390, height: 780 } })
    ).newPage();
    for (const [page, name] of [
      [alice, 'alice'],
      [bob, 'bob'],
    ] as const) {
      await page.goto(server.url.href);
      await signUpInPage(page, name);
      await fromUserMenu(page, 'Announcements');
      await page.getByTestId('feed-status').getByText('Live').waitFor();
    }
    await expect(alice.getByTestId('server-database').textContent()).resolves.toBe('PostgreSQL');
    await expect(alice.getByTestId('server-bus').textContent()).resolves.toBe('Redis pub/sub');

    // Alice signed up first, so she is the server's admin: only she is offered the form.
    await alice.getByLabel('New announcement').fill('Deploy finished, all green');
    await alice.getByRole('button', { name: 'Post' }).click();
    await bob.getByText('Deploy finished, all green').waitFor();
    await expect(bob.getByLabel('New announcement').count()).resolves.toBe(0);

    await alice.getByLabel('New announcement').fill('   ');
    await alice.getByLabel('New announcement').press('Enter');
    await expect(alice.getByRole('main').getByRole('alert').textContent()).resolves.toBe(
      'Write something to announce.',
    );

    await saveScreenshot(alice, 'production-light-desktop');
    await saveScreenshot(bob, 'production-dark-phone');

    // An image goes through the binary's own worker thread and native image library: bob gets its thumbnail live.
    for (const page of [alice, bob]) await page.getByRole('button', { name: 'Back to conversations' }).click();
    await startConversation(alice, 'Direct', { usernames: ['bob'] });
    await write(alice, 'Photo incoming');
    await bob.getByTestId('conversation').filter({ hasText: 'alice' }).click();
    await bob.getByTestId('message-list').getByText('Photo incoming').waitFor();
    const photo = Buffer.from(await testPhoto(900, 600));
    await attach(alice, [{ name: 'release.jpg', mimeType: 'image/jpeg', buffer: photo }]);
    const thumbnail = bob.getByTestId('message-list').getByTestId('attachment-thumbnail');
    await thumbnail.waitFor();
    await expect(thumbnail.getAttribute('src')).resolves.toContain('thumbnail.webp');

    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
