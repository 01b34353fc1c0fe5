import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { type SQL, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createMemoryBus } from '../../platform/bus/memory-bus.ts';
import { createManualClock, systemClock } from '../../platform/clock/index.ts';
import { runStatement, type Statement } from '../../platform/database/index.ts';
import { eventually } from '../../testing/collect.ts';
import { openMigratedTestDatabase } from '../../testing/database.ts';
import { testLogger } from '../../testing/logger.ts';
import { createEventLog, type EventLog, type PendingEvent } from './event-log.ts';

const statementOf = (query: SQL): Statement<void> => ({ query, read: () => undefined });
const readHead: Statement<bigint> = {
  query: sql`select last_id::text from event_log_head`,
  read: ([row]) => BigInt(row?.last_id as string),
};

function disposableSql(url: string) {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  return { sql: client, [Symbol.asyncDispose]: () => client.end() };
}

const anEvent = (): PendingEvent => ({
  conversationId: crypto.randomUUID(),
  kind: 'conversation_updated',
  event: { kind: 'conversation_updated', conversationId: crypto.randomUUID() },
});

describe('event log writes on real PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openMigratedTestDatabase>>;

  /** Backends of this database blocked on a lock (the second writer, once it reached the head row), seen from outside the pool. */
  async function backendsWaitingOnLocks(): Promise<number> {
    await using observer = disposableSql(database.url);
    const [row] = await observer.sql`select count(*)::int as waiting from pg_stat_activity
                                     where datname = current_database() and wait_event_type = 'Lock'`;
    return Number(row?.waiting);
  }

  beforeAll(async () => {
    database = await openMigratedTestDatabase('event-log');
  });

  afterAll(async () => {
    await database?.close();
  });

  it.each([
    ['plain', (log: EventLog) => log.write(async (tx) => ({ result: await runStatement(tx, readHead), events: [] }))],
    [
      'pipelined',
      // Its reads go out with the lock, in the same round trip.
      (log: EventLog) =>
        log.writePipelined(async (tx) => {
          const [head] = await tx.send([readHead]);
          return { result: head, events: [], writes: [] };
        }),
    ],
  ] as const)(
    'lets a %s writer read what the writer before it committed: it holds the lock from the start',
    async (_kind, readAsSecondWriter) => {
      const log = createEventLog({
        database,
        bus: createMemoryBus(testLogger),
        clock: systemClock,
        logger: testLogger,
      });
      const before = await log.readHeadId();
      let letFirstCommit = () => {};
      let firstHoldsLock = () => {};
      const firstLocked = new Promise<void>((resolve) => {
        firstHoldsLock = resolve;
      });
      const first = log.write(async () => {
        firstHoldsLock();
        await new Promise<void>((resolve) => {
          letFirstCommit = resolve;
        });
        return { result: undefined, events: [anEvent()] };
      });
      await firstLocked;
      // Sends place their messages after the `last_seq` they read: this read must wait for the first writer.
      const second = readAsSecondWriter(log);
      await eventually(async () => (await backendsWaitingOnLocks()) === 1, 'the second writer waiting on the lock');
      letFirstCommit();
      await first;
      expect(await second).toBe(before + 1n);
    },
  );

  it('commits nothing when a statement sent with the entries fails', async () => {
    const log = createEventLog({ database, bus: createMemoryBus(testLogger), clock: systemClock, logger: testLogger });
    const before = await log.readHeadId();
    const failing = log.writePipelined(async () => ({
      result: undefined,
      events: [anEvent()],
      writes: [statementOf(sql`select 1 / 0`)],
    }));
    await expect(failing).rejects.toThrow('division by zero');
    expect(await log.readHeadId()).toBe(before);

    await log.writePipelined(async () => ({
      result: undefined,
      events: [anEvent(), anEvent()],
      writes: [statementOf(sql`select 1`)],
    }));
    expect(await log.readHeadId()).toBe(before + 2n);
  });

  it('prunes by the time of the clock that stamped the entries', async () => {
    const clock = createManualClock(Date.now());
    const log = createEventLog({ database, bus: createMemoryBus(testLogger), clock, logger: testLogger });
    await log.write(async () => ({ result: undefined, events: [anEvent()] }));
    const old = await log.readHeadId();
    clock.advance(60_000);
    // Two: the newest entry is kept whatever its time, so the one before it shows the stamp was used.
    await log.writePipelined(async () => ({ result: undefined, events: [anEvent(), anEvent()], writes: [] }));
    const recent = await log.readHeadId();

    await log.pruneBefore(new Date(clock.now() - 60_000));
    expect((await log.readAfter(old - 1n, 10)).map((entry) => entry.id)).toEqual([old, recent - 1n, recent]);
    await log.pruneBefore(new Date(clock.now() - 30_000));
    expect((await log.readAfter(old - 1n, 10)).map((entry) => entry.id)).toEqual([recent - 1n, recent]);
  });
});
