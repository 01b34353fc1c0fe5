import type { UserEvent } from '@gopherchat/api';
import { conversationMembers, eventLog, eventLogHead } from '@gopherchat/db';
import { and, asc, eq, gt, inArray, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Bus } from '../../platform/bus/index.ts';
import { type Database, prepared, rowsOf } from '../../platform/database/index.ts';

/** Bus topic carrying every committed log entry to every instance. */
export const EVENTS_TOPIC = 'conversation-events';

/**
 * How an entry is routed. Most go to the conversation's members;
 * `member_joined` first adds its subject to them; `member_left` goes to its
 * subject only, who then stops receiving the conversation.
 */
export type LogKind =
  | 'message'
  | 'message_updated'
  | 'conversation_updated'
  | 'receipts'
  | 'member_joined'
  | 'member_left';

export interface LogEntry {
  id: bigint;
  /** `id` in decimal, made once: every recipient's frame carries it. */
  idText: string;
  conversationId: string;
  kind: LogKind;
  subjectUserId: string | null;
  /** The `UserEvent` as JSON: serialised once, sent as is to every recipient. */
  payload: string;
}

export interface PendingEvent {
  conversationId: string;
  kind: LogKind;
  subjectUserId?: string;
  event: UserEvent;
}

/** What a writer's work inside the log's transaction comes to. */
export interface LogWork<T> {
  result: T;
  /** Appended to the log under the next ids, in this order. */
  events: PendingEvent[];
  /** Statements still in flight; the commit waits for them. */
  writes?: Promise<unknown>;
}

interface WireEntry {
  id: string;
  conversationId: string;
  kind: LogKind;
  subjectUserId: string | null;
  payload: string;
}

function toEntry(row: typeof eventLog.$inferSelect): LogEntry {
  return {
    id: row.id,
    idText: row.id.toString(),
    conversationId: row.conversationId,
    kind: row.kind as LogKind,
    subjectUserId: row.subjectUserId,
    payload: row.payload,
  };
}

/** One bus message per transaction: its entries, in id order. */
export function decodeLogEntries(message: string): LogEntry[] {
  return (JSON.parse(message) as WireEntry[]).map((entry) => ({ ...entry, id: BigInt(entry.id), idText: entry.id }));
}

/**
 * The event log: every live change, with gap-free ids committed in id order.
 * `write` is the only way in: it holds the head row's lock from the start of
 * its transaction to the commit, so concurrent writers queue there (which
 * also makes `last_seq` and membership changes race-free), and publishes the
 * committed entries afterwards.
 */
