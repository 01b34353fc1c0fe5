import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

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

/** What a person may do on the whole server: `admin` may post announcements. */
export const userRole = pgEnum('user_role', ['member', 'admin']);

/**
 * People. Usernames and emails are unique case-insensitively (the indexes are
 * on lower(...)); the stored values keep the spelling the person chose. The
 * `text_pattern_ops` indexes serve search as you type (`lower(...) like 'ad%'`),
 * which the unique index cannot under a non-C collation.
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
    /** A status they set ("In a meeting"), with an emoji, until `status_expires_at` (null: until cleared). */
    statusText: text('status_text'),
    statusEmoji: text('status_emoji'),
    statusExpiresAt: timestamp('status_expires_at', { withTimezone: true, mode: 'date' }),
    /** Read from here on every privileged request, so a revocation bites at once (never only from a token). */
    role: userRole('role').notNull().default('member'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_username_lower_key').on(sql`lower(${table.username})`),
    uniqueIndex('users_email_lower_key').on(sql`lower(${table.email})`),
    index('users_username_prefix_idx').on(sql`lower(${table.username}) text_pattern_ops`),
    index('users_display_name_prefix_idx').on(sql`lower(${table.displayName}) text_pattern_ops`),
  ],
);

/**
 * Whether this server's first account has been created (and so made admin).
 * At most one row, ever: its key can only be `true`. The transaction that
 * creates an account inserts it with `on conflict do nothing`; of two racing
 * first sign-ups, the second waits on the first's uncommitted key, then
 * becomes a member when the first commits (or the admin if it rolls back).
 * Never deleted: revoking every admin, or deleting the first account, hands
 * admin to no later sign-up.
 */
export const firstAdminClaim = pgTable(
  'first_admin_claim',
  {
    isClaimed: boolean('is_claimed').primaryKey().default(true),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [check('first_admin_claim_one_row', sql`${table.isClaimed}`)],
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

export const conversationKind = pgEnum('conversation_kind', ['direct', 'group']);
export const memberRole = pgEnum('member_role', ['owner', 'admin', 'member']);

/**
 * A direct conversation (exactly two people; `directKey` = both user ids in
 * order, unique, so a pair has one) or a group. `lastSeq` is the newest
 * message's number: each send takes the next one, under this row's lock.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey(),
    kind: conversationKind('kind').notNull(),
    title: text('title'),
    /** A group's picture, served at /avatars/<key> like profile pictures; null: initials. */
    avatarKey: text('avatar_key'),
    directKey: text('direct_key'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    uniqueIndex('conversations_direct_key').on(table.directKey),
    check('conversations_direct_shape', sql`(${table.kind} = 'direct') = (${table.directKey} is not null)`),
  ],
);

/** Who is in a conversation, in what role, and how far they have received and read. */
export const conversationMembers = pgTable(
  'conversation_members',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: memberRole('role').notNull().default('member'),
    joinedAt: timestamp('joined_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastDeliveredSeq: bigint('last_delivered_seq', { mode: 'number' }).notNull().default(0),
    lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.userId] }),
    index('conversation_members_user_idx').on(table.userId),
  ],
);

/** A message's link preview as stored: the card, or that its sender removed it (so it is not read again). */
export type StoredLinkPreview =
  | { url: string; title: string; description: string | null; siteName: string | null }
  | { isRemoved: true };

/** A message's mentions as stored: the wire's `MessageMentions`, written as clients read them. */
export interface StoredMentions {
  users: { id: string; username: string }[];
  everyone?: 'all' | 'here';
}

/** A message's reaction as stored: the wire's `Reaction`, written as clients read it. */
export interface StoredReaction {
  emoji: string;
  userIds: string[];
}

/**
 * Messages, keyed by (conversation, seq): history pages walk this primary
 * key in either direction with no sort. `content` is a typed envelope
 * (text, system event; later attachments and ciphertext). A retry of a send
 * carries the same `clientMessageId` and finds the original. Deleting keeps
 * a tombstone row, so seq stays contiguous. Reactions live on the row, as
 * the wire shows them: a history page stays one index range scan, and a
 * reaction changes the row under the same lock as an edit. `revision`
 * counts every change, so a client can tell which of two copies is newer.
 * A pinned message has `pinned_at` and `pinned_by`. `link_preview` is set
 * after the send, once the linked page was read. `mentions` are resolved as
 * the message is written: a username names whoever was a member then.
 */
