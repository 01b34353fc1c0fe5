import type { Logger } from 'pino';

/**
 * Runs `prune` every `intervalMs` until stopped, logging what it removed.
 * A run never overlaps the previous one, failures are logged (the next run
 * tries again), and the timer does not keep the process alive. Every
 * instance may prune the same rows: deleting twice is harmless.
 */
export function schedulePruning(options: {
  what: string;
  intervalMs: number;
  prune: () => Promise<number>;
  logger: Logger;
}): { stop(): void } {
  const { what, logger } = options;
  let isRunning = false;
  const timer = setInterval(async () => {
    if (isRunning) return;
    isRunning = true;
    try {
      const count = await options.prune();
      if (count > 0) logger.info({ count }, `pruned ${what}`);
    } catch (error) {
      logger.warn({ err: error }, `pruning ${what} failed`);
    } finally {
      isRunning = false;
    }
  }, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
