import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { openMigratedTestDatabase } from '../../testing/database.ts';
import { openDatabase, prepared, resolveMigrationsDir, rowsOf, violatedUniqueConstraint } from './index.ts';

/** The statements this connection has prepared, read on the same connection (inside one transaction). */
const preparedStatementsSql = sql`select statement from pg_prepared_statements where not from_sql`;

describe('prepared statements on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openMigratedTestDatabase>>;

  beforeAll(async () => {
    database = await openMigratedTestDatabase('prepared');
  });

  afterAll(async () => {
    await database?.close();
  });

  test('a marked statement is prepared, in and out of transactions, and answers as before', async () => {
    const { db } = database;
    const marked = (value: number) => prepared(sql`select ${value}::int + 1 as next`);
    expect(rowsOf<{ next: number }>(await db.execute(marked(1)))).toEqual([{ next: 2 }]);

    const statements = await db.transaction(async (tx) => {
      expect(rowsOf<{ next: number }>(await tx.execute(marked(41)))).toEqual([{ next: 42 }]);
      await tx.execute(sql`select ${7}::int as unmarked`);
      return rowsOf<{ statement: string }>(await tx.execute(preparedStatementsSql)).map((row) => row.statement);
    });
    expect(statements.filter((statement) => statement.includes('+ 1 as next'))).toHaveLength(1);
    expect(statements.some((statement) => statement.includes('unmarked'))).toBe(false);
  });

  test('a statement that fails when prepared fails as it would unprepared, and the transaction rolls back', async () => {
    const { db } = database;
    await db.execute(sql`create table if not exists prepared_probe (id int primary key)`);
    const insert = (id: number) => prepared(sql`insert into prepared_probe (id) values (${id})`);
    const failure = await db
      .transaction(async (tx) => {
        await tx.execute(insert(1));
        await tx.execute(insert(1));
      })
      .catch((error: unknown) => error);
    expect(violatedUniqueConstraint(failure)).toBe('prepared_probe_pkey');
    expect(rowsOf(await db.execute(sql`select id from prepared_probe`))).toEqual([]);
  });
});

test('on PGlite a marked statement is only a comment: it runs as written', async () => {
  const database = await openDatabase({ kind: 'pglite', dataDir: undefined }, await resolveMigrationsDir(undefined));
  try {
    expect(rowsOf<{ next: number }>(await database.db.execute(prepared(sql`select ${1}::int + 1 as next`)))).toEqual([
      { next: 2 },
    ]);
  } finally {
    await database.close();
  }
});
