import { type OwnRedis, startOwnRedis } from './own-redis.ts';
import { startTestServer, type TestServer } from './test-server.ts';

export interface InstancePair extends AsyncDisposable {
  /** The Redis of the pair's own, for the test to stop or pause. */
  redis: OwnRedis;
  one: TestServer;
  two: TestServer;
}

/**
 * Two instances on real PostgreSQL sharing one database and a Redis of
 * their own (never the shared one), for tests that take Redis away from
 * them. Disposing stops both, then Redis.
 */
export async function startInstancePairOnOwnRedis(label: string): Promise<InstancePair> {
  const redis = await startOwnRedis();
  const started: TestServer[] = [];
  const dispose = async () => {
    for (const server of started.reverse()) await server[Symbol.asyncDispose]();
    await redis[Symbol.asyncDispose]();
  };
  try {
    const env = { REDIS_URL: redis.url };
    const one = await startTestServer({ label, database: 'postgres', bus: 'redis', env });
    started.push(one);
    const two = await startTestServer({
      label,
      database: 'postgres',
      bus: 'redis',
      env,
      shared: { databaseUrl: one.databaseUrl, redisKeyPrefix: one.redisKeyPrefix },
    });
    started.push(two);
    return { redis, one, two, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
