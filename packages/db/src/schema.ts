import { sql } from 'drizzle-orm';
import { bigint, check, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Server-wide announcements: a small append-only stream. Ids are gap-free
 * and become visible in id order (the repository allocates them under a
 * transaction-scoped lock), so a subscriber that sees id N knows every id
 * below N is already readable: the live stream can detect and fill holes.
 */
export const announcements = pgTable('announcements', {
  id: bigint('id', { mode: 'bigint' }).primaryKey(),
  text: text('text').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * People. Usernames and emails are unique case-insensitively (the indexes are
 * on lower(...)); the stored values keep the spelling the person chose.
 */
export const users = pgTable(
  'users',
  {
    /** UUIDv7: time-ordered, so inserts append to the primary-key index. */
    id: uuid('id').primaryKey(),
    username: text('username').notNull(),
    email: text('email').notNull(),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true, mode: 'date' }),
    displayName: text('display_name').notNull(),
    avatarKey: text('avatar_key'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_username_lower_key').on(sql`lower(${table.username})`),
    uniqueIndex('users_email_lower_key').on(sql`lower(${table.email})`),
  ],
);

export const credentialKind = pgEnum('credential_kind', ['password', 'oauth']);

/**
 * How a person proves who they are, kept apart from `users` so that an
 * account can have a password, OAuth identities, or both.
 */
export const credentials = pgTable(
  'credentials',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: credentialKind('kind').notNull(),
    /** bcrypt hash (kind = password). */
    passwordHash: text('password_hash'),
    /** e.g. 'github', 'google' (kind = oauth). */
    provider: text('provider'),
    providerUserId: text('provider_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('credentials_one_password_per_user_key').on(table.userId).where(sql`${table.kind} = 'password'`),
    uniqueIndex('credentials_provider_identity_key')
      .on(table.provider, table.providerUserId)
      .where(sql`${table.kind} = 'oauth'`),
    check(
      'credentials_shape',
      sql`(${table.kind} = 'password' and ${table.passwordHash} is not null and ${table.provider} is null)
       or (${table.kind} = 'oauth' and ${table.provider} is not null and ${table.providerUserId} is not null and ${table.passwordHash} is null)`,
    ),
  ],
);

/**
 * One row per refresh token ever issued. Tokens of one sign-in form a family
 * (`familyId`, which is also the `sid` of access tokens): each use rotates to
 * a child row. Only the SHA-256 of a token is stored, never the token.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    familyId: uuid('family_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    parentId: uuid('parent_id'),
    userAgent: text('user_agent'),
    ip: text('ip'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** This token's own (idle) expiry. */
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The family's absolute cap: no rotation extends a sign-in past it. */
    familyExpiresAt: timestamp('family_expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Set when this token was exchanged for its child. */
    rotatedAt: timestamp('rotated_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    revokeReason: text('revoke_reason'),
  },
  (table) => [
    uniqueIndex('sessions_token_hash_key').on(table.tokenHash),
    index('sessions_family_idx').on(table.familyId),
    index('sessions_user_idx').on(table.userId),
  ],
);
