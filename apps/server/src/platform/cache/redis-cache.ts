import type Redis from 'ioredis';
import type { Cache } from './cache.ts';

/** Redis-backed cache shared by every instance; keys live under `keyPrefix`. */
export function createRedisCache(options: { redis: Redis; keyPrefix: string }): Cache {
  const { redis, keyPrefix } = options;
  return {
    async get(key) {
      return (await redis.get(keyPrefix + key)) ?? undefined;
    },
    async getMany(keys) {
      if (keys.length === 0) return [];
      const values = await redis.mget(keys.map((key) => keyPrefix + key));
      return values.map((value) => value ?? undefined);
    },
    async set(key, value, ttlMs) {
      await redis.set(keyPrefix + key, value, 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async delete(key) {
      await redis.del(keyPrefix + key);
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      // The connection is shared and closed by its owner (app.ts).
    },
  };
}
