import { schema } from '@gopherchat/db';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { DatabaseHandle } from './database.ts';

/** Any constant works; it only has to be the same for every instance. */
const MIGRATION_LOCK_KEY = 0x6770_6368; // "gpch"

export function openPostgres(options: { url: string; poolSize: number; migrationsDir: string }): DatabaseHandle {
  const client = postgres(options.url, {
    max: options.poolSize,
    onnotice: () => {},
    // Keep bigint columns exact; the repositories turn them into strings.
    types: { bigint: postgres.BigInt },
  });
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
