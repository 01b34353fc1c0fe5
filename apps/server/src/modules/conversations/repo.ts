import {
  type MemberRole,
  type MessageContent,
  PINS_PER_CONVERSATION_MAX,
  UNREAD_MENTIONS_LISTED,
} from '@gopherchat/api';
import {
  conversationMembers,
  conversations,
  messages,
  type StoredLinkPreview,
  type StoredMentions,
  type StoredReaction,
  users,
} from '@gopherchat/db';
import { and, asc, count, desc, eq, gt, inArray, isNotNull, lt, ne, sql } from 'drizzle-orm';
import { type Database, rowsOf, runStatement, type Statement } from '../../platform/database/index.ts';
import {
  conversationStatements,
  type MessageRow,
  type NewMessage,
  type PointerRow,
  type PointerUpdate,
  placeAfter,
} from './statements.ts';

export type ConversationRow = typeof conversations.$inferSelect;
export type { MessageRow, NewMessageRow, PointerRow, PointerUpdate } from './statements.ts';

export interface MemberRow {
  userId: string;
  username: string;
  displayName: string;
  role: MemberRole;
  lastDeliveredSeq: number;
  lastReadSeq: number;
}

/** A member as listed: joined with their profile (use with conversation_members ⋈ users). */
const memberColumns = {
  userId: conversationMembers.userId,
  username: users.username,
  displayName: users.displayName,
  role: conversationMembers.role,
  lastDeliveredSeq: conversationMembers.lastDeliveredSeq,
  lastReadSeq: conversationMembers.lastReadSeq,
};

export interface SummaryRow {
  conversation: ConversationRow;
  myRole: MemberRole;
  lastDeliveredSeq: number;
  lastReadSeq: number;
  memberCount: number;
  lastMessage: MessageRow | null;
  unreadMentionSeqs: number[];
}

export interface HistoryPageQuery {
  before?: number;
  after?: number;
  limit: number;
}

/**
 * The history page query, one row past the limit (to tell whether more
 * follow). Exported so a test can EXPLAIN exactly this statement: it must be
 * an index range scan of the primary key, in either direction, with no sort.
 */
export function historyQuery(db: Database, conversationId: string, page: HistoryPageQuery) {
  return db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        page.before !== undefined ? lt(messages.seq, page.before) : undefined,
        page.after !== undefined ? gt(messages.seq, page.after) : undefined,
      ),
    )
    .orderBy(page.after !== undefined ? asc(messages.seq) : desc(messages.seq))
    .limit(page.limit + 1);
}

/**
 * A member's conversation summaries (one, with `conversationId`), most
 * recently active first. Exported so a test can EXPLAIN it: the unread
 * mentions must be read through the partial index of messages that mention
 * anyone, not by walking every unread message.
 */
export function summariesQuery(db: Database, userId: string, conversationId?: string) {
  return db
    .select({
      conversation: conversations,
      myRole: conversationMembers.role,
      lastDeliveredSeq: conversationMembers.lastDeliveredSeq,
      lastReadSeq: conversationMembers.lastReadSeq,
      memberCount: sql<number>`(select count(*)::int from ${conversationMembers} as m where m.conversation_id = ${conversations.id})`,
      lastMessage: messages,
      // Through the partial index of messages that mention anyone: unread messages that mention no one cost nothing.
      unreadMentionSeqs: sql<string[]>`array(
        select mm.seq from ${messages} as mm
        where mm.conversation_id = ${conversations.id} and mm.seq > ${conversationMembers.lastReadSeq}
          and mm.mentions is not null and mm.sender_id is distinct from ${userId}::uuid
          and (mm.mentions -> 'users' @> ${JSON.stringify([{ id: userId }])}::jsonb or mm.mentions ->> 'everyone' = 'all')
        order by mm.seq limit ${UNREAD_MENTIONS_LISTED})`,
    })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .leftJoin(messages, and(eq(messages.conversationId, conversations.id), eq(messages.seq, conversations.lastSeq)))
    .where(
      and(eq(conversationMembers.userId, userId), conversationId ? eq(conversations.id, conversationId) : undefined),
    )
    .orderBy(desc(sql`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`));
}

