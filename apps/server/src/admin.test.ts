import { describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { toAppError } from '@gopherchat/sdk';
import { uuidv7 } from 'uuidv7';
import { loadTestServices } from './env.ts';
import { createAuthRepo, createRoleRepo } from './modules/auth/index.ts';
import { openDatabase, resolveMigrationsDir } from './platform/database/index.ts';
import { createTestDatabase } from './testing/database.ts';
import { startTestServer } from './testing/test-server.ts';

const ADMIN_CLI = resolve(import.meta.dir, 'admin.ts');
/** A fresh embedded database runs initdb: slow on a busy 2-core machine. */
const SLOW = 90_000;

/** `bun run admin -- …` as an operator runs it: a separate process with only `env` (and PATH). */
async function admin(env: Record<string, string>, ...args: string[]) {
  const child = Bun.spawn(['bun', ADMIN_CLI, ...args], {
    env: { PATH: loadTestServices().path, LOG_LEVEL: 'silent', ...env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { stdout: stdout.trim(), stderr: stderr.trim(), exitCode };
}

async function createAccounts(db: Parameters<typeof createAuthRepo>[0], ...usernames: string[]) {
  const repo = createAuthRepo(db);
  for (const username of usernames) {
    const at = new Date();
    await repo.createUserWithPassword(
      { id: uuidv7(), username, email: `${username}@example.com`, displayName: username, createdAt: at, updatedAt: at },
      '$2b$04$notarealhashbutshapedlikeone',
      uuidv7(),
    );
  }
}

describe('bun run admin', () => {
  it('grants, lists and revokes admin by username on DATABASE_URL', async () => {
    await using testDatabase = await createTestDatabase('admin_cli');
    const database = await openDatabase(
      { kind: 'postgres', url: testDatabase.url, poolSize: 2 },
      await resolveMigrationsDir(undefined),
    );
    try {
      await database.migrate();
      await createAccounts(database.db, 'founder', 'Bob');
      const env = { DATABASE_URL: testDatabase.url };

      expect(await admin(env, 'grant', 'bob')).toEqual({
        stdout: 'Bob is now an admin, from their next request.',
        stderr: '',
        exitCode: 0,
      });
      expect((await admin(env, 'grant', 'BOB')).stdout).toBe('Bob was already an admin.');
      expect((await admin(env, 'list')).stdout).toBe('founder <founder@example.com>\nBob <Bob@example.com>');
      expect((await admin(env, 'revoke', 'bob')).stdout).toBe('Bob is no longer an admin, from their next request.');
      expect((await admin(env, 'revoke', 'founder')).stdout).toBe(
        'founder is no longer an admin, from their next request.\n' +
          'This server has no admin left: nobody can post announcements until you grant someone.',
      );
      expect(await createRoleRepo(database.db).listAdmins()).toEqual([]);
      expect(await admin(env, 'grant', 'nobody')).toMatchObject({
        stderr: 'No account is named "nobody".',
        exitCode: 1,
      });
    } finally {
      await database.close();
    }
  });

  it('explains its usage on a wrong command line, touching no database', async () => {
    const result = await admin({ DATABASE_URL: 'postgres://127.0.0.1:1/nothing-here' }, 'promote', 'bob');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toStartWith('Unknown command: promote\n\nUsage: bun run admin -- <command>');
    expect((await admin({}, 'grant')).stderr).toStartWith('Say whose role to change: grant <username>');
  });

  it('takes admin away from a signed-in admin at their next post, whatever token they hold', async () => {
    await using t = await startTestServer({ label: 'admin_cli_live', database: 'postgres' });
    const founder = await t.signUp('founder');
    const bob = await t.signUp('bob');
    const env = { DATABASE_URL: t.databaseUrl ?? '' };

    expect((await admin(env, 'grant', 'bob')).exitCode).toBe(0);
    await bob.api.announcements.post.mutate({ text: 'granted while signed in' });
    expect(await bob.api.auth.me.query()).toMatchObject({ role: 'admin' });

    expect((await admin(env, 'revoke', 'bob')).exitCode).toBe(0);
    const refused = await bob.api.announcements.post
      .mutate({ text: 'after the revoke' })
      .catch((error: unknown) => error);
    expect(toAppError(refused).appCode).toBe('FORBIDDEN');
    expect(await bob.api.auth.me.query()).toMatchObject({ role: 'member' });
    await founder.api.announcements.post.mutate({ text: 'the founder still can' });
  });

  it(
    'refuses clearly while a server has the embedded database open, and works once it is stopped',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'gopherchat-admin-'));
      try {
        const database = await openDatabase(
          { kind: 'pglite', dataDir: join(dataDir, 'pglite') },
          await resolveMigrationsDir(undefined),
        );
        try {
          await database.migrate();
          await createAccounts(database.db, 'founder', 'bob');
          // This test process is "the server" holding the data directory.
          const refused = await admin({ DATA_DIR: dataDir }, 'grant', 'bob');
          expect(refused.exitCode).toBe(1);
          expect(refused.stderr).toContain(`already open in process ${process.pid}`);
          expect(refused.stderr).toEndWith('Stop the server before changing roles on its embedded database.');
        } finally {
          await database.close();
        }

        expect(await admin({ DATA_DIR: dataDir }, 'grant', 'bob')).toMatchObject({
          stdout: 'bob is now an admin, from their next request.',
          exitCode: 0,
        });
        const reopened = await openDatabase(
          { kind: 'pglite', dataDir: join(dataDir, 'pglite') },
          await resolveMigrationsDir(undefined),
        );
        try {
          expect((await createRoleRepo(reopened.db).listAdmins()).map((holder) => holder.username)).toEqual([
            'founder',
            'bob',
          ]);
        } finally {
          await reopened.close();
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});
