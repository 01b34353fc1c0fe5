import { testLogger } from '../../testing/logger.ts';
import { killRedisConnections, testRedisUrl, uniqueKeyPrefix } from '../../testing/redis.ts';
import { testBus } from './bus.contract.ts';
import { createRedisBus } from './redis-bus.ts';

testBus('redis', async () => {
  const keyPrefix = uniqueKeyPrefix('redis-bus');
  const name = `test-${crypto.randomUUID().slice(0, 8)}`;
  // The contract's dropped connection comes back at once: no outage polling in between.
  const options = { url: testRedisUrl, keyPrefix, logger: testLogger, outageGapEveryMs: 3_600_000 };
  const bus = createRedisBus({ ...options, connectionName: `${name}-a` });
  const peer = createRedisBus({ ...options, connectionName: `${name}-b` });
  return {
    bus,
    peer,
    dropConnection: async () => {
      await killRedisConnections(`${name}-a-`);
    },
    dispose: async () => {
      await Promise.all([bus.close(), peer.close()]);
    },
  };
});
