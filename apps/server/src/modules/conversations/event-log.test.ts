import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { type SQL, sql } from 'drizzle-orm';
import { createMemoryBus } from '../../platform/bus/memory-bus.ts';
import { runStatement, type Statement } from '../../platform/database/index.ts';
import { openMigratedTestDatabase } from '../../testing/database.ts';
import { testLogger } from '../../testing/logger.ts';
import { createEventLog, type EventLog, type PendingEvent } from './event-log.ts';

const statementOf = (query: SQL): Statement<void> => ({ query, read: () => undefined });
const readHead: Statement<bigint> = {
  query: sql`select last_id::text from event_log_head`,
  read: ([row]) => BigInt(row?.last_id as string),
};

const anEvent = (): PendingEvent => ({
  conversationId: crypto.randomUUID(),
  kind: 'conversation_updated',
  event: { kind: 'conversation_updated', conversationId: crypto.randomUUID() },
});

describe('event log writes on real PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openMigratedTestDatabase>>;

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
      const log = createEventLog({ database, bus: createMemoryBus(testLogger), logger: testLogger });
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
      await Bun.sleep(100);
      letFirstCommit();
      await first;
      expect(await second).toBe(before + 1n);
    },
  );

  it('commits nothing when a statement sent with the entries fails', async () => {
    const log = createEventLog({ database, bus: createMemoryBus(testLogger), logger: testLogger });
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
});
