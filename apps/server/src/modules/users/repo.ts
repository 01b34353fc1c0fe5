import type { UserProfile } from '@gopherchat/api';
import { users } from '@gopherchat/db';
import { asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Database } from '../../platform/database/index.ts';
import { statusFieldOf } from './stored-status.ts';

const profileColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  avatarKey: users.avatarKey,
  statusText: users.statusText,
  statusEmoji: users.statusEmoji,
  statusExpiresAt: users.statusExpiresAt,
};

type ProfileRow = { [Key in keyof typeof profileColumns]: (typeof profileColumns)[Key]['_']['data'] | null } & {
  id: string;
  username: string;
  displayName: string;
};

/** A profile as the wire has it: the status only when one is set (expired ones are left out where it is read). */
function toProfile(row: ProfileRow): UserProfile {
  const { statusText, statusEmoji, statusExpiresAt, ...profile } = row;
  return { ...profile, ...statusFieldOf({ statusText, statusEmoji, statusExpiresAt }) };
}

/** `text` matched literally at the start of a LIKE pattern: its own % and _ are not wildcards. */
function startsWithPattern(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * The search statement, exported so a test can EXPLAIN exactly it: each arm
 * must be a range scan of its `text_pattern_ops` index, not a scan of users.
 */
export function searchQuery(db: Database, query: string, limit: number) {
  const pattern = startsWithPattern(query);
  return (
    db
      .select(profileColumns)
      .from(users)
      .where(or(sql`lower(${users.username}) like ${pattern}`, sql`lower(${users.displayName}) like ${pattern}`))
      // Exact usernames first, then the shortest (closest) matches.
      .orderBy(
        sql`lower(${users.username}) = ${query.toLowerCase()} desc`,
        sql`length(${users.username})`,
        asc(users.username),
      )
      .limit(limit)
  );
}

export function createUserRepo(db: Database) {
  return {
    async profilesByIds(ids: string[]): Promise<UserProfile[]> {
      if (ids.length === 0) return [];
      return (await db.select(profileColumns).from(users).where(inArray(users.id, ids))).map(toProfile);
    },

    async profileByUsername(username: string): Promise<UserProfile | undefined> {
      const [row] = await db
        .select(profileColumns)
        .from(users)
        .where(eq(sql`lower(${users.username})`, username.toLowerCase()))
        .limit(1);
      return row && toProfile(row);
    },

    search: async (query: string, limit: number): Promise<UserProfile[]> =>
      (await searchQuery(db, query, limit)).map(toProfile),

    async updateDisplayName(id: string, displayName: string, at: Date): Promise<UserProfile | undefined> {
      const [row] = await db
        .update(users)
        .set({ displayName, updatedAt: at })
        .where(eq(users.id, id))
        .returning(profileColumns);
      return row && toProfile(row);
    },

    /** Sets (or, with null, removes) the profile picture: the profile, and the key it replaced. */
    async setAvatarKey(
      id: string,
      avatarKey: string | null,
      at: Date,
    ): Promise<{ profile: UserProfile; replaced: string | null } | undefined> {
      return db.transaction(async (tx) => {
        const [before] = await tx
          .select({ avatarKey: users.avatarKey })
          .from(users)
          .where(eq(users.id, id))
          .for('update');
        if (!before) return undefined;
        const [row] = await tx
          .update(users)
          .set({ avatarKey, updatedAt: at })
          .where(eq(users.id, id))
          .returning(profileColumns);
        return row && { profile: toProfile(row), replaced: before.avatarKey };
      });
    },

    /** Sets the status, or clears it (`status` null). */
    async setStatus(
      id: string,
      status: { text: string; emoji: string | null; expiresAt: Date | null } | null,
      at: Date,
    ) {
      const [row] = await db
        .update(users)
        .set({
          statusText: status?.text ?? null,
          statusEmoji: status?.emoji ?? null,
          statusExpiresAt: status?.expiresAt ?? null,
          updatedAt: at,
        })
        .where(eq(users.id, id))
        .returning(profileColumns);
      return row && toProfile(row);
    },
  };
}

export type UserRepo = ReturnType<typeof createUserRepo>;
