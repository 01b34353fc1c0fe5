import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { registerAccount } from './testing/accounts.ts';
import { createDatabaseOn, type OwnPostgres, startOwnPostgres } from './testing/own-postgres.ts';
import { spawnServer } from './testing/spawn-server.ts';

/** What the server does when PostgreSQL stops answering, on a cluster of this file's own (never the shared one). */
let cluster: OwnPostgres;

beforeAll(async () => {
  cluster = await startOwnPostgres();
});

afterAll(async () => {
  await cluster?.[Symbol.asyncDispose]();
});

describe('when PostgreSQL stops answering', () => {
  it('exits on SIGTERM at its deadline, not when the database lets it close (a hung instance took 10–35 s)', async () => {
    const databaseUrl = await createDatabaseOn(cluster, 'faults_shutdown');
    await using server = await spawnServer({ DATABASE_URL: databaseUrl, SHUTDOWN_TIMEOUT_MS: '1000' });
    // The pool's connections are open; from now on nothing on them answers, closing included.
    await registerAccount(server.url, 'stuck');
    cluster.pause();
    try {
      server.process.kill('SIGTERM');
      expect(await server.exited).toBe(1);
      const gaveUp = server.logs.find(
        (line) => line.msg === 'shutdown deadline passed while closing connections; exiting anyway',
      );
      expect(gaveUp).toBeDefined();
    } finally {
      cluster.resume();
    }
  });
});
