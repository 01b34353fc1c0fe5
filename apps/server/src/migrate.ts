import { ConfigError, loadConfig } from './env.ts';
import { openDatabase, resolveMigrationsDir } from './platform/database/index.ts';

/**
 * `bun run db:migrate`: applies pending migrations to the configured database
 * and exits. The server also migrates at startup; this is for deploy
 * pipelines that migrate as a separate step.
 */
async function migrateOnly() {
  const config = loadConfig();
  const database = await openDatabase(config.database, await resolveMigrationsDir(config.migrationsDir));
  try {
    await database.migrate();
    console.log(`Migrations applied (${config.database.kind}).`);
  } finally {
    await database.close();
  }
}

migrateOnly().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
