import type { ConversationKind, MemberRole, MessageContent } from '@gopherchat/api';
import { conversationMembers, conversations, messages, users } from '@gopherchat/db';
import { getTableColumns, sql } from 'drizzle-orm';
import { prepared, type Statement } from '../../platform/database/index.ts';

// The send batch's statements, built once and sent pipelined (see `PipelinedTransaction`);
// the repository runs the ones other writers share on their own.

export type MessageRow = typeof messages.$inferSelect;
export type NewMessageRow = typeof messages.$inferInsert & { content: MessageContent };
/** A message before it has a place: its conversation and sequence number come from `placeAfter`. */
export type NewMessage = Omit<NewMessageRow, 'seq' | 'conversationId'>;

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

/** Someone `@username` named, a member where it was written. */
export interface MentionedUser {
  id: string;
  username: string;
}

/** What decides who may mention everyone in a conversation. */
export interface ConversationSize {
  kind: ConversationKind;
  memberCount: number;
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

  /** Which of these (conversation, user) pairs are memberships, as `conversationId/userId` keys, and in what role. */
  existingMemberships(pairs: { conversationId: string; userId: string }[]): Statement<Map<string, MemberRole>> {
    const wanted = JSON.stringify(
      pairs.map((pair) => ({ conversation_id: pair.conversationId, user_id: pair.userId })),
    );
    return {
      // A lateral lookup per pair, for the reason given at findByClientIds.
      query: prepared(sql`
        select found.conversation_id, found.user_id, found.role
        from jsonb_to_recordset(${wanted}::jsonb) as wanted(conversation_id uuid, user_id uuid)
        cross join lateral (
          select m.conversation_id, m.user_id, m.role from ${conversationMembers} m
          where m.conversation_id = wanted.conversation_id and m.user_id = wanted.user_id
          offset 0
        ) found`),
      read: (rows) => new Map(rows.map((row) => [`${row.conversation_id}/${row.user_id}`, row.role as MemberRole])),
    };
  },

  /**
   * The members `@username` names in these conversations, as
   * `conversationId/username` keys (usernames in lower case, as the unique
   * index has them): each pair probes that index, then the membership.
   */
  mentionable(pairs: { conversationId: string; username: string }[]): Statement<Map<string, MentionedUser>> {
    const wanted = JSON.stringify(
      pairs.map((pair) => ({ conversation_id: pair.conversationId, username: pair.username })),
    );
    return {
      // A lateral lookup per pair, for the reason given at findByClientIds.
      query: prepared(sql`
        select wanted.conversation_id, wanted.username as wanted_name, found.id, found.username
        from jsonb_to_recordset(${wanted}::jsonb) as wanted(conversation_id uuid, username text)
        cross join lateral (
          select u.id, u.username from ${users} u
          join ${conversationMembers} m on m.user_id = u.id and m.conversation_id = wanted.conversation_id
          where lower(u.username) = wanted.username
          offset 0
        ) found`),
      read: (rows) =>
        new Map(
          rows.map((row) => [
            `${row.conversation_id}/${row.wanted_name}`,
            { id: row.id as string, username: row.username as string },
          ]),
        ),
    };
  },

  /** These conversations' kinds and member counts: whether `@all` and `@here` are everyone's to use there. */
  conversationSizes: (conversationIds: string[]): Statement<Map<string, ConversationSize>> => ({
    query: prepared(sql`
      select c.id, c.kind, (select count(*) from ${conversationMembers} m where m.conversation_id = c.id) as members
      from jsonb_array_elements_text(${JSON.stringify(conversationIds)}::jsonb) as wanted(id)
      join ${conversations} c on c.id = wanted.id::uuid`),
    read: (rows) =>
      new Map(
        rows.map((row) => [row.id as string, { kind: row.kind as ConversationKind, memberCount: Number(row.members) }]),
      ),
  }),

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
        mentions: row.mentions,
      })),
    );
    return {
      query: prepared(sql`
        insert into ${messages} (conversation_id, seq, id, sender_id, client_message_id, content, reply_to_seq,
                                 created_at, edited_at, deleted_at, mentions)
        select * from jsonb_to_recordset(${json}::jsonb) as placed(
          conversation_id uuid, seq bigint, id uuid, sender_id uuid, client_message_id text, content jsonb,
          reply_to_seq bigint, created_at timestamptz, edited_at timestamptz, deleted_at timestamptz, mentions jsonb)`),
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
    pinnedAt: null,
    pinnedBy: null,
    linkPreview: null,
    mentions: null,
    ...row,
    conversationId,
    seq: seqBefore + 1 + index,
  }));
}
