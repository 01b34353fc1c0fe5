import { schema } from '@gopherchat/db';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { startDeadline } from '../../lib/deadline.ts';
import {
  type DatabaseHandle,
  PREPARED_MARKER,
  type ResultsOf,
  type RunPipelined,
  type Statement,
  toDriverQuery,
} from './database.ts';
import { DatabaseDeadlineError, isDatabaseUnavailable } from './errors.ts';

/** Any constant works; it only has to be the same for every instance. */
const MIGRATION_LOCK_KEY = 0x6770_6368; // "gpch"

/**
 * Seconds before reconnecting after the `attempt`th failed connection. The
 * driver's default grows to 20 s, and its count is shared by the whole
 * pool: after a restart that dropped every connection, the pool waited
 * seconds for a database that was back in one.
 */
const reconnectBackoff = (attempt: number) => Math.min(0.05 * 2 ** attempt, 1);

/** How long a pipelined (send path) transaction may take before it is abandoned. */
const DEFAULT_TRANSACTION_DEADLINE_MS = 10_000;

export function openPostgres(options: {
  url: string;
  poolSize: number;
  migrationsDir: string;
  transactionDeadlineMs?: number;
}): DatabaseHandle {
  const client = preparingMarkedStatements(
    postgres(options.url, {
      max: options.poolSize,
      onnotice: () => {},
      backoff: reconnectBackoff,
      connect_timeout: 5,
      // Keep bigint columns exact; the repositories turn them into strings.
      types: { bigint: postgres.BigInt },
    }),
  );
  const db = drizzle({ client, schema });
  return {
    kind: 'postgres',
    db,
    pipelined: pipelinedOn(client, options.transactionDeadlineMs ?? DEFAULT_TRANSACTION_DEADLINE_MS),
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
 *
 * Every transaction has a deadline. One that cannot finish (PostgreSQL
 * paused, a lock never granted) fails with a `DatabaseDeadlineError`, and
 * its backend is terminated so that the connection closes and the pool
 * replaces it; the connection is never handed back with work in flight. A
 * connection that failed is not handed back either: the pool already took
 * it when it closed.
 */
function pipelinedOn(client: postgres.Sql, deadlineMs: number): RunPipelined {
  return async (work) => {
    const deadline = startDeadline(deadlineMs, () => new DatabaseDeadlineError(deadlineMs));
    const reserving = client.reserve();
    let connection: postgres.ReservedSql;
    try {
      connection = await deadline.race(reserving);
    } catch (error) {
      deadline.clear();
      // Reserved after all, once nobody waits for it.
      reserving.then(
        (late) => late.release(),
        () => {},
      );
      throw error;
    }
    let hasBegun = false;
    let isCommitted = false;
    /** The first query sent, which records the backend serving the transaction once it went out. */
    let firstQuery: postgres.PendingQuery<postgres.Row[]> | undefined;
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
      firstQuery ??= queries[0];
      // Every answer awaited, so no rejection goes unhandled; the first failure is the cause, the rest its echo.
      const settled = await deadline.race(Promise.allSettled(queries));
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
      connection.release();
      return { result, lastResults };
    } catch (error) {
      if (error instanceof DatabaseDeadlineError) {
        // Its queries may still be running: ending the backend ends them (no late commit) and closes the connection.
        const backendPid = backendPidOf(firstQuery);
        if (backendPid !== undefined) {
          const terminating = client`select pg_terminate_backend(${backendPid})`;
          // A database that does not answer at all cannot be asked either: give up after one more deadline.
          const patience = startDeadline(deadlineMs, () => new DatabaseDeadlineError(deadlineMs));
          await patience
            .race(terminating)
            .catch(() => {})
            .finally(patience.clear);
        }
      } else if (!isDatabaseUnavailable(error)) {
        // After a failed statement PostgreSQL has already turned COMMIT into a rollback; this covers a failure between groups.
        if (hasBegun && !isCommitted) await connection.unsafe('rollback').catch(() => {});
        connection.release();
      }
      throw error;
    } finally {
      deadline.clear();
    }
  };
}

/** The backend process id postgres.js records on a query once it went out on a connection. */
function backendPidOf(query: postgres.PendingQuery<postgres.Row[]> | undefined): number | undefined {
  const pid = (query as unknown as { state?: { pid?: number | null } } | undefined)?.state?.pid;
  return typeof pid === 'number' ? pid : undefined;
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
