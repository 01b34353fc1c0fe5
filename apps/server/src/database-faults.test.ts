import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import postgres from 'postgres';
import { registerAccount, signedInClient } from './testing/accounts.ts';
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
  it('reports not ready while a send batch cannot finish, though pings answer (wedged instances stayed in the balancer)', async () => {
    const databaseUrl = await createDatabaseOn(cluster, 'faults_readiness');
    await using server = await spawnServer({ DATABASE_URL: databaseUrl, SEND_STALL_READINESS_MS: '200' });
    const client = signedInClient(server.url, await registerAccount(server.url, 'wedged'));
    const { id: conversationId } = await client.api.conversations.createGroup.mutate({ title: 'Stall', memberIds: [] });
    const readiness = new URL('/readyz', server.url);
    /** Asks until the answer has `status`; each request paces the next. */
    const readinessOnce = async (status: number) => {
      for (;;) {
        const answer = await fetch(readiness);
        const report = (await answer.json()) as { checks: Record<string, { ok: boolean }> };
        if (answer.status === status) return report;
      }
    };
    // Every send batch takes the event log's head row lock first: holding it stalls the send path, and only it.
    const blocker = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const held = await blocker.reserve();
      await held`begin`;
      await held`select 1 from event_log_head where singleton = 1 for update`;
      const send = client.api.messages.send.mutate({
        conversationId,
        clientMessageId: 'held-1',
        content: { type: 'text', text: 'waiting' },
      });
      expect(await readinessOnce(503)).toMatchObject({ checks: { database: { ok: true }, sends: { ok: false } } });
      await held`commit`;
      held.release();
      expect(await send).toMatchObject({ clientMessageId: 'held-1' });
      expect(await readinessOnce(200)).toMatchObject({ checks: { sends: { ok: true } } });
    } finally {
      await blocker.end();
      await client.close();
    }
  });

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
