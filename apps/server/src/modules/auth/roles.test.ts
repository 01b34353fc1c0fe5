import { describe, expect, it } from 'bun:test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { users } from '@gopherchat/db';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { uuidv7 } from 'uuidv7';
import { openDatabase, resolveMigrationsDir } from '../../platform/database/index.ts';
import { createTestDatabase } from '../../testing/database.ts';
import { createAuthRepo } from './repo.ts';
import { createRoleRepo } from './roles.ts';

/** A fresh, migrated database on the real PostgreSQL, with its name and URL for side connections. */
async function freshDatabase(label: string, migrationsDir?: string) {
  const testDatabase = await createTestDatabase(label);
  const database = await openDatabase(
    { kind: 'postgres', url: testDatabase.url, poolSize: 4 },
    migrationsDir ?? (await resolveMigrationsDir(undefined)),
  );
  await database.migrate();
  return {
    ...testDatabase,
    db: database.db,
    async [Symbol.asyncDispose]() {
      await database.close();
      await testDatabase.drop();
    },
  };
}

const newUser = (username: string, createdAt = new Date()) => ({
  id: uuidv7(),
  username,
  email: `${username}@example.com`,
  displayName: username,
  createdAt,
  updatedAt: createdAt,
});

const withPassword = (repo: ReturnType<typeof createAuthRepo>, username: string) =>
  repo.createUserWithPassword(newUser(username), '$2b$04$notarealhashbutshapedlikeone', uuidv7());

describe('server roles', () => {
  it('makes the first account admin and every later one a member, however they signed up', async () => {
    await using database = await freshDatabase('roles_first');
    const repo = createAuthRepo(database.db);
    const first = await repo.createUserWithOAuth(newUser('founder'), {
      id: uuidv7(),
      provider: 'github',
      providerUserId: '1',
    });
    const second = await withPassword(repo, 'second');
    const third = await repo.createUserWithOAuth(newUser('third'), {
      id: uuidv7(),
      provider: 'github',
      providerUserId: '3',
    });
    expect([first.role, second.role, third.role]).toEqual(['admin', 'member', 'member']);
    expect(await createRoleRepo(database.db).roleOf(first.id)).toBe('admin');
  });

  it('makes exactly one of two racing first sign-ups admin, and signs both up (both could become admin)', async () => {
    await using database = await freshDatabase('roles_race');
    const repo = createAuthRepo(database.db);
    const side = postgres(database.url, { max: 2, onnotice: () => {} });
    try {
      // Both sign-ups insert their user, then wait here together: the race at its tightest.
      const blocker = await side.reserve();
      await blocker`begin`;
      await blocker`lock table first_admin_claim in access exclusive mode`;
      const racing = Promise.allSettled([withPassword(repo, 'racer-a'), withPassword(repo, 'racer-b')]);
      const waiting = async () =>
        (
          await side`select count(*)::int as n from pg_stat_activity
                     where datname = ${database.name} and wait_event_type = 'Lock'`
        )[0]?.n as number;
      // Each look at pg_stat_activity paces the next: no sleep, and the test's timeout bounds it.
      while ((await waiting()) < 2);
      await blocker`commit`;
      blocker.release();

      const outcomes = await racing;
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled']);
      const roles = outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.role : undefined));
      expect(roles.toSorted()).toEqual(['admin', 'member']);
    } finally {
      await side.end();
    }
  });

  it('hands admin to no later sign-up once the first account is demoted or deleted', async () => {
    await using database = await freshDatabase('roles_claimed');
    const repo = createAuthRepo(database.db);
    const roles = createRoleRepo(database.db);
    await withPassword(repo, 'founder');
    await roles.setRole('founder', 'member');
    expect((await withPassword(repo, 'after-demotion')).role).toBe('member');
    await database.db.delete(users).where(eq(users.username, 'founder'));
    expect((await withPassword(repo, 'after-deletion')).role).toBe('member');
    expect(await roles.listAdmins()).toEqual([]);
  });

  it('grants and revokes by username in any case, and says what the role was', async () => {
    await using database = await freshDatabase('roles_set');
    const repo = createAuthRepo(database.db);
    const roles = createRoleRepo(database.db);
    await withPassword(repo, 'founder');
    const bob = await withPassword(repo, 'Bob');
    expect(await roles.setRole('BOB', 'admin')).toMatchObject({
      user: { id: bob.id, role: 'admin' },
      previous: 'member',
    });
    expect(await roles.setRole('bob', 'admin')).toMatchObject({ previous: 'admin' });
    expect((await roles.listAdmins()).map((admin) => admin.username)).toEqual(['founder', 'Bob']);
    expect(await roles.setRole('bob', 'member')).toMatchObject({ user: { role: 'member' }, previous: 'admin' });
    expect(await roles.roleOf(bob.id)).toBe('member');
    expect(await roles.setRole('nobody', 'admin')).toBeUndefined();
  });

  it('makes the oldest account of a server that had accounts before roles its admin, and no later one', async () => {
    // The migrations as they were before roles existed.
    const migrationsDir = await resolveMigrationsDir(undefined);
    const before = mkdtempSync(join(tmpdir(), 'gopherchat-migrations-'));
    try {
      cpSync(migrationsDir, before, { recursive: true });
      const journalPath = join(before, 'meta/_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
      const rolesAt = journal.entries.findIndex((entry) => entry.tag === '0006_server_roles');
      expect(rolesAt).toBeGreaterThan(0);
      writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, rolesAt) }));

      await using old = await freshDatabase('roles_upgrade', before);
      const sql = postgres(old.url, { max: 1, onnotice: () => {} });
      try {
        await sql`insert into users (id, username, email, display_name, created_at) values
          (${uuidv7()}, 'newer', 'newer@example.com', 'Newer', '2026-06-01T00:00:00Z'),
          (${uuidv7()}, 'oldest', 'oldest@example.com', 'Oldest', '2026-01-01T00:00:00Z')`;
      } finally {
        await sql.end();
      }
      const upgraded = await openDatabase({ kind: 'postgres', url: old.url, poolSize: 2 }, migrationsDir);
      try {
        await upgraded.migrate();
        const roles = createRoleRepo(upgraded.db);
        expect((await roles.listAdmins()).map((admin) => admin.username)).toEqual(['oldest']);
        expect((await withPassword(createAuthRepo(upgraded.db), 'latecomer')).role).toBe('member');
      } finally {
        await upgraded.close();
      }
    } finally {
      rmSync(before, { recursive: true, force: true });
    }
  });
});
