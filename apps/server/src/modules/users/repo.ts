import type { UserProfile } from '@gopherchat/api';
import { users } from '@gopherchat/db';
import { asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Database } from '../../platform/database/index.ts';

const profileColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  avatarKey: users.avatarKey,
};

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
      return db.select(profileColumns).from(users).where(inArray(users.id, ids));
    },

    async profileByUsername(username: string): Promise<UserProfile | undefined> {
      const [row] = await db
        .select(profileColumns)
        .from(users)
        .where(eq(sql`lower(${users.username})`, username.toLowerCase()))
        .limit(1);
      return row;
    },

    search: (query: string, limit: number): Promise<UserProfile[]> => searchQuery(db, query, limit),

    async updateDisplayName(id: string, displayName: string, at: Date): Promise<UserProfile | undefined> {
      const [row] = await db
        .update(users)
        .set({ displayName, updatedAt: at })
        .where(eq(users.id, id))
        .returning(profileColumns);
      return row;
    },
  };
}

export type UserRepo = ReturnType<typeof createUserRepo>;
