import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStoredKeys } from '../modules/auth/keys.ts';
import { createTestDatabase } from './database.ts';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from './redis.ts';
import { type SpawnedServer, spawnServer } from './spawn-server.ts';

export interface Cluster extends AsyncDisposable {
  servers: SpawnedServer[];
  databaseUrl: string;
}

/**
 * `instances` server processes sharing one fresh PostgreSQL database, the
 * signing keys (a token from one is good on all) and, when `redis` is set
 * (always with several instances), one Redis key prefix. Disposing kills
 * what still runs and drops the database and keys.
 */
export async function spawnCluster(options: {
  label: string;
  instances: number;
  redis?: boolean;
  env?: Record<string, string>;
}): Promise<Cluster> {
  const database = await createTestDatabase(options.label);
  const keyPrefix = uniqueKeyPrefix(options.label);
  const keys = await generateStoredKeys();
  const useRedis = options.redis ?? options.instances > 1;
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    JWT_PRIVATE_JWK: JSON.stringify(keys.jwk),
    AUTH_SECRET: keys.secret,
    REGISTER_LIMIT_PER_IP: '1000000',
    LOGIN_LIMIT_PER_IP: '1000000',
    ...(useRedis ? { REDIS_URL: testRedisUrl, REDIS_KEY_PREFIX: keyPrefix } : {}),
    ...options.env,
  };
  const servers: SpawnedServer[] = [];
  const dispose = async () => {
    await Promise.all(servers.map((server) => server[Symbol.asyncDispose]()));
    await database.drop();
    if (useRedis) await deleteKeysWithPrefix(keyPrefix);
  };
  try {
    for (let index = 0; index < options.instances; index++) {
      // One after another: the first runs the migrations.
      servers.push(
        await spawnServer({ ...env, DATA_DIR: mkdtempSync(join(tmpdir(), `gopherchat-${options.label}-`)) }),
      );
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  return { servers, databaseUrl: database.url, [Symbol.asyncDispose]: dispose };
}
