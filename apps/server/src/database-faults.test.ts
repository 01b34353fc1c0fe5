import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { toAppError } from '@gopherchat/sdk';
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

  it('answers a request UNAVAILABLE at its deadline while the database is paused (requests hung until it came back)', async () => {
    const databaseUrl = await createDatabaseOn(cluster, 'faults_deadline');
    await using server = await spawnServer({ DATABASE_URL: databaseUrl, REQUEST_DEADLINE_MS: '200' });
    const client = signedInClient(server.url, await registerAccount(server.url, 'waiting'));
    const { id: conversationId } = await client.api.conversations.createGroup.mutate({
      title: 'Paused',
      memberIds: [],
    });
    await client.api.messages.history.query({ conversationId });
    cluster.pause();
    try {
      const failure = await client.api.messages.history.query({ conversationId }).catch((error: unknown) => error);
      // The request's own deadline answered, not the driver giving up on a connection (5 s).
      expect(toAppError(failure)).toMatchObject({
        appCode: 'UNAVAILABLE',
        userMessage: 'The server took too long to answer. Please try again.',
      });
    } finally {
      cluster.resume();
    }
    // Back by itself: the same request answers once the database does.
    expect(await client.api.messages.history.query({ conversationId })).toMatchObject({ messages: expect.any(Array) });
    await client.close();
  });

  it('answers sends during PostgreSQL restarts with a retryable error and keeps sending after each (restarts wedged or crashed both instances)', async () => {
    const databaseUrl = await createDatabaseOn(cluster, 'faults_restart');
    await using server = await spawnServer({ DATABASE_URL: databaseUrl });
    const client = signedInClient(server.url, await registerAccount(server.url, 'restarted'));
    const { id: conversationId } = await client.api.conversations.createGroup.mutate({
      title: 'Restarts',
      memberIds: [],
    });
    const refusals: string[] = [];
    /** Sends as the web app's outbox does: the same client id again after a retryable error, until acknowledged. */
    const sendUntilAcknowledged = async (clientMessageId: string) => {
      for (;;) {
        try {
          return await client.api.messages.send.mutate({
            conversationId,
            clientMessageId,
            content: { type: 'text', text: clientMessageId },
          });
        } catch (error) {
          const { appCode } = toAppError(error);
          if (appCode !== 'UNAVAILABLE') refusals.push(`${clientMessageId}: ${appCode}`);
          if (appCode !== 'UNAVAILABLE' && appCode !== 'INTERNAL') throw error;
        }
      }
    };
    let sent = 0;
    let isSending = true;
    let onAcknowledged = () => {};
    /** Resolves once `count` sends in all are acknowledged. */
    const acknowledged = (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (sent >= count) resolve();
          else onAcknowledged = check;
        };
        check();
      });
    const sender = (async () => {
      while (isSending) {
        await sendUntilAcknowledged(`m${sent}`);
        sent++;
        onAcknowledged();
      }
    })();
    try {
      for (let round = 0; round < 3; round++) {
        const before = sent;
        await cluster.restart();
        await acknowledged(before + 3);
      }
    } finally {
      isSending = false;
      await sender;
    }
    expect(refusals).toEqual([]);
    // Every acknowledged send stored exactly once, in the order sent.
    const reader = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await reader<{ clientMessageId: string }[]>`
        select client_message_id as "clientMessageId" from messages where conversation_id = ${conversationId} and client_message_id is not null order by seq`;
      expect(rows.map((row) => row.clientMessageId)).toEqual(Array.from({ length: sent }, (_, index) => `m${index}`));
    } finally {
      await reader.end();
    }
    expect(server.process.exitCode).toBeNull();
    await client.close();
  });
});
