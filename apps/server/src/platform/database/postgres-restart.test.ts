import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createDatabaseOn, type OwnPostgres, startOwnPostgres } from '../../testing/own-postgres.ts';
import {
  DatabaseDeadlineError,
  type DatabaseHandle,
  isDatabaseUnavailable,
  prepared,
  resolveMigrationsDir,
  rowsOf,
  type Statement,
} from './index.ts';
import { openPostgres } from './postgres.ts';

/**
 * The send path's pipelined transactions when PostgreSQL goes away under
 * them, on a cluster of this file's own (never the shared one). With
 * postgres.js 3.4.9 as published, a restart under load left a reserved
 * connection's transaction waiting for ever, or crashed the process with
 * `null is not an object (evaluating 'socket.write')`.
 */
let cluster: OwnPostgres;
let database: DatabaseHandle;
let admin: postgres.Sql;

const insert = (id: number, writer: number): Statement<void> => ({
  query: prepared(sql`insert into restart_probe (id, writer) values (${id}, ${writer})`),
  read: () => undefined,
});
const backendPid: Statement<number> = {
  query: sql`select pg_backend_pid() as pid`,
  read: ([row]) => Number(row?.pid),
};

/** Lets timers and sockets run: a loop whose failures come back at once would otherwise starve them. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function storedIds(): Promise<number[]> {
  const rows = rowsOf<{ id: number }>(await database.db.execute(sql`select id from restart_probe order by id`));
  return rows.map((row) => row.id);
}

beforeAll(async () => {
  cluster = await startOwnPostgres();
  const url = await createDatabaseOn(cluster, 'restart_probe');
  database = openPostgres({ url, poolSize: 6, migrationsDir: await resolveMigrationsDir(undefined) });
  await database.db.execute(sql`create table restart_probe (id int primary key, writer int not null)`);
  admin = postgres(url, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await admin?.end({ timeout: 1 });
  await database?.close();
  await cluster?.[Symbol.asyncDispose]();
});

describe('pipelined transactions when PostgreSQL drops the connection', () => {
  test('fail as a connection failure when their backend is terminated mid-transaction, and the next commits', async () => {
    const failure = await database
      .pipelined(async (tx) => {
        const [pid] = await tx.send([backendPid, insert(1, 0)]);
        await admin`select pg_terminate_backend(${pid})`;
        return { result: undefined, last: [insert(2, 0)] };
      })
      .catch((error: unknown) => error);
    expect(isDatabaseUnavailable(failure)).toBe(true);
    await database.pipelined(async () => ({ result: undefined, last: [insert(3, 0)] }));
    expect(await storedIds()).toEqual([3]);
  });

  test('are abandoned at their deadline when a statement cannot finish, and the pool serves the next', async () => {
    const url = await createDatabaseOn(cluster, 'deadline_probe');
    const impatient = openPostgres({
      url,
      poolSize: 2,
      migrationsDir: await resolveMigrationsDir(undefined),
      transactionDeadlineMs: 200,
    });
    const locker = postgres(url, { max: 1, onnotice: () => {} });
    const blocker = await locker.reserve();
    try {
      await impatient.db.execute(sql`create table restart_probe (id int primary key, writer int not null)`);
      await blocker`begin`;
      await blocker`lock table restart_probe`;
      const failure = await impatient
        .pipelined(async () => ({ result: undefined, last: [insert(1, 0)] }))
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DatabaseDeadlineError);
      expect(isDatabaseUnavailable(failure)).toBe(true);
      await blocker`rollback`;
      // Its backend was terminated, so its connection is not handed back mid-statement: the next transaction commits.
      await impatient.pipelined(async () => ({ result: undefined, last: [insert(2, 0)] }));
      const rows = rowsOf<{ id: number }>(await impatient.db.execute(sql`select id from restart_probe`));
      expect(rows.map((row) => row.id)).toEqual([2]);
    } finally {
      blocker.release();
      await locker.end();
      await impatient.close();
    }
  });

  test('keep committing through restarts under load (restarts wedged the send path or crashed the process)', async () => {
    const WRITERS = 4;
    const RESTARTS = 5;
    let nextId = 1_000;
    let isRunning = true;
    const committed = new Set<number>();
    const unexpected: unknown[] = [];
    /** Resolvers waiting for the next commit. */
    let onCommit: Array<() => void> = [];
    const nextCommit = () => new Promise<void>((resolve) => onCommit.push(resolve));

    const writer = async (writerId: number) => {
      while (isRunning) {
        const id = nextId++;
        try {
          await database.pipelined(async (tx) => {
            await tx.send([insert(id, writerId)]);
            return { result: undefined, last: [insert(-id, writerId)] };
          });
          committed.add(id);
          const waiting = onCommit;
          onCommit = [];
          for (const resolve of waiting) resolve();
        } catch (error) {
          if (!isDatabaseUnavailable(error)) unexpected.push(error);
          await nextTurn();
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, index) => writer(index));
    // Plain pool queries alongside, as the read path runs beside sends.
    const reader = (async () => {
      while (isRunning) await database.db.execute(sql`select count(*) from restart_probe`).catch(nextTurn);
    })();

    for (let round = 0; round < RESTARTS; round++) {
      await nextCommit();
      await cluster.restart();
      // Recovered: a transaction begun after the restart commits.
      await nextCommit();
    }
    isRunning = false;
    await Promise.all([...writers, reader]);

    expect(unexpected).toEqual([]);
    // Every transaction that reported a commit is stored whole; none that failed left half of itself.
    const stored = await storedIds();
    const firstHalves = stored.filter((id) => id >= 1_000);
    expect(new Set(firstHalves)).toEqual(committed);
    expect(
      stored
        .filter((id) => id < 0)
        .map((id) => -id)
        .sort((a, b) => a - b),
    ).toEqual([...committed].sort((a, b) => a - b));
  });
});