export const messages = pgTable(
  'messages',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    id: uuid('id').notNull(),
    senderId: uuid('sender_id').references(() => users.id, { onDelete: 'set null' }),
    clientMessageId: text('client_message_id'),
    content: jsonb('content').notNull(),
    replyToSeq: bigint('reply_to_seq', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    editedAt: timestamp('edited_at', { withTimezone: true, mode: 'date' }),
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
    reactions: jsonb('reactions').$type<StoredReaction[]>().notNull().default([]),
    revision: integer('revision').notNull().default(0),
    pinnedAt: timestamp('pinned_at', { withTimezone: true, mode: 'date' }),
    pinnedBy: uuid('pinned_by'),
    linkPreview: jsonb('link_preview').$type<StoredLinkPreview>(),
    /** Who the text mentions, resolved to members when it was written or last edited; null: no one. */
    mentions: jsonb('mentions').$type<StoredMentions>(),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.seq] }),
    uniqueIndex('messages_id_key').on(table.id),
    uniqueIndex('messages_client_id_key').on(table.senderId, table.clientMessageId),
    // A conversation's pins, newest first, without reading its messages.
    index('messages_pinned_idx').on(table.conversationId, table.pinnedAt).where(sql`${table.pinnedAt} is not null`),
    // The unread messages that mention someone, without reading those that mention no one.
    index('messages_mentions_idx').on(table.conversationId, table.seq).where(sql`${table.mentions} is not null`),
  ],
);

/**
 * Each person's saved messages: a private list, newest saved first. A row
 * goes with its message's conversation; the list shows only conversations
 * its owner is still in, and not messages deleted since.
 */
export const savedMessages = pgTable(
  'saved_messages',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    savedAt: timestamp('saved_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.conversationId, table.seq] }),
    foreignKey({
      // Named: the generated name passes PostgreSQL's 63 characters.
      name: 'saved_messages_message_fk',
      columns: [table.conversationId, table.seq],
      foreignColumns: [messages.conversationId, messages.seq],
    }).onDelete('cascade'),
    // The list's pages walk this index backwards, with no sort.
    index('saved_messages_list_idx').on(table.userId, table.savedAt, table.conversationId, table.seq),
  ],
);

/**
 * Every change anyone can see live (messages, edits, membership), in one log
 * with gap-free ids that commit in id order: writers allocate ids from
 * `event_log_head` while holding its row lock until commit. A subscriber
 * resumes from the last id it has; a server instance that sees id N live
 * knows every id below N is readable, so it can fill any hole the bus left.
 * `payload` is the event exactly as sent to clients, serialised once.
 */
export const eventLog = pgTable(
  'event_log',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey(),
    conversationId: uuid('conversation_id').notNull(),
    kind: text('kind').notNull(),
    /** The person a membership event is about: they get it even once removed. */
    subjectUserId: uuid('subject_user_id'),
    payload: text('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    index('event_log_conversation_idx').on(table.conversationId, table.id),
    index('event_log_subject_idx').on(table.subjectUserId, table.id).where(sql`${table.subjectUserId} is not null`),
  ],
);

/** One row: the last event id handed out. Its row lock is the event log's writer lock. */
export const eventLogHead = pgTable(
  'event_log_head',
  {
    singleton: smallint('singleton').primaryKey().default(1),
    lastId: bigint('last_id', { mode: 'bigint' }).notNull(),
  },
  (table) => [check('event_log_head_singleton', sql`${table.singleton} = 1`)],
);

export const attachmentState = pgEnum('attachment_state', ['uploading', 'processing', 'ready', 'failed']);

/**
 * Uploaded files. A row is made when the uploader asks for a grant
 * (`uploading`); the bytes go straight to the object store. Confirming checks
 * the object and moves it on to `processing` (thumbnails, placeholders) and
 * then `ready`, or deletes what lied. Processing rows are also the job queue:
 * a worker leases one (`leased_until`), and a lease that runs out (a crash,
 * a restart) makes the job available again, after `next_attempt_at`.
 * Attaching to a message sets `conversation_id`: its members may download.
 * Files never shared (abandoned uploads, dismissed ones) are collected after
 * a day.
 */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    state: attachmentState('state').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    byteSize: bigint('byte_size', { mode: 'number' }).notNull(),
    objectKey: text('object_key').notNull(),
    width: integer('width'),
    height: integer('height'),
    thumbnailKey: text('thumbnail_key'),
    /** A ThumbHash, base64: a blurred preview drawn before the thumbnail arrives. */
    placeholder: text('placeholder'),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
    leasedUntil: timestamp('leased_until', { withTimezone: true, mode: 'date' }),
    failure: text('failure'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    index('attachments_owner_idx').on(table.ownerId),
    index('attachments_jobs_idx').on(table.nextAttemptAt).where(sql`${table.state} = 'processing'`),
    index('attachments_unshared_idx').on(table.createdAt).where(sql`${table.conversationId} is null`),
  ],
);
