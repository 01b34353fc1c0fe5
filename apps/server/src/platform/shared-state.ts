import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { SharedStateConfig } from '../env.ts';
import { type Cache, createMemoryCache, createRedisCache } from './cache/index.ts';
import type { Clock } from './clock/index.ts';
import { createMemoryPresence, createRedisPresence, type Presence } from './presence/index.ts';
import { createMemoryRateLimiters, createRedisRateLimiters, type RateLimiterFactory } from './rate-limit/index.ts';

/**
 * The cache, the rate-limit counters and presence, on one backing store:
 * this process (embedded default) or Redis, shared by all instances.
 *
 * The cache and the counters use a connection that fails at once while
 * Redis is unreachable, instead of queueing commands until it is back: each
 * has a fallback (the cache reads the database, the counters count in this
 * process), and every request would otherwise wait out the reconnection.
 */
export function openSharedState(
  config: SharedStateConfig,
  clock: Clock,
  logger: Logger,
  options: { presenceTtlMs: number },
) {
  const { presenceTtlMs: ttlMs } = options;
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
      const redis = new Redis(config.url, { maxRetriesPerRequest: 2, connectionName: 'gopherchat-state' });
      const failFast = new Redis(config.url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
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
