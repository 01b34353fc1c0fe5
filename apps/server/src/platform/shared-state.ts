import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { SharedStateConfig } from '../env.ts';
import { type Cache, createMemoryCache, createRedisCache } from './cache/index.ts';
import type { Clock } from './clock/index.ts';
import { createMemoryPresence, createRedisPresence, type Presence } from './presence/index.ts';
import { createMemoryRateLimiters, createRedisRateLimiters, type RateLimiterFactory } from './rate-limit/index.ts';

/** How long Redis may take to answer a cache, counter or presence command before it fails. */
const ANSWER_DEADLINE_MS = 500;

/**
 * The cache, the rate-limit counters and presence, on one backing store:
 * this process (embedded default) or Redis, shared by all instances.
 *
 * The cache and the counters use a connection that fails at once while
 * Redis is unreachable, instead of queueing commands until it is back: each
 * has a fallback (the cache reads the database, the counters count in this
 * process), and every request would otherwise wait out the reconnection.
 * Unreachable includes silent: a paused Redis keeps the connection open and
 * answers nothing. So every command fails after `answerDeadlineMs`, and a
 * connection left waiting that long is dropped: until Redis answers a
 * handshake again, the cache's and counters' commands fail without waiting,
 * and none pile up on a socket nobody reads. Presence commands queue across
 * a reconnection but fail after the same deadline: nobody waits on presence.
 */
export function openSharedState(
  config: SharedStateConfig,
  clock: Clock,
  logger: Logger,
  options: { presenceTtlMs: number; answerDeadlineMs?: number },
) {
  const { presenceTtlMs: ttlMs, answerDeadlineMs = ANSWER_DEADLINE_MS } = options;
  switch (config.kind) {
    case 'memory': {
      const cache = createMemoryCache(clock);
      return {
        cache,
        rateLimiters: createMemoryRateLimiters() as RateLimiterFactory,
        presence: createMemoryPresence({ clock, ttlMs }) as Presence,
        close: () => cache.close(),
      };
    }
    case 'redis': {
      const redis = new Redis(config.url, {
        maxRetriesPerRequest: 2,
        commandTimeout: answerDeadlineMs,
        socketTimeout: answerDeadlineMs,
        connectionName: 'gopherchat-state',
      });
      const failFast = new Redis(config.url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: answerDeadlineMs,
        socketTimeout: answerDeadlineMs,
        connectionName: 'gopherchat-state-fast',
      });
      for (const connection of [redis, failFast]) {
        connection.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
      }
      return {
        cache: createRedisCache({ redis: failFast, keyPrefix: config.keyPrefix }) as Cache,
        rateLimiters: createRedisRateLimiters({ redis: failFast, keyPrefix: config.keyPrefix }),
        presence: createRedisPresence({ redis, keyPrefix: config.keyPrefix, clock, ttlMs }),
        close: async () => {
          await Promise.all(
            [redis, failFast].map((connection) => connection.quit().catch(() => connection.disconnect())),
          );
        },
      };
    }
    default:
      return config satisfies never;
  }
}
