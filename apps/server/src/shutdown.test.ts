import { describe, expect, it } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOSE_SERVICE_RESTART } from '@gopherchat/api';
import postgres from 'postgres';
import { registerAccount } from './testing/accounts.ts';
import { eventually } from './testing/collect.ts';
import { createTestDatabase } from './testing/database.ts';
import { spawnServer } from './testing/spawn-server.ts';

describe('graceful shutdown (separate server process)', () => {
  it('lets a mutation in flight at SIGTERM finish, makes it durable, and exits 0', async () => {
    await using database = await createTestDatabase('shutdown');
    await using server = await spawnServer({ DATABASE_URL: database.url, SHUTDOWN_TIMEOUT_MS: '10000' });
    const sql = postgres(database.url, { max: 2, onnotice: () => {} });
    try {
      // Hold the table so the mutation is provably still running when the signal lands.
      const blocker = await sql.reserve();
      await blocker`begin`;
      await blocker`lock table announcements in access exclusive mode`;

      const accessToken = await registerAccount(server.url, 'deployer');

      const response = fetch(new URL('/trpc/announcements.post', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ text: 'sent just before the deploy' }),
      });
      const waiting = async () =>
        (
          await sql`select count(*)::int as n from pg_stat_activity
                    where datname = ${database.name} and wait_event_type = 'Lock'`
        )[0]?.n as number;
      await eventually(async () => (await waiting()) >= 1, 'the mutation waiting on the lock');

      server.process.kill('SIGTERM');
      const draining = await server.waitForLog('shutting down: draining');
      expect(draining.inFlight).toBe(1);

      // Only a process still up, waiting for the mutation, can answer it once the lock goes.
      await blocker`commit`;
      blocker.release();

      const result = await response;
      expect(result.status).toBe(200);
      const body = (await result.json()) as { result: { data: { id: string } } };
      expect(await server.exited).toBe(0);
      const rows = await sql`select text from announcements where id = ${body.result.data.id}`;
      expect(rows[0]?.text).toBe('sent just before the deploy');
    } finally {
      await sql.end();
    }
  });

  it('tells WebSocket clients to reconnect and closes them with 1012', async () => {
    await using database = await createTestDatabase('shutdown_ws');
    await using server = await spawnServer({ DATABASE_URL: database.url });
    // Waiting for its connection params, the socket stays open until the signal: without them
    // the server closed it at once for its missing token (4401), racing the SIGTERM.
    const wsUrl = new URL('/trpc?connectionParams=1', server.url);
    wsUrl.protocol = 'ws:';
    const socket = new WebSocket(wsUrl);
    const messages: string[] = [];
    socket.onmessage = (event) => messages.push(String(event.data));
    const closed = new Promise<number>((resolve) => {
      socket.onclose = (event) => resolve(event.code);
    });
    await new Promise((resolve) => {
      socket.onopen = resolve;
    });
    server.process.kill('SIGTERM');
    expect(await closed).toBe(CLOSE_SERVICE_RESTART);
    expect(messages.map((message) => JSON.parse(message))).toContainEqual({ id: null, method: 'reconnect' });
    expect(await server.exited).toBe(0);
  });
});

describe('embedded database (PGlite) data directory', () => {
  it('refuses a second process on the same data directory with a clear message', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gopherchat-pglite-'));
    await using first = await spawnServer({ DATA_DIR: dataDir });
    await using second = await spawnServer({ DATA_DIR: dataDir }, { waitForListening: false });
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain('PGlite data directories are single-process');
    first.process.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // The lock went with the first process: a new one starts fine.
    await using third = await spawnServer({ DATA_DIR: dataDir });
    third.process.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  });
});
