import { afterAll } from 'bun:test';
import Redis from 'ioredis';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from '../../testing/redis.ts';
import { testRateLimiter } from './rate-limiter.contract.ts';
import { createRedisRateLimiters } from './rate-limiters.ts';

const keyPrefix = uniqueKeyPrefix('rate-limit');
const redis = new Redis(testRedisUrl);
afterAll(async () => {
  await deleteKeysWithPrefix(keyPrefix);
  redis.disconnect();
});

testRateLimiter('redis', () => createRedisRateLimiters({ redis, keyPrefix }));
