import type Redis from 'ioredis';
import {
  type IRateLimiterOptions,
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { RateLimiter, RateLimiterFactory, RateLimitPolicy } from './rate-limiter.ts';

function optionsFor(policy: RateLimitPolicy, keyPrefix: string): IRateLimiterOptions {
  return {
    keyPrefix: `${keyPrefix}rl:${policy.name}`,
    points: policy.points,
    duration: policy.windowSeconds,
    blockDuration: policy.blockSeconds ?? 0,
  };
}

function wrap(limiter: RateLimiterAbstract): RateLimiter {
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
        return { isAllowed: true };
      } catch (rejection) {
        // A RateLimiterRes means "over budget"; anything else is a store failure and propagates.
        if (rejection instanceof RateLimiterRes) {
          return { isAllowed: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
        }
        throw rejection;
      }
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}

export function createMemoryRateLimiters(): RateLimiterFactory {
  return (policy) => wrap(new RateLimiterMemory(optionsFor(policy, '')));
}

/**
 * Counters in Redis, shared by every instance. If Redis fails, an in-process
 * limiter with the same policy takes over (the library's insurance limiter):
 * limits stay enforced per instance rather than failing open or locking
 * everyone out.
 */
export function createRedisRateLimiters(options: { redis: Redis; keyPrefix: string }): RateLimiterFactory {
  return (policy) =>
    wrap(
      new RateLimiterRedis({
        ...optionsFor(policy, options.keyPrefix),
        storeClient: options.redis,
        insuranceLimiter: new RateLimiterMemory(optionsFor(policy, options.keyPrefix)),
      }),
    );
}
