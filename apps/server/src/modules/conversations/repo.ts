import type { MemberRole, MessageContent } from '@gopherchat/api';
import { conversationMembers, conversations, messages, type StoredReaction, users } from '@gopherchat/db';
import { and, asc, desc, eq, getTableColumns, gt, inArray, lt, ne, sql } from 'drizzle-orm';
import { type Database, prepared, rowsOf, runStatement, type Statement } from '../../platform/database/index.ts';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type NewMessageRow = typeof messages.$inferInsert & { content: MessageContent };
/** A message before it has a place: its conversation and sequence number come from `placeAfter`. */
type NewMessage = Omit<NewMessageRow, 'seq' | 'conversationId'>;

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

/** Where one member's pointers should move to (see `advancePointers`). */
export interface PointerUpdate {
  conversationId: string;
  userId: string;
  deliveredSeq: number;
  readSeq: number;
}

/** How far one member has received and read one conversation. */
export interface PointerRow {
  conversationId: string;
  userId: string;
  lastDeliveredSeq: number;
  lastReadSeq: number;
}

export interface SummaryRow {
  conversation: ConversationRow;
  myRole: MemberRole;
  lastDeliveredSeq: number;
  lastReadSeq: number;
  memberCount: number;
  lastMessage: MessageRow | null;
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

export interface ClientIdPair {
  senderId: string;
  clientMessageId: string;
}

const messageColumns = Object.entries(getTableColumns(messages));

/** A `messages` row as a driver returned it (column names, the driver's own types), mapped as drizzle maps it. */
function messageRowFrom(raw: Record<string, unknown>): MessageRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of messageColumns) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as MessageRow;
}

/**
 * The statements of a send batch, built here once: the batch sends them
 * pipelined (see `PipelinedTransaction`); the repository runs the ones other
 * writers share on their own. Lists travel as one JSON parameter, so each
 * text never varies and runs prepared.
 */
export const conversationStatements = {
  /**
   * Messages already sent under these client ids (retries find their
   * original here). Each pair probes the (sender, client id) index, as a
   * lateral lookup that PostgreSQL cannot flatten into a join. Joined plainly,
   * the plan it caches for the prepared statement while the table is small
   * hashes the pairs and scans `messages`, and it keeps that plan as the
   * table grows until the next ANALYZE: every batch read the whole table.
   */
  findByClientIds(pairs: ClientIdPair[]): Statement<MessageRow[]> {
    const wanted = JSON.stringify(
      pairs.map((pair) => ({ sender_id: pair.senderId, client_message_id: pair.clientMessageId })),
    );
    return {
      query: prepared(sql`
        select found.* from jsonb_to_recordset(${wanted}::jsonb) as wanted(sender_id uuid, client_message_id text)
        cross join lateral (
          select * from ${messages} m
          where m.sender_id = wanted.sender_id and m.client_message_id = wanted.client_message_id
          offset 0
        ) found`),
      read: (rows) => rows.map(messageRowFrom),
    };
  },

  /** Which of these (conversation, user) pairs are memberships, as `conversationId/userId` keys. */
  existingMemberships(pairs: { conversationId: string; userId: string }[]): Statement<Set<string>> {
    const wanted = JSON.stringify(
      pairs.map((pair) => ({ conversation_id: pair.conversationId, user_id: pair.userId })),
    );
    return {
      // A lateral lookup per pair, for the reason given at findByClientIds.
      query: prepared(sql`
        select found.conversation_id, found.user_id
        from jsonb_to_recordset(${wanted}::jsonb) as wanted(conversation_id uuid, user_id uuid)
        cross join lateral (
          select m.conversation_id, m.user_id from ${conversationMembers} m
          where m.conversation_id = wanted.conversation_id and m.user_id = wanted.user_id
          offset 0
        ) found`),
      read: (rows) => new Set(rows.map((row) => `${row.conversation_id}/${row.user_id}`)),
    };
  },

  /** Where each of these conversations' sequences ends now. */
  lastSeqs: (conversationIds: string[]): Statement<Map<string, number>> => ({
    // A lateral lookup per conversation, for the reason given at findByClientIds.
    query: prepared(sql`
      select found.id, found.last_seq
      from jsonb_array_elements_text(${JSON.stringify(conversationIds)}::jsonb) as wanted(id)
      cross join lateral (select c.id, c.last_seq from ${conversations} c where c.id = wanted.id::uuid offset 0) found`),
    read: (rows) => new Map(rows.map((row) => [row.id as string, Number(row.last_seq)])),
  }),

  /**
   * Sets where each conversation's sequence ends, for messages placed from
   * `lastSeqs` read in the same transaction under the event log's lock
   * (which every writer of `last_seq` holds): placing them takes no round
   * trip of its own, and this update goes out with the inserts.
   */
  recordLastSeqs(ends: { conversationId: string; lastSeq: number }[], at: Date): Statement<void> {
    const json = JSON.stringify(ends.map((end) => ({ id: end.conversationId, last_seq: end.lastSeq })));
    return {
      query: prepared(sql`
        update ${conversations} c
        set last_seq = ends.last_seq, last_message_at = ${at.toISOString()}::timestamptz,
            updated_at = ${at.toISOString()}::timestamptz
        from jsonb_to_recordset(${json}::jsonb) as ends(id uuid, last_seq bigint)
        where c.id = ends.id`),
      read: () => undefined,
    };
  },

  /**
   * Inserts placed messages. The rows travel as one JSON parameter rather
   * than eight parameters a row: building and binding those dominated the
   * cost of a large batch.
   */
  insertMessages(rows: MessageRow[]): Statement<void> {
    const json = JSON.stringify(
      rows.map((row) => ({
        conversation_id: row.conversationId,
        seq: row.seq,
        id: row.id,
        sender_id: row.senderId,
        client_message_id: row.clientMessageId,
        content: row.content,
        reply_to_seq: row.replyToSeq,
        created_at: row.createdAt,
        edited_at: row.editedAt,
        deleted_at: row.deletedAt,
      })),
    );
    return {
      query: prepared(sql`
        insert into ${messages} (conversation_id, seq, id, sender_id, client_message_id, content, reply_to_seq,
                                 created_at, edited_at, deleted_at)
        select * from jsonb_to_recordset(${json}::jsonb) as placed(
          conversation_id uuid, seq bigint, id uuid, sender_id uuid, client_message_id text, content jsonb,
          reply_to_seq bigint, created_at timestamptz, edited_at timestamptz, deleted_at timestamptz)`),
      read: () => undefined,
    };
  },

  /**
   * Moves delivered and read pointers forward, never back, and never past
   * the conversation's last message; reading implies having received. One
   * statement for all; pairs that are not memberships are skipped. Reads
   * the pointers that moved, as they now stand.
   */
  advancePointers(pointers: PointerUpdate[]): Statement<PointerRow[]> {
    const json = JSON.stringify(
      pointers.map((pointer) => ({
        conversation_id: pointer.conversationId,
        user_id: pointer.userId,
        delivered: pointer.deliveredSeq,
        read: pointer.readSeq,
      })),
    );
    return {
      query: prepared(sql`
        with wanted as (
          select p.conversation_id, p.user_id,
                 least(greatest(p.delivered, p.read), c.last_seq) as delivered, least(p.read, c.last_seq) as read
          from jsonb_to_recordset(${json}::jsonb) as p(conversation_id uuid, user_id uuid, delivered bigint, read bigint)
          join ${conversations} c on c.id = p.conversation_id
        )
        update ${conversationMembers} m
        set last_delivered_seq = greatest(m.last_delivered_seq, wanted.delivered),
            last_read_seq = greatest(m.last_read_seq, wanted.read)
        from wanted
        where m.conversation_id = wanted.conversation_id and m.user_id = wanted.user_id
          and (wanted.delivered > m.last_delivered_seq or wanted.read > m.last_read_seq)
        returning m.conversation_id, m.user_id, m.last_delivered_seq, m.last_read_seq`),
      read: (rows) =>
        rows.map((row) => ({
          conversationId: row.conversation_id as string,
          userId: row.user_id as string,
          lastDeliveredSeq: Number(row.last_delivered_seq),
          lastReadSeq: Number(row.last_read_seq),
        })),
    };
  },
};

