/** Test fixtures other workspaces (the web e2e suite) use to run the real server. */
export { loadTestServices } from '../env.ts';
export { generateStoredKeys } from '../modules/auth/keys.ts';
export { historyQuery } from '../modules/conversations/index.ts';
export { openDatabase, resolveMigrationsDir } from '../platform/database/index.ts';
export { registerAccount, signedInClient, signUpClient, TEST_PASSWORD } from './accounts.ts';
export { CHROMIUM_ARGS } from './chromium.ts';
export { type Cluster, spawnCluster } from './cluster.ts';
export { collect, eventually } from './collect.ts';
export { createTestDatabase, type TestDatabase } from './database.ts';
export { cacheLookups } from './metrics.ts';
export { type FakeProvider, type ProviderIdentity, startFakeProvider } from './oauth-provider.ts';
export { createDatabaseOn, freePort, type OwnPostgres, startOwnPostgres } from './own-postgres.ts';
export { type OwnRedis, startOwnRedis } from './own-redis.ts';
export { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from './redis.ts';
export { seededConversationId, seedMessages } from './seed-messages.ts';
export { type SpawnedServer, spawnServer } from './spawn-server.ts';
export { startTestServer, type TestServer } from './test-server.ts';
export { testMp3, testMp4, testPhoto, uploadFile, uploadWithGrant } from './uploads.ts';
