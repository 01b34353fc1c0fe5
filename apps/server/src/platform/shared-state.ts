import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { SharedStateConfig } from '../env.ts';
import { type Cache, createMemoryCache, createRedisCache } from './cache/index.ts';
import type { Clock } from './clock/index.ts';
import { createMemoryRateLimiters, createRedisRateLimiters, type RateLimiterFactory } from './rate-limit/index.ts';

/**
 * The cache and the rate-limit counters, on one backing store: this process
 * (embedded default) or one Redis connection shared by both.
 */
export function openSharedState(config: SharedStateConfig, clock: Clock, logger: Logger) {
  switch (config.kind) {
    case 'memory': {
      const cache = createMemoryCache(clock);
      return { cache, rateLimiters: createMemoryRateLimiters() as RateLimiterFactory, close: () => cache.close() };
    }
    case 'redis': {
      const redis = new Redis(config.url, { maxRetriesPerRequest: 2, connectionName: 'gopherchat-state' });
      redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
      return {
        cache: createRedisCache({ redis, keyPrefix: config.keyPrefix }) as Cache,
        rateLimiters: createRedisRateLimiters({ redis, keyPrefix: config.keyPrefix }),
        close: async () => {
          await redis.quit().catch(() => redis.disconnect());
        },
      };
    }
    default:
      return config satisfies never;
  }
}
