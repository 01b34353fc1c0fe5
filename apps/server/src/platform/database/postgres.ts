import { schema } from '@gopherchat/db';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import {
  type DatabaseHandle,
  PREPARED_MARKER,
  type ResultsOf,
  type RunPipelined,
  type Statement,
  toDriverQuery,
} from './database.ts';

/** Any constant works; it only has to be the same for every instance. */
const MIGRATION_LOCK_KEY = 0x6770_6368; // "gpch"

export function openPostgres(options: { url: string; poolSize: number; migrationsDir: string }): DatabaseHandle {
  const client = preparingMarkedStatements(
    postgres(options.url, {
      max: options.poolSize,
      onnotice: () => {},
      // Keep bigint columns exact; the repositories turn them into strings.
      types: { bigint: postgres.BigInt },
    }),
  );
  const db = drizzle({ client, schema });
  return {
    kind: 'postgres',
    db,
    pipelined: pipelinedOn(client),
    async migrate() {
      // Two instances starting together would both try to create the same
      // tables; a session-level advisory lock on a dedicated one-connection
      // client makes the second wait, then find nothing to do.
      const migrator = postgres(options.url, { max: 1, onnotice: () => {} });
      try {
        await migrator`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migrate(drizzle({ client: migrator, schema }), { migrationsFolder: options.migrationsDir });
      } finally {
        await migrator.end();
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

/**
 * Pipelined transactions on a connection of their own. postgres.js hands a
 * connection its queries in the order they were executed, and the connection
 * writes each one without waiting for the answers before it (a statement it
 * has prepared on that connection, that is: the first run of a statement
 * with parameters waits for its description).
 */
function pipelinedOn(client: postgres.Sql): RunPipelined {
  return async (work) => {
    const connection = await client.reserve();
    let hasBegun = false;
    let isCommitted = false;
    async function send(statements: readonly Statement<unknown>[], andCommit: boolean) {
      const queries: postgres.PendingQuery<postgres.Row[]>[] = [];
      if (!hasBegun) queries.push(connection.unsafe('begin'));
      hasBegun = true;
      const firstOfGroup = queries.length;
      for (const statement of statements) {
        const { text, params } = toDriverQuery(statement.query);
        queries.push(connection.unsafe(text, params as never[], { prepare: text.startsWith(PREPARED_MARKER) }));
      }
      if (andCommit) queries.push(connection.unsafe('commit'));
      for (const query of queries) query.execute();
      // Every answer awaited, so no rejection goes unhandled; the first failure is the cause, the rest its echo.
      const settled = await Promise.allSettled(queries);
      const failure = settled.find((outcome) => outcome.status === 'rejected');
      if (failure) throw failure.reason;
      return statements.map((statement, index) =>
        statement.read((settled[firstOfGroup + index] as PromiseFulfilledResult<postgres.Row[]>).value),
      );
    }
    try {
      const { result, last } = await work({
        send: (statements) => send(statements, false) as Promise<ResultsOf<typeof statements>>,
      });
      const lastResults = (await send(last, true)) as ResultsOf<typeof last>;
      isCommitted = true;
      return { result, lastResults };
    } catch (error) {
      // After a failed statement PostgreSQL has already turned COMMIT into a rollback; this covers a failure between groups.
      if (hasBegun && !isCommitted) await connection.unsafe('rollback').catch(() => {});
      throw error;
    } finally {
      connection.release();
    }
  };
}

/**
 * drizzle runs raw SQL through postgres.js with `prepare: false`; this turns
 * it on for the statements `prepared()` marked, on the client and on every
 * transaction it begins (each transaction has its own query function).
 */
function preparingMarkedStatements(client: postgres.Sql): postgres.Sql {
  prepareMarked(client);
  const { begin } = client;
  client.begin = ((...args: unknown[]) => {
    const work = args.pop() as (transaction: postgres.TransactionSql) => unknown;
    return (begin as (...beginArgs: unknown[]) => unknown)(...args, (transaction: postgres.TransactionSql) =>
      work(prepareMarked(transaction)),
    );
  }) as postgres.Sql['begin'];
  return client;
}

function prepareMarked<Scope extends postgres.Sql | postgres.TransactionSql>(scope: Scope): Scope {
  const { unsafe } = scope;
  scope.unsafe = ((query: string, parameters?: never[], queryOptions?: postgres.UnsafeQueryOptions) =>
    unsafe(
      query,
      parameters,
      query.startsWith(PREPARED_MARKER) ? { ...queryOptions, prepare: true } : queryOptions,
    )) as Scope['unsafe'];
  return scope;
}
