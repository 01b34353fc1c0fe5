import Redis from 'ioredis';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from '../../testing/redis.ts';
import { testCache } from './cache.contract.ts';
import { createRedisCache } from './redis-cache.ts';

/** What `ms` passing would do to the keys under `keyPrefix`: a key whose time runs out is gone. */
async function shortenTimesToLive(redis: Redis, keyPrefix: string, ms: number) {
  for await (const keys of redis.scanStream({ match: `${keyPrefix}*`, count: 100 }) as AsyncIterable<string[]>) {
    for (const key of keys) {
      const left = await redis.pttl(key);
      // -1: no expiry; -2: gone already.
      if (left >= 0) await redis.pexpire(key, left - ms);
    }
  }
}

testCache('redis', async () => {
  const keyPrefix = uniqueKeyPrefix('redis-cache');
  const first = new Redis(testRedisUrl);
  const second = new Redis(testRedisUrl);
  return {
    cache: createRedisCache({ redis: first, keyPrefix }),
    peer: createRedisCache({ redis: second, keyPrefix }),
    // Redis expires in its own time: moving the clock is shortening every key's time to live by as much.
    elapse: (ms) => shortenTimesToLive(first, keyPrefix, ms),
    dispose: async () => {
      await deleteKeysWithPrefix(keyPrefix);
      first.disconnect();
      second.disconnect();
    },
  };
});