export function createEventLog(deps: { db: Database; bus: Bus; logger: Logger }) {
  const { db, bus, logger } = deps;

  async function publish(entries: LogEntry[]) {
    if (entries.length === 0) return;
    const message = JSON.stringify(
      entries.map(({ idText, ...entry }) => ({ ...entry, id: idText }) satisfies WireEntry),
    );
    try {
      await bus.publish(EVENTS_TOPIC, message);
    } catch (error) {
      // Committed already: every instance fills the hole from the log at its next event.
      logger.warn({ err: error, firstId: entries[0]?.idText }, 'events saved but not published');
    }
  }

  async function readEntries(where: SQL | undefined, limit: number): Promise<LogEntry[]> {
    const rows = await db.select().from(eventLog).where(where).orderBy(asc(eventLog.id)).limit(limit);
    return rows.map(toEntry);
  }

  return {
    /**
     * Runs `work` in a transaction holding the head row's lock, appends its
     * events, commits, then publishes them. `writes`, statements `work`
     * issued without waiting for them, share a round trip with the entries'
     * insert; the commit waits for both.
     */
    async write<T>(work: (tx: Database) => Promise<LogWork<T>>): Promise<T> {
      const { result, entries } = await db.transaction(async (tx) => {
        await tx
          .select()
          .from(eventLogHead)
          .where(eq(eventLogHead.singleton, 1))
          .for('update')
          .prepare('lock_event_log_head')
          .execute();
        const { result, events, writes } = await work(tx as unknown as Database);
        if (events.length === 0) {
          await writes;
          return { result, entries: [] as LogEntry[] };
        }
        const createdAt = new Date();
        const pending = events.map((event) => ({
          conversationId: event.conversationId,
          kind: event.kind,
          subjectUserId: event.subjectUserId ?? null,
          payload: JSON.stringify(event.event),
        }));
        // Takes the next ids and inserts the entries under them, in one statement.
        const columns = pending.map((entry) => ({
          conversation_id: entry.conversationId,
          kind: entry.kind,
          subject_user_id: entry.subjectUserId,
          payload: entry.payload,
        }));
        const [inserted] = await Promise.all([
          tx.execute(
            prepared(sql`
          with head as (
            update ${eventLogHead} set last_id = last_id + ${events.length}
            where singleton = 1
            returning last_id - ${events.length} as before_id
          ), added as (
            insert into ${eventLog} (id, conversation_id, kind, subject_user_id, payload, created_at)
            select head.before_id + entry.position, entry.conversation_id, entry.kind, entry.subject_user_id,
                   entry.payload, ${createdAt.toISOString()}::timestamptz
            from head, rows from (jsonb_to_recordset(${JSON.stringify(columns)}::jsonb)
              as (conversation_id uuid, kind text, subject_user_id uuid, payload text))
              with ordinality as entry(conversation_id, kind, subject_user_id, payload, position)
            returning id
          )
          select min(id)::text as first_id from added`),
          ),
          writes,
        ]);
        const [added] = rowsOf<{ first_id: string }>(inserted);
        if (!added) throw new Error('event_log_head is missing');
        const firstId = BigInt(added.first_id);
        return {
          result,
          entries: pending.map((entry, index) => {
            const id = firstId + BigInt(index);
            return { ...entry, id, idText: id.toString() };
          }),
        };
      });
      await publish(entries);
      return result;
    },

    /** Every entry after `after`, ascending (the instance-wide stream). */
    readAfter: (after: bigint, limit: number) => readEntries(gt(eventLog.id, after), limit),

    async readHeadId(): Promise<bigint> {
      const [row] = await db.select({ lastId: eventLogHead.lastId }).from(eventLogHead);
      return row?.lastId ?? 0n;
    },

    /** The entries after `after` that `userId` receives, ascending (a subscriber's catch-up). */
    readAfterFor: (userId: string, after: bigint, limit: number) =>
      readEntries(and(gt(eventLog.id, after), addressedTo(userId)), limit),

    /** How many entries after `after` `userId` would receive, counting no further than `cap`. */
    async countAfterFor(userId: string, after: bigint, cap: number): Promise<number> {
      const capped = db
        .select({ one: sql`1` })
        .from(eventLog)
        .where(and(gt(eventLog.id, after), addressedTo(userId)))
        .limit(cap)
        .as('capped');
      const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(capped);
      return row?.count ?? 0;
    },

    /**
     * The last id that may be gone: entries up to it can have been pruned,
     * so a subscriber resuming from below it cannot be given its gap.
     */
    async readHorizon(): Promise<bigint> {
      // Two scalar subqueries, so each is one index probe (a join would scan the log).
      const [row] = await db
        .select({
          oldest: sql<string | null>`(select min(${eventLog.id}) from ${eventLog})::text`,
          head: sql<string>`${eventLogHead.lastId}::text`,
        })
        .from(eventLogHead);
      return row?.oldest ? BigInt(row.oldest) - 1n : BigInt(row?.head ?? 0);
    },

    /**
     * Deletes entries written before `cutoff`, oldest first in chunks (short
     * statements, no long lock), always keeping the newest entry so the
     * horizon stays readable. Entries' times rise with their ids (ids are
     * taken under one lock), so walking the id index finds them all. Every
     * instance may run it: deleting twice is harmless. Returns how many went.
     */
    async pruneBefore(cutoff: Date, chunk = 5_000): Promise<number> {
      let total = 0;
      for (;;) {
        const oldest = db
          .select({ id: eventLog.id })
          .from(eventLog)
          .where(lt(eventLog.id, sql`(select max(${eventLog.id}) from ${eventLog})`))
          .orderBy(asc(eventLog.id))
          .limit(chunk);
        const deleted = await db
          .delete(eventLog)
          .where(and(inArray(eventLog.id, oldest), lt(eventLog.createdAt, cutoff)))
          .returning({ id: eventLog.id });
        const count = deleted.length;
        total += count;
        if (count < chunk) return total;
      }
    },
  };
}

/** The routing rules of `LogKind`, as SQL: what `userId` receives, given their memberships now. */
function addressedTo(userId: string) {
  const isMember = sql`${eventLog.conversationId} in (select ${conversationMembers.conversationId} from ${conversationMembers} where ${conversationMembers.userId} = ${userId})`;
  return or(
    and(isMember, ne(eventLog.kind, 'member_left')),
    and(eq(eventLog.subjectUserId, userId), eq(eventLog.kind, 'member_left')),
  );
}

export type EventLog = ReturnType<typeof createEventLog>;
