import { ConfigError, loadConfig } from './env.ts';
import { createLogger } from './logger.ts';
import { DataDirInUseError } from './platform/database/index.ts';
import { startServer } from './server.ts';

/** The process: config, start, signals. */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config);
  // The last line of defence: every input is bounded and every handler catches its own failures, so
  // what arrives here is a bug. One request's bug must not end everyone's connections: log it, carry on.
  process.on('uncaughtException', (error) => logger.error({ err: error }, 'uncaught exception; carrying on'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection; carrying on'));
  const server = await startServer(config, { logger });
  logger.info(
    { url: server.url.href, database: config.database.kind, bus: config.bus.kind, instanceId: server.app.instanceId },
    'GopherChat server listening',
  );
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.shutdown(signal).then(
        (isClean) => process.exit(isClean ? 0 : 1),
        (error) => {
          logger.fatal({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  // Expected startup failures get a plain message, not a stack trace.
  if (error instanceof ConfigError || error instanceof DataDirInUseError) {
    console.error(error.message);
  } else {
    console.error('GopherChat failed to start:', error);
  }
  process.exit(1);
});