/** Queries over conversations, members and messages; run them on a transaction where they must agree. */
export function createConversationRepo(db: Database) {
  const run = <T>(statement: Statement<T>) => runStatement(db, statement);
  const messageAt = (conversationId: string, seq: number) =>
    db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.seq, seq)))
      .limit(1);

  return {
    /** The members `usernames` (lower case) name in a conversation, and its size: what the send path reads for mentions. */
    async mentionFacts(conversationId: string, usernames: readonly string[]) {
      const mentionable = await run(
        conversationStatements.mentionable(usernames.map((username) => ({ conversationId, username }))),
      );
      const sizes = await run(conversationStatements.conversationSizes([conversationId]));
      return { mentionable, sizes };
    },

    async findDirect(directKey: string): Promise<ConversationRow | undefined> {
      const [row] = await db.select().from(conversations).where(eq(conversations.directKey, directKey)).limit(1);
      return row;
    },

    async insertConversation(row: typeof conversations.$inferInsert) {
      await db.insert(conversations).values(row);
    },

    /** The conversation, locked until the transaction ends; undefined when it does not exist. */
    async lockConversation(id: string): Promise<ConversationRow | undefined> {
      const [row] = await db.select().from(conversations).where(eq(conversations.id, id)).for('update').limit(1);
      return row;
    },

    async renameConversation(id: string, title: string, at: Date) {
      await db.update(conversations).set({ title, updatedAt: at }).where(eq(conversations.id, id));
    },

    async setConversationAvatar(id: string, avatarKey: string | null, at: Date) {
      await db.update(conversations).set({ avatarKey, updatedAt: at }).where(eq(conversations.id, id));
    },

    /** The user ids of the conversation's members; none if there is no such conversation. */
    async memberIdsOf(conversationId: string): Promise<string[]> {
      const rows = await db
        .select({ userId: conversationMembers.userId })
        .from(conversationMembers)
        .where(eq(conversationMembers.conversationId, conversationId));
      return rows.map((row) => row.userId);
    },

    async roleOf(conversationId: string, userId: string): Promise<MemberRole | undefined> {
      const [row] = await db
        .select({ role: conversationMembers.role })
        .from(conversationMembers)
        .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)))
        .limit(1);
      return row?.role;
    },

    /** Adds the users who are not members yet; returns those it added. */
    async addMembers(conversationId: string, members: { userId: string; role: MemberRole }[], at: Date) {
      if (members.length === 0) return [];
      const added = await db
        .insert(conversationMembers)
        .values(members.map((member) => ({ conversationId, userId: member.userId, role: member.role, joinedAt: at })))
        .onConflictDoNothing()
        .returning({ userId: conversationMembers.userId });
      return added.map((row) => row.userId);
    },

    async removeMember(conversationId: string, userId: string): Promise<boolean> {
      const removed = await db
        .delete(conversationMembers)
        .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)))
        .returning({ userId: conversationMembers.userId });
      return removed.length > 0;
    },

    /** After the owner leaves: the longest-standing admin, else member, owns the group. Returns who. */
    async setRole(conversationId: string, userId: string, role: MemberRole) {
      await db
        .update(conversationMembers)
        .set({ role })
        .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)));
    },

    async promoteLongestStanding(conversationId: string): Promise<string | undefined> {
      const promoted = await db.execute(sql`
        update ${conversationMembers} set role = 'owner'
        where conversation_id = ${conversationId} and user_id = (
          select user_id from ${conversationMembers}
          where conversation_id = ${conversationId}
          order by (role = 'admin') desc, joined_at asc, user_id asc
          limit 1
        )
        returning user_id`);
      return rowsOf<{ user_id: string }>(promoted)[0]?.user_id;
    },

    async memberCount(conversationId: string): Promise<number> {
      const [row] = await db
        .select({ count: sql<number>`count(*)::int` })
        .from(conversationMembers)
        .where(eq(conversationMembers.conversationId, conversationId));
      return row?.count ?? 0;
    },

    async listMembers(conversationId: string): Promise<MemberRow[]> {
      return db
        .select(memberColumns)
        .from(conversationMembers)
        .innerJoin(users, eq(users.id, conversationMembers.userId))
        .where(eq(conversationMembers.conversationId, conversationId))
        .orderBy(asc(conversationMembers.joinedAt), asc(users.username));
    },

    async conversationIdsOf(userId: string): Promise<string[]> {
      const rows = await db
        .select({ id: conversationMembers.conversationId })
        .from(conversationMembers)
        .where(eq(conversationMembers.userId, userId));
      return rows.map((row) => row.id);
    },

    /** Everyone who shares at least one conversation with the user. */
    async contactsOf(userId: string): Promise<string[]> {
      const mine = db
        .select({ id: conversationMembers.conversationId })
        .from(conversationMembers)
        .where(eq(conversationMembers.userId, userId));
      const rows = await db
        .selectDistinct({ userId: conversationMembers.userId })
        .from(conversationMembers)
        .where(and(inArray(conversationMembers.conversationId, mine), ne(conversationMembers.userId, userId)));
      return rows.map((row) => row.userId);
    },

    /** The user's conversations, most recently active first, each with its newest message. */
    async listSummaries(userId: string, conversationId?: string): Promise<SummaryRow[]> {
      const rows = await summariesQuery(db, userId, conversationId);
      return rows.map((row) => ({ ...row, unreadMentionSeqs: row.unreadMentionSeqs.map(Number) }));
    },

    /**
     * Appends messages to one conversation: takes its next sequence numbers
     * (call inside the event log's write, which serialises writers), then
     * inserts the messages under them.
     */
    async appendMessages(conversationId: string, rows: NewMessage[], at: Date): Promise<MessageRow[]> {
      const [reserved] = await db
        .update(conversations)
        .set({ lastSeq: sql`${conversations.lastSeq} + ${rows.length}`, lastMessageAt: at, updatedAt: at })
        .where(eq(conversations.id, conversationId))
        .returning({ lastSeq: conversations.lastSeq });
      if (!reserved) throw new Error(`conversation ${conversationId} vanished`);
      const placed = placeAfter(conversationId, reserved.lastSeq - rows.length, rows);
      if (placed.length > 0) await run(conversationStatements.insertMessages(placed));
      return placed;
    },

    /** The other member of each of these direct conversations. */
    async peersOf(conversationIds: string[], userId: string): Promise<{ conversationId: string; peer: MemberRow }[]> {
      if (conversationIds.length === 0) return [];
      return db
        .select({ conversationId: conversationMembers.conversationId, peer: memberColumns })
        .from(conversationMembers)
        .innerJoin(users, eq(users.id, conversationMembers.userId))
        .where(
          and(inArray(conversationMembers.conversationId, conversationIds), ne(conversationMembers.userId, userId)),
        );
    },

    async advancePointers(pointers: PointerUpdate[]): Promise<PointerRow[]> {
      return pointers.length === 0 ? [] : run(conversationStatements.advancePointers(pointers));
    },

    /** The message `senderId` sent under `clientMessageId`, if any: the original of a retry. */
    async findSent(senderId: string, clientMessageId: string): Promise<MessageRow | undefined> {
      const [row] = await run(conversationStatements.findByClientIds([{ senderId, clientMessageId }]));
      return row;
    },

    async findMessage(conversationId: string, seq: number): Promise<MessageRow | undefined> {
      const [row] = await messageAt(conversationId, seq);
      return row;
    },

    async lockMessage(conversationId: string, seq: number): Promise<MessageRow | undefined> {
      const [row] = await messageAt(conversationId, seq).for('update');
      return row;
    },

    /** Changes a locked message; every change is one more revision. */
    async updateMessage(
      conversationId: string,
      seq: number,
      change: {
        content?: MessageContent;
        editedAt?: Date;
        deletedAt?: Date;
        reactions?: StoredReaction[];
        pinnedAt?: Date | null;
        pinnedBy?: string | null;
        linkPreview?: StoredLinkPreview | null;
        mentions?: StoredMentions | null;
      },
    ): Promise<MessageRow> {
      const [row] = await db
        .update(messages)
        .set({ ...change, revision: sql`${messages.revision} + 1` })
        .where(and(eq(messages.conversationId, conversationId), eq(messages.seq, seq)))
        .returning();
      if (!row) throw new Error('message vanished');
      return row;
    },

    /** The conversation's pinned messages, the latest pinned first. */
    async pinned(conversationId: string): Promise<MessageRow[]> {
      return db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), isNotNull(messages.pinnedAt)))
        .orderBy(desc(messages.pinnedAt), desc(messages.seq))
        .limit(PINS_PER_CONVERSATION_MAX);
    },

    async pinCount(conversationId: string): Promise<number> {
      const [row] = await db
        .select({ count: count() })
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), isNotNull(messages.pinnedAt)));
      return row?.count ?? 0;
    },

    /**
     * A page of history on the (conversation_id, seq) primary key: newest
     * first when walking back (`before`), oldest first when walking forward
     * (`after`). Returned in ascending seq either way.
     */
    async history(conversationId: string, page: HistoryPageQuery) {
      const rows = await historyQuery(db, conversationId, page);
      const hasMore = rows.length > page.limit;
      const pageRows = rows.slice(0, page.limit);
      return { rows: page.after !== undefined ? pageRows : pageRows.reverse(), hasMore };
    },
  };
}

export type ConversationRepo = ReturnType<typeof createConversationRepo>;
