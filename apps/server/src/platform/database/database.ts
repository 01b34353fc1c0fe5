import type { schema } from '@gopherchat/db';
import { type SQL, sql } from 'drizzle-orm';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** Drizzle over either driver: repositories are written once against this. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * A statement with the way to read its rows, so it can run on its own
 * (`runStatement`) or go out together with others in one round trip
 * (`PipelinedTransaction.send`). `read` gets the driver's raw rows, keyed by
 * column name; it converts what the two drivers type differently (int8 is a
 * bigint on postgres.js, a number on PGlite).
 */
export interface Statement<T> {
  readonly query: SQL;
  read(rows: Record<string, unknown>[]): T;
}

export type ResultsOf<T extends readonly Statement<unknown>[]> = {
  [K in keyof T]: T[K] extends Statement<infer R> ? R : never;
};

const dialect = new PgDialect();

/** A query's text and parameters, for a driver's own query call (or an EXPLAIN). */
export function toDriverQuery(query: SQL): { text: string; params: unknown[] } {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return { text, params };
}

export async function runStatement<T>(db: Database, statement: Statement<T>): Promise<T> {
  return statement.read(rowsOf(await db.execute(statement.query)));
}

/** A transaction whose statements leave in groups, each group without waiting between its statements. */
export interface PipelinedTransaction {
  /**
   * Sends `statements` in this order and resolves with what each read, or
   * rejects with the first failure (which aborts the transaction). On
   * PostgreSQL the group is one round trip, and the first group carries BEGIN.
   */
  send<const T extends readonly Statement<unknown>[]>(statements: T): Promise<ResultsOf<T>>;
}

/**
 * Runs `work` in a transaction, then sends the statements it returns
 * followed by COMMIT, all in one round trip; resolves once committed. So a
 * transaction that reads once and then writes costs two round trips in all,
 * where one awaited statement at a time costs one each, plus BEGIN and
 * COMMIT. Rolls back if anything fails.
 */
export type RunPipelined = <T, const L extends readonly Statement<unknown>[]>(
  work: (tx: PipelinedTransaction) => Promise<{ result: T; last: L }>,
) => Promise<{ result: T; lastResults: ResultsOf<L> }>;

/** An open database with what the process needs around it. */
export interface DatabaseHandle {
  kind: 'pglite' | 'postgres';
  db: Database;
  pipelined: RunPipelined;
  /** Applies pending migrations; safe to call from several instances at once. */
  migrate(): Promise<void>;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The rows of a raw `db.execute` result: postgres.js answers with an array, PGlite with `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/** How a raw statement says it is `prepared`: the driver looks for this at the start of its text. */
export const PREPARED_MARKER = '/* prepared */ ';

/**
 * Marks a raw statement for `db.execute` as one to prepare: PostgreSQL
 * parses and plans it once per connection, and every later run is a single
 * round trip. Unprepared, postgres.js sends each statement that has
 * parameters in two round trips (describe, then execute), and the
 * connection pipelines nothing else meanwhile. Only for statements whose
 * text never varies (values travel as parameters, lists as one JSON
 * parameter): each distinct text stays prepared on its connection.
 * Query builders get the same with drizzle's own `.prepare(name)`.
 */
export function prepared(query: SQL): SQL {
  return sql`${sql.raw(PREPARED_MARKER)}${query}`;
}
