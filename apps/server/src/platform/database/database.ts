import type { schema } from '@gopherchat/db';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** Drizzle over either driver: repositories are written once against this. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open database with what the process needs around it. */
export interface DatabaseHandle {
  kind: 'pglite' | 'postgres';
  db: Database;
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
