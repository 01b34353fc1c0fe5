import Redis from 'ioredis';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from '../../testing/redis.ts';
import { testCache } from './cache.contract.ts';
import { createRedisCache } from './redis-cache.ts';

testCache('redis', async () => {
  const keyPrefix = uniqueKeyPrefix('redis-cache');
  const first = new Redis(testRedisUrl);
  const second = new Redis(testRedisUrl);
  return {
    cache: createRedisCache({ redis: first, keyPrefix }),
    peer: createRedisCache({ redis: second, keyPrefix }),
    // Redis expires in real time.
    elapse: (ms) => Bun.sleep(ms),
    dispose: async () => {
      await deleteKeysWithPrefix(keyPrefix);
      first.disconnect();
      second.disconnect();
    },
  };
});
