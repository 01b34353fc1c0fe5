import Redis from 'ioredis';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from '../../testing/redis.ts';
import { testPresence } from './presence.contract.ts';
import { createRedisPresence } from './redis-presence.ts';

testPresence('redis', async (options) => {
  const keyPrefix = uniqueKeyPrefix('redis-presence');
  const first = new Redis(testRedisUrl);
  const second = new Redis(testRedisUrl);
  return {
    presence: createRedisPresence({ ...options, redis: first, keyPrefix }),
    peer: createRedisPresence({ ...options, redis: second, keyPrefix }),
    dispose: async () => {
      await deleteKeysWithPrefix(keyPrefix);
      first.disconnect();
      second.disconnect();
    },
  };
});