/** Messages of one conversation, numbered on from `seqBefore` in the order given. */
export function placeAfter(conversationId: string, seqBefore: number, rows: NewMessage[]): MessageRow[] {
  return rows.map((row, index) => ({
    senderId: null,
    clientMessageId: null,
    replyToSeq: null,
    editedAt: null,
    deletedAt: null,
    reactions: [],
    revision: 0,
    ...row,
    conversationId,
    seq: seqBefore + 1 + index,
  }));
}

/** Queries over conversations, members and messages; run them on a transaction where they must agree. */
export function createConversationRepo(db: Database) {
  const run = <T>(statement: Statement<T>) => runStatement(db, statement);

  return {
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
      const rows = await db
        .select({
          conversation: conversations,
          myRole: conversationMembers.role,
          lastDeliveredSeq: conversationMembers.lastDeliveredSeq,
          lastReadSeq: conversationMembers.lastReadSeq,
          memberCount: sql<number>`(select count(*)::int from ${conversationMembers} as m where m.conversation_id = ${conversations.id})`,
          lastMessage: messages,
        })
        .from(conversationMembers)
        .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
        .leftJoin(messages, and(eq(messages.conversationId, conversations.id), eq(messages.seq, conversations.lastSeq)))
        .where(
          and(
            eq(conversationMembers.userId, userId),
            conversationId ? eq(conversations.id, conversationId) : undefined,
          ),
        )
        .orderBy(desc(sql`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`));
      return rows;
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

    async lockMessage(conversationId: string, seq: number): Promise<MessageRow | undefined> {
      const [row] = await db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.seq, seq)))
        .for('update')
        .limit(1);
      return row;
    },

    /** Changes a locked message; every change is one more revision. */
    async updateMessage(
      conversationId: string,
      seq: number,
      change: { content?: MessageContent; editedAt?: Date; deletedAt?: Date; reactions?: StoredReaction[] },
    ): Promise<MessageRow> {
      const [row] = await db
        .update(messages)
        .set({ ...change, revision: sql`${messages.revision} + 1` })
        .where(and(eq(messages.conversationId, conversationId), eq(messages.seq, seq)))
        .returning();
      if (!row) throw new Error('message vanished');
      return row;
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
