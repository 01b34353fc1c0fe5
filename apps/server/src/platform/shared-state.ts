import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { SharedStateConfig } from '../env.ts';
import { type Cache, createMemoryCache, createRedisCache } from './cache/index.ts';
import type { Clock } from './clock/index.ts';
import { createMemoryPresence, createRedisPresence, type Presence } from './presence/index.ts';
import { createMemoryRateLimiters, createRedisRateLimiters, type RateLimiterFactory } from './rate-limit/index.ts';

/**
 * The cache, the rate-limit counters and presence, on one backing store:
 * this process (embedded default) or one Redis connection shared by all.
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
      redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
      return {
        cache: createRedisCache({ redis, keyPrefix: config.keyPrefix }) as Cache,
        rateLimiters: createRedisRateLimiters({ redis, keyPrefix: config.keyPrefix }),
        presence: createRedisPresence({ redis, keyPrefix: config.keyPrefix, clock, ttlMs }),
        close: async () => {
          await redis.quit().catch(() => redis.disconnect());
        },
      };
    }
    default:
      return config satisfies never;
  }
}
