import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { eventLogHead } from '@gopherchat/db';
import { type SQL, sql } from 'drizzle-orm';
import { createMemoryBus } from '../../platform/bus/memory-bus.ts';
import type { Statement } from '../../platform/database/index.ts';
import { openMigratedTestDatabase } from '../../testing/database.ts';
import { testLogger } from '../../testing/logger.ts';
import { createEventLog, type PendingEvent } from './event-log.ts';

const statementOf = (query: SQL): Statement<void> => ({ query, read: () => undefined });
const readHeadStatement: Statement<bigint> = {
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

  it('lets a writer read what the writer before it committed: both hold the lock from the start', async () => {
    const log = createEventLog({ database, bus: createMemoryBus(testLogger), logger: testLogger });
    const readHead = async (tx: typeof database.db) => {
      const [row] = await tx.select({ lastId: eventLogHead.lastId }).from(eventLogHead);
      return row?.lastId ?? 0n;
    };
    const before = await readHead(database.db);
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
    const second = log.write(async (tx) => ({ result: await readHead(tx), events: [] }));
    await Bun.sleep(100);
    letFirstCommit();
    await first;
    expect(await second).toBe(before + 1n);
  });

  it('lets a pipelined writer read what the writer before it committed, though its reads go out with the lock', async () => {
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
    const second = log.writePipelined(async (tx) => {
      const [head] = await tx.send([readHeadStatement]);
      return { result: head, events: [], writes: [] };
    });
    await Bun.sleep(100);
    letFirstCommit();
    await first;
    expect(await second).toBe(before + 1n);
  });

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
