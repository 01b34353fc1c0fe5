import { schema } from '@gopherchat/db';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { type DatabaseHandle, PREPARED_MARKER } from './database.ts';

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
