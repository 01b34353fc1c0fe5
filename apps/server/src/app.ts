import { resolve } from 'node:path';
import type { Logger } from 'pino';
import packageJson from '../package.json' with { type: 'json' };
import { embeddedFiles } from './embedded.ts';
import type { Config } from './env.ts';
import { createHttpApp, type WebFiles } from './http.ts';
import { createLifecycle } from './lifecycle.ts';
import { createAnnouncementRepo, createAnnouncementService } from './modules/announcements/index.ts';
import { createSystemService } from './modules/system/index.ts';
import { createBus } from './platform/bus/index.ts';
import { openDatabase, resolveMigrationsDir } from './platform/database/index.ts';
import type { Context, Services } from './trpc/context.ts';
import { appRouter } from './trpc/router.ts';
import { createTrpcWebSocketTransport } from './trpc/websocket.ts';

/** An explicit WEB_DIST_DIR wins; else what the binary embeds; else the repository's build. */
function webFilesFor(config: Config): WebFiles {
  if (config.webDistDir) return { kind: 'dir', dir: config.webDistDir };
  const { web } = embeddedFiles();
  if (web.size > 0) return { kind: 'embedded', files: web };
  return { kind: 'dir', dir: resolve(import.meta.dir, '../../web/dist') };
}

/**
 * The composition root: picks an implementation for every port from the
 * config, wires the modules, and returns what the process serves.
 */
export async function createApp(config: Config, deps: { logger: Logger }) {
  const { logger } = deps;
  const instanceId = crypto.randomUUID().slice(0, 8);
  const database = await openDatabase(config.database, await resolveMigrationsDir(config.migrationsDir));
  await database.migrate();
  const bus = createBus(config.bus, logger);
  const lifecycle = createLifecycle();

  const services: Services = {
    announcements: createAnnouncementService({ repo: createAnnouncementRepo(database.db), bus, logger }),
    system: createSystemService({
      database,
      bus,
      busKind: config.bus.kind,
      version: packageJson.version,
      instanceId,
      startedAt: new Date(),
    }),
  };

  const contextFor = (requestId: string): Context => ({
    requestId,
    logger: logger.child({ requestId }),
    services,
    lifecycle,
  });

  const http = createHttpApp({
    router: appRouter,
    createContext: contextFor,
    checkReadiness: () => services.system.checkReadiness(),
    webFiles: webFilesFor(config),
    logger,
  });

  const websockets = createTrpcWebSocketTransport({
    router: appRouter,
    createContext: ({ requestId }) => contextFor(requestId),
    allowedOrigins: config.allowedOrigins,
    lifecycle,
    logger,
  });

  return {
    instanceId,
    http,
    websockets,
    lifecycle,
    services,
    database,
    /** Releases the database and broker connections; call after traffic has stopped. */
    async close() {
      await bus.close();
      await database.close();
    },
  };
}

export type App = Awaited<ReturnType<typeof createApp>>;
