import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { type SQL, sql } from 'drizzle-orm';
import { openMigratedTestDatabase } from '../../testing/database.ts';
import {
  type Database,
  openDatabase,
  type RunPipelined,
  resolveMigrationsDir,
  rowsOf,
  type Statement,
  violatedUniqueConstraint,
} from './index.ts';

const write = (query: SQL): Statement<void> => ({ query, read: () => undefined });
// Without parameters, so postgres.js pipelines even a statement's first run (one with parameters waits for its description).
const insert = (id: number) => write(sql.raw(`insert into pipeline_probe (id) values (${id})`));
const countRows: Statement<number> = {
  query: sql`select count(*)::int as count from pipeline_probe`,
  read: ([row]) => Number(row?.count),
};

async function idsIn(db: Database): Promise<number[]> {
  return rowsOf<{ id: number }>(await db.execute(sql`select id from pipeline_probe order by id`)).map((row) => row.id);
}

describe.each([
  ['PostgreSQL', () => openMigratedTestDatabase('pipelined')],
  ['PGlite', async () => openDatabase({ kind: 'pglite', dataDir: undefined }, await resolveMigrationsDir(undefined))],
] as const)('pipelined transactions on %s', (_name, open) => {
  let database: { db: Database; pipelined: RunPipelined; close(): Promise<void> };

  beforeAll(async () => {
    database = await open();
    await database.db.execute(sql`create table pipeline_probe (id int primary key)`);
  });

  afterAll(async () => {
    await database?.close();
  });

  test('runs each group in the order given and commits with the last group', async () => {
    const { result, lastResults } = await database.pipelined(async (tx) => {
      // Each count sees the insert sent just before it: the statements ran in order.
      const [, afterFirst] = await tx.send([insert(1), countRows]);
      return { result: afterFirst, last: [insert(2), countRows] };
    });
    expect(result).toBe(1);
    expect(lastResults[1]).toBe(2);
    expect(await idsIn(database.db)).toEqual([1, 2]);
  });

  test('keeps nothing when a statement of the last group fails, and serves the next transaction', async () => {
    const failure = await database
      .pipelined(async (tx) => {
        await tx.send([insert(10)]);
        return { result: undefined, last: [insert(11), insert(10), insert(12)] };
      })
      .catch((error: unknown) => error);
    expect(violatedUniqueConstraint(failure)).toBe('pipeline_probe_pkey');
    expect(await idsIn(database.db)).toEqual([1, 2]);

    await database.pipelined(async () => ({ result: undefined, last: [insert(13)] }));
    expect(await idsIn(database.db)).toEqual([1, 2, 13]);
  });

  test('keeps nothing when the work fails between groups', async () => {
    const failing = database.pipelined(async (tx) => {
      await tx.send([insert(20)]);
      throw new Error('changed its mind');
    });
    await expect(failing).rejects.toThrow('changed its mind');
    expect(await idsIn(database.db)).toEqual([1, 2, 13]);

    const [count] = (await database.pipelined(async () => ({ result: undefined, last: [countRows] }))).lastResults;
    expect(count).toBe(3);
  });
});
