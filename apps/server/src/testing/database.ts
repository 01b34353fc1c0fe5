import postgres from 'postgres';
import { loadTestServices } from '../env.ts';
import { openDatabase, resolveMigrationsDir } from '../platform/database/index.ts';

const { postgresAdminUrl } = loadTestServices();

export interface TestDatabase extends AsyncDisposable {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A brand-new, empty database on the real PostgreSQL, dropped on dispose. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const safeLabel = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30);
  const name = `gc_test_${safeLabel}_${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const admin = postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  let isDropped = false;
  const drop = async () => {
    if (isDropped) return;
    isDropped = true;
    const dropper = postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
    try {
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await dropper.end();
    }
  };
  return { name, url: url.href, drop, [Symbol.asyncDispose]: drop };
}

/** A fresh database on the real PostgreSQL, migrated and open; `close` also drops it. */
export async function openMigratedTestDatabase(label: string) {
  const testDatabase = await createTestDatabase(label);
  const database = await openDatabase(
    { kind: 'postgres', url: testDatabase.url, poolSize: 2 },
    await resolveMigrationsDir(undefined),
  );
  await database.migrate();
  return {
    db: database.db,
    pipelined: database.pipelined,
    /** For a connection of the test's own, outside the pool of two. */
    url: testDatabase.url,
    async close() {
      await database.close();
      await testDatabase.drop();
    },
  };
}
