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
      // tables; a session-level advisory lock on one reserved connection
      // makes the second wait and then find nothing to do.
      const reserved = await client.reserve();
      try {
        await reserved`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migrate(drizzle({ client: reserved, schema }), { migrationsFolder: options.migrationsDir });
      } finally {
        await reserved`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
        reserved.release();
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
