import type { ServerRole } from '@gopherchat/api';
import { users } from '@gopherchat/db';
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../platform/database/index.ts';

export interface RoleHolder {
  id: string;
  username: string;
  email: string;
  role: ServerRole;
}

/** What setting a role did: the account, and its role before. */
export interface RoleChange {
  user: RoleHolder;
  previous: ServerRole;
}

const holderColumns = { id: users.id, username: users.username, email: users.email, role: users.role };

/**
 * Server roles, read and written in the database. Nothing caches a role:
 * privileged calls read it here each time, so a revocation bites at the
 * caller's next request, whatever access token they hold.
 */
export function createRoleRepo(db: Database) {
  return {
    /** The account's role now; undefined when it no longer exists. */
    async roleOf(userId: string): Promise<ServerRole | undefined> {
      const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId)).limit(1);
      return row?.role;
    },

    /** Gives the account named `username` (any case) `role`; undefined when there is no such account. */
    async setRole(username: string, role: ServerRole): Promise<RoleChange | undefined> {
      return db.transaction(async (tx) => {
        const [before] = await tx
          .select(holderColumns)
          .from(users)
          .where(eq(sql`lower(${users.username})`, username.toLowerCase()))
          .for('update')
          .limit(1);
        if (!before) return undefined;
        if (before.role !== role) await tx.update(users).set({ role }).where(eq(users.id, before.id));
        return { user: { ...before, role }, previous: before.role };
      });
    },

    /** Every admin, oldest account first. */
    async listAdmins(): Promise<RoleHolder[]> {
      return db.select(holderColumns).from(users).where(eq(users.role, 'admin')).orderBy(asc(users.createdAt));
    },
  };
}
