import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { schema } from '@gopherchat/db';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { DatabaseHandle } from './database.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';

/**
 * The embedded default: PostgreSQL compiled to WASM, file-backed under
 * `dataDir`, or in memory when `dataDir` is undefined (tests).
 */
export async function openPglite(options: {
  dataDir: string | undefined;
  migrationsDir: string;
}): Promise<DatabaseHandle> {
  let releaseLock = () => {};
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    releaseLock = acquireDataDirLock(options.dataDir);
  }
  let client: PGlite;
  try {
    client = await PGlite.create(options.dataDir);
  } catch (error) {
    releaseLock();
    throw error;
  }
  const db = drizzle({ client, schema });
  return {
    kind: 'pglite',
    db,
    async migrate() {
      await migrate(db, { migrationsFolder: options.migrationsDir });
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.close();
      releaseLock();
    },
  };
}
