import { ConfigError, loadConfig } from './env.ts';
import { createLogger } from './logger.ts';
import { createAnnouncementFeed, createAnnouncementRepo } from './modules/announcements/index.ts';
import { createBus } from './platform/bus/index.ts';
import { DataDirInUseError, openDatabase, resolveMigrationsDir } from './platform/database/index.ts';

const WELCOME = [
  'Welcome to GopherChat! This server is up and running.',
  'Announcements reach everyone on this server live. Server admins post them.',
];

/**
 * `bun run db:seed`: gives a fresh development database something to show.
 * Publishes through the announcement feed (ids, live delivery) in the
 * server's own name, so no admin account is needed, and does nothing on a
 * database that already has data.
 */
async function seed() {
  const config = loadConfig();
  const logger = createLogger(config);
  const database = await openDatabase(config.database, await resolveMigrationsDir(config.migrationsDir));
  const bus = createBus(config.bus, logger);
  try {
    await database.migrate();
    const announcements = createAnnouncementFeed({ repo: createAnnouncementRepo(database.db), bus, logger });
    if ((await announcements.listRecent(1)).length > 0) {
      console.log('The database already has announcements; nothing seeded.');
      return;
    }
    for (const text of WELCOME) await announcements.publishAnnouncement({ text });
    console.log(`Seeded ${WELCOME.length} announcements (${config.database.kind}).`);
  } finally {
    await bus.close();
    await database.close();
  }
}

seed().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof DataDirInUseError ? error.message : error);
  process.exit(1);
});
