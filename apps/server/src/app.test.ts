import { describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createApp } from './app.ts';
import { loadConfig } from './env.ts';
import { createTestDatabase } from './testing/database.ts';
import { eventually } from './testing/eventually.ts';
import { testLogger } from './testing/logger.ts';
import { startOwnRedis } from './testing/own-redis.ts';

describe('createApp', () => {
  it('closes the connections it opened when a later step fails (a bad key left the Redis ones open)', async () => {
    await using database = await createTestDatabase('app-start');
    // Its own Redis: every client but the test's is one the app opened.
    await using redis = await startOwnRedis();
    const dataDir = mkdtempSync(join(tmpdir(), 'gopherchat-app-'));
    const observer = new Redis(redis.url);
    try {
      const config = loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        // Read once the database, bus and shared state are open: an RSA key is not one the server signs with.
        JWT_PRIVATE_JWK: JSON.stringify({ kty: 'RSA', n: 'AQAB', e: 'AQAB' }),
        AUTH_SECRET: 'a'.repeat(64),
      });
      await expect(createApp(config, { logger: testLogger })).rejects.toThrow('JWT_PRIVATE_JWK');
      const clients = async () =>
        String(await observer.client('LIST'))
          .trim()
          .split('\n').length;
      await eventually(async () => (await clients()) === 1, 'only the observer connected');
    } finally {
      observer.disconnect();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
