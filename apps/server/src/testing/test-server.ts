import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGopherClient, type GopherClient } from '@gopherchat/sdk';
import { type Config, loadConfig } from '../env.ts';
import { generateStoredKeys } from '../modules/auth/keys.ts';
import type { Scheduler } from '../platform/clock/index.ts';
import { type RunningServer, startServer } from '../server.ts';
import { GENEROUS_SEND_LIMITS, signUpClient } from './accounts.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { testLogger } from './logger.ts';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from './redis.ts';

export interface TestServerOptions {
  label: string;
  /** 'postgres': a fresh database on the real server; 'pglite': the embedded default, in memory. */
  database?: 'postgres' | 'pglite';
  bus?: 'memory' | 'redis';
  /** Share these instead of making new ones (to run several instances on one database / prefix). */
  shared?: { databaseUrl?: string; redisKeyPrefix?: string };
  env?: Record<string, string>;
  /** The app's clock: a manual one lets a test cross deadlines and retention without waiting. */
  clock?: Scheduler;
}

export interface TestServer extends AsyncDisposable {
  server: RunningServer;
  config: Config;
  url: URL;
  /** A typed SDK client for this server (HTTP + WebSocket). */
  client: GopherClient;
  /** Another client, e.g. a second user or device. */
  newClient(): GopherClient;
  /** Registers `username` (a fresh name by default) and returns a client signed in as them. */
  signUp(username?: string): Promise<GopherClient & { username: string; accessToken: string }>;
  databaseUrl: string | undefined;
  redisKeyPrefix: string | undefined;
}

/** One key set for every server of a test process, so instances accept each other's tokens. */
const sharedTestKeys = generateStoredKeys();

/** Boots the real app on a random port, with its own database and key prefix. */
export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const databaseKind = options.database ?? 'postgres';
  const busKind = options.bus ?? 'memory';
  let ownDatabase: TestDatabase | undefined;
  let databaseUrl = options.shared?.databaseUrl;
  if (databaseKind === 'postgres' && !databaseUrl) {
    ownDatabase = await createTestDatabase(options.label);
    databaseUrl = ownDatabase.url;
  }
  const ownKeyPrefix =
    busKind === 'redis' && !options.shared?.redisKeyPrefix ? uniqueKeyPrefix(options.label) : undefined;
  const redisKeyPrefix = busKind === 'redis' ? (options.shared?.redisKeyPrefix ?? ownKeyPrefix) : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'gopherchat-test-'));

  const keys = await sharedTestKeys;
  const config = loadConfig({
    NODE_ENV: 'test',
    // Real bcrypt, at the lowest cost: the tests are about behaviour, the bench about speed.
    PASSWORD_HASH_COST: '4',
    ...GENEROUS_SEND_LIMITS,
    JWT_PRIVATE_JWK: JSON.stringify(keys.jwk),
    AUTH_SECRET: keys.secret,
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(redisKeyPrefix ? { REDIS_URL: testRedisUrl, REDIS_KEY_PREFIX: redisKeyPrefix } : {}),
    ...options.env,
  });
  if (config.database.kind === 'pglite') config.database = { kind: 'pglite', dataDir: undefined };

  const server = await startServer(config, { logger: testLogger, clock: options.clock });
  const clients: GopherClient[] = [];
  const newClient = () => {
    const client = createGopherClient({ url: server.url, retryDelayMs: () => 50 });
    clients.push(client);
    return client;
  };

  const signUp = async (username = `user${crypto.randomUUID().slice(0, 8)}`) => {
    const client = await signUpClient(server.url, username, { retryDelayMs: () => 50 });
    clients.push(client);
    return client;
  };

  const dispose = async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.shutdown('test finished');
    await ownDatabase?.drop();
    if (ownKeyPrefix) await deleteKeysWithPrefix(ownKeyPrefix);
    rmSync(dataDir, { recursive: true, force: true });
  };

  return {
    server,
    config,
    url: server.url,
    client: newClient(),
    newClient,
    signUp,
    databaseUrl,
    redisKeyPrefix,
    [Symbol.asyncDispose]: dispose,
  };
}
