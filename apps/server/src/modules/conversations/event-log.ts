import type { UserEvent } from '@gopherchat/api';
import { conversationMembers, eventLog, eventLogHead } from '@gopherchat/db';
import { and, asc, eq, gt, inArray, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Bus } from '../../platform/bus/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import {
  type Database,
  type DatabaseHandle,
  type PipelinedTransaction,
  prepared,
  runStatement,
  type Statement,
} from '../../platform/database/index.ts';

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
  | 'reactions'
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
}

/** What a pipelined writer's work comes to (see `writePipelined`). */
export interface PipelinedLogWork<T> extends LogWork<T> {
  /** Sent in this order with the entries' insert and COMMIT, ahead of them. */
  writes: Statement<unknown>[];
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

/** Every writer holds the head row's lock until it commits: ids are taken, and committed, in order. */
const LOCK_HEAD: Statement<void> = {
  query: prepared(sql`select 1 from ${eventLogHead} where singleton = 1 for update`),
  read: () => undefined,
};

/**
 * The statement that takes the next ids and inserts the entries under them
 * (reading the first id), and how to make the entries once it has run.
 */
function appendEntries(events: PendingEvent[], createdAt: string) {
  const pending = events.map((event) => ({
    conversationId: event.conversationId,
    kind: event.kind,
    subjectUserId: event.subjectUserId ?? null,
    payload: JSON.stringify(event.event),
  }));
  const columns = JSON.stringify(
    pending.map((entry) => ({
      conversation_id: entry.conversationId,
      kind: entry.kind,
      subject_user_id: entry.subjectUserId,
      payload: entry.payload,
    })),
  );
  const statement: Statement<bigint> = {
    query: prepared(sql`
      with head as (
        update ${eventLogHead} set last_id = last_id + ${events.length}
        where singleton = 1
        returning last_id - ${events.length} as before_id
      ), added as (
        insert into ${eventLog} (id, conversation_id, kind, subject_user_id, payload, created_at)
        select head.before_id + entry.position, entry.conversation_id, entry.kind, entry.subject_user_id,
               entry.payload, ${createdAt}::timestamptz
        from head, rows from (jsonb_to_recordset(${columns}::jsonb)
          as (conversation_id uuid, kind text, subject_user_id uuid, payload text))
          with ordinality as entry(conversation_id, kind, subject_user_id, payload, position)
        returning id
      )
      select min(id)::text as first_id from added`),
    read: ([added]) => {
      if (!added) throw new Error('event_log_head is missing');
      return BigInt(added.first_id as string);
    },
  };
  return {
    statement,
    entriesFrom: (firstId: bigint): LogEntry[] =>
      pending.map((entry, index) => {
        const id = firstId + BigInt(index);
        return { ...entry, id, idText: id.toString() };
      }),
  };
}

/**
 * The event log: every live change, with gap-free ids committed in id order.
 * `write` is the only way in: it holds the head row's lock from the start of
 * its transaction to the commit, so concurrent writers queue there (which
 * also makes `last_seq` and membership changes race-free), and publishes the
 * committed entries afterwards.
 */
export function createEventLog(deps: {
  database: Pick<DatabaseHandle, 'db' | 'pipelined'>;
  bus: Bus;
  /** Stamps entries; `pruneBefore` compares with the same clock's time. */
  clock: Clock;
  logger: Logger;
}) {
  const { bus, clock, logger } = deps;
  const stamp = () => new Date(clock.now()).toISOString();
  const { db, pipelined } = deps.database;

  /**
   * Not awaited by the writers: an acknowledgement never waits on the bus
   * (a Redis outage held acks for up to 17 s). Publishes still leave in
   * commit order: one connection sends them in the order they are made.
   */
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
     * events, commits, then publishes them.
     */
    async write<T>(work: (tx: Database) => Promise<LogWork<T>>): Promise<T> {
      const { result, entries } = await db.transaction(async (tx) => {
        await runStatement(tx, LOCK_HEAD);
        const { result, events } = await work(tx as unknown as Database);
        if (events.length === 0) return { result, entries: [] as LogEntry[] };
        const appending = appendEntries(events, stamp());
        return { result, entries: appending.entriesFrom(await runStatement(tx, appending.statement)) };
      });
      void publish(entries);
      return result;
    },

    /**
     * `write` in two round trips, for a writer that reads once and then
     * writes: the lock goes out with BEGIN and the first statements `work`
     * sends; its `writes`, the entries and COMMIT go out together at the end.
     */
    async writePipelined<T>(work: (tx: PipelinedTransaction) => Promise<PipelinedLogWork<T>>): Promise<T> {
      const { result, lastResults } = await pipelined(async (tx) => {
        let isLocked = false;
        const underLock = {
          send: async (statements: readonly Statement<unknown>[]) => {
            if (isLocked) return tx.send(statements);
            isLocked = true;
            const [, ...results] = await tx.send([LOCK_HEAD, ...statements]);
            return results;
          },
        } as PipelinedTransaction;
        const { result, events, writes } = await work(underLock);
        const appending = events.length > 0 ? appendEntries(events, stamp()) : undefined;
        const last = [...(isLocked ? [] : [LOCK_HEAD]), ...writes, ...(appending ? [appending.statement] : [])];
        return { result: { result, appending }, last };
      });
      // The entries' insert went last: what it read is the first id.
      const entries = result.appending ? result.appending.entriesFrom(lastResults.at(-1) as bigint) : [];
      void publish(entries);
      return result.result;
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
