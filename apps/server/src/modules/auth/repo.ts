import { credentials, firstAdminClaim, sessions, users } from '@gopherchat/db';
import { and, eq, gt, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../../platform/database/index.ts';

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type NewSessionRow = typeof sessions.$inferInsert;

export interface OAuthIdentity {
  id: string;
  provider: string;
  providerUserId: string;
}

export interface ActiveSessionRow {
  familyId: string;
  startedAt: Date;
  lastUsedAt: Date;
  userAgent: string | null;
  ip: string | null;
}

/**
 * Inserts the user; the very first one on the server becomes its admin. Call
 * inside a transaction: the claim's row lock is what makes racing first
 * sign-ups wait for each other (see `firstAdminClaim`), and the claim must
 * roll back with the user if the rest of the account fails.
 */
async function insertUserClaimingFirstAdmin(tx: Database, user: typeof users.$inferInsert): Promise<UserRow> {
  const [created] = await tx.insert(users).values(user).returning();
  if (!created) throw new Error('insert returned no user');
  const claimed = await tx
    .insert(firstAdminClaim)
    .values({ userId: created.id })
    .onConflictDoNothing()
    .returning({ userId: firstAdminClaim.userId });
  if (claimed.length === 0) return created;
  const [admin] = await tx.update(users).set({ role: 'admin' }).where(eq(users.id, created.id)).returning();
  if (!admin) throw new Error('update returned no user');
  return admin;
}

function createAuthQueries(db: Database) {
  return {
    /** The account behind a username or an email (case-insensitive), with its password hash if it has one. */
    async findUserForLogin(login: string): Promise<{ user: UserRow; passwordHash: string | null } | undefined> {
      const column = login.includes('@') ? users.email : users.username;
      const [row] = await db
        .select({ user: users, passwordHash: credentials.passwordHash })
        .from(users)
        .leftJoin(credentials, and(eq(credentials.userId, users.id), eq(credentials.kind, 'password')))
        .where(eq(sql`lower(${column})`, login.toLowerCase()))
        .limit(1);
      return row;
    },

    async findUserById(id: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
      return row;
    },

    /** Inserts the user and their password credential together. Unique violations propagate. */
    async createUserWithPassword(user: typeof users.$inferInsert, passwordHash: string, credentialId: string) {
      return db.transaction(async (tx) => {
        const created = await insertUserClaimingFirstAdmin(tx as unknown as Database, user);
        await tx.insert(credentials).values({ id: credentialId, userId: created.id, kind: 'password', passwordHash });
        return created;
      });
    },

    async findUserByEmail(email: string): Promise<UserRow | undefined> {
      const [row] = await db
        .select()
        .from(users)
        .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
        .limit(1);
      return row;
    },

    async findUserByOAuthIdentity(provider: string, providerUserId: string): Promise<UserRow | undefined> {
      const [row] = await db
        .select({ user: users })
        .from(credentials)
        .innerJoin(users, eq(users.id, credentials.userId))
        .where(
          and(
            eq(credentials.kind, 'oauth'),
            eq(credentials.provider, provider),
            eq(credentials.providerUserId, providerUserId),
          ),
        )
        .limit(1);
      return row?.user;
    },

    /** Inserts the user and their OAuth identity together. Unique violations propagate. */
    async createUserWithOAuth(user: typeof users.$inferInsert, identity: OAuthIdentity) {
      return db.transaction(async (tx) => {
        const created = await insertUserClaimingFirstAdmin(tx as unknown as Database, user);
        await tx.insert(credentials).values({ ...identity, userId: created.id, kind: 'oauth' });
        return created;
      });
    },

    async insertOAuthIdentity(userId: string, identity: OAuthIdentity) {
      await db.insert(credentials).values({ ...identity, userId, kind: 'oauth' });
    },

    /**
     * Marks the email as proven and drops the password: whoever chose that
     * password never proved they own the address (see signInWithProvider).
     */
    async verifyEmailDroppingPassword(userId: string, now: Date) {
      await db.update(users).set({ emailVerifiedAt: now, updatedAt: now }).where(eq(users.id, userId));
      await db.delete(credentials).where(and(eq(credentials.userId, userId), eq(credentials.kind, 'password')));
    },

    async listCredentials(userId: string): Promise<{ kind: 'password' | 'oauth'; provider: string | null }[]> {
      return db
        .select({ kind: credentials.kind, provider: credentials.provider })
        .from(credentials)
        .where(eq(credentials.userId, userId))
        .orderBy(credentials.createdAt);
    },

    async findPasswordHash(userId: string): Promise<string | null> {
      const [row] = await db
        .select({ passwordHash: credentials.passwordHash })
        .from(credentials)
        .where(and(eq(credentials.userId, userId), eq(credentials.kind, 'password')))
        .limit(1);
      return row?.passwordHash ?? null;
    },

    async updatePasswordHash(userId: string, passwordHash: string, now: Date) {
      await db
        .update(credentials)
        .set({ passwordHash, updatedAt: now })
        .where(and(eq(credentials.userId, userId), eq(credentials.kind, 'password')));
    },

    async insertSession(row: NewSessionRow) {
      await db.insert(sessions).values(row);
    },

    /** The row of a refresh token, locked until the transaction ends (call inside `transaction`). */
    async lockSessionByTokenHash(tokenHash: string): Promise<SessionRow | undefined> {
      const [row] = await db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash)).for('update').limit(1);
      return row;
    },

    async lockChildSession(parentId: string): Promise<SessionRow | undefined> {
      const [row] = await db.select().from(sessions).where(eq(sessions.parentId, parentId)).for('update').limit(1);
      return row;
    },

    async markRotated(id: string, now: Date) {
      await db.update(sessions).set({ rotatedAt: now, lastUsedAt: now }).where(eq(sessions.id, id));
    },

    async touchSession(id: string, now: Date) {
      await db.update(sessions).set({ lastUsedAt: now }).where(eq(sessions.id, id));
    },

    /** Revokes every token of the family; returns whether any was still live. */
    async revokeFamily(familyId: string, reason: string, now: Date): Promise<boolean> {
      const revoked = await db
        .update(sessions)
        .set({ revokedAt: now, revokeReason: reason })
        .where(and(eq(sessions.familyId, familyId), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id });
      return revoked.length > 0;
    },

    /** Revokes every family of the user (but `keepFamilyId`); returns the families revoked. */
    async revokeFamiliesOfUser(userId: string, reason: string, now: Date, keepFamilyId?: string): Promise<string[]> {
      const revoked = await db
        .update(sessions)
        .set({ revokedAt: now, revokeReason: reason })
        .where(
          and(
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
            keepFamilyId ? ne(sessions.familyId, keepFamilyId) : undefined,
          ),
        )
        .returning({ familyId: sessions.familyId });
      return [...new Set(revoked.map((row) => row.familyId))];
    },

    /**
     * Deletes the rows of sign-ins that can never be used again: expired or
     * revoked before `before`. Returns how many rows went.
     */
    async deleteDeadSessions(before: Date): Promise<number> {
      const deleted = await db
        .delete(sessions)
        .where(or(lt(sessions.familyExpiresAt, before), lt(sessions.revokedAt, before)))
        .returning({ id: sessions.id });
      return deleted.length;
    },

    /** Whether the family was revoked (signed out); what the revocation cache says when it can be read. */
    async isFamilyRevoked(familyId: string): Promise<boolean> {
      const [row] = await db
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.familyId, familyId), isNotNull(sessions.revokedAt)))
        .limit(1);
      return row !== undefined;
    },

    async findFamilyOwner(familyId: string): Promise<string | undefined> {
      const [row] = await db
        .select({ userId: sessions.userId })
        .from(sessions)
        .where(eq(sessions.familyId, familyId))
        .limit(1);
      return row?.userId;
    },

    /** Signed-in devices of a user: families with a live (unrotated, unexpired, unrevoked) token. */
    async listActiveFamilies(userId: string, now: Date): Promise<ActiveSessionRow[]> {
      const rows = await db
        .select({
          familyId: sessions.familyId,
          startedAt: sql<Date>`min(${sessions.createdAt})`.mapWith(sessions.createdAt),
          lastUsedAt: sql<Date>`max(${sessions.lastUsedAt})`.mapWith(sessions.lastUsedAt),
          userAgent: sql<string | null>`(array_agg(${sessions.userAgent} order by ${sessions.createdAt} desc))[1]`,
          ip: sql<string | null>`(array_agg(${sessions.ip} order by ${sessions.createdAt} desc))[1]`,
        })
        .from(sessions)
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
        .groupBy(sessions.familyId)
        .having(
          sql`bool_or(${and(isNull(sessions.rotatedAt), gt(sessions.expiresAt, now), gt(sessions.familyExpiresAt, now))})`,
        )
        .orderBy(sql`max(${sessions.lastUsedAt}) desc`);
      return rows;
    },
  };
}

export type AuthQueries = ReturnType<typeof createAuthQueries>;

export function createAuthRepo(db: Database) {
  return {
    ...createAuthQueries(db),
    /** Runs `work` in one transaction, with the queries bound to it. */
    transaction<T>(work: (tx: AuthQueries) => Promise<T>): Promise<T> {
      return db.transaction((tx) => work(createAuthQueries(tx as unknown as Database)));
    },
  };
}

export type AuthRepo = ReturnType<typeof createAuthRepo>;
