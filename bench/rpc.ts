/**
 * RPC round trips and live delivery through the whole stack: the SDK (HTTP
 * and WebSocket) against a real server process, on the embedded default
 * (PGlite, memory bus) and on the real services (PostgreSQL, Redis).
 *
 *   bun run bench -- [--seconds 5] [--concurrency 16] [--backend pglite|postgres|all]
 *
 * Prints one JSON line per backend and scenario.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  signUpClient,
  spawnServer,
  testRedisUrl,
  uniqueKeyPrefix,
} from '@gopherchat/server/testing';
import { runClosedLoop, serverUsage, summarize } from './stats.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
    backend: { type: 'string', default: 'all' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

const closedLoop = (operation: () => Promise<unknown>) => runClosedLoop(operation, { seconds, concurrency });

async function benchBackend(backend: 'pglite' | 'postgres') {
  const database = backend === 'postgres' ? await createTestDatabase('bench') : undefined;
  const keyPrefix = uniqueKeyPrefix('bench');
  const dataDir = mkdtempSync(join(tmpdir(), 'gopherchat-bench-'));
  const env: Record<string, string> =
    backend === 'postgres' && database
      ? { DATABASE_URL: database.url, REDIS_URL: testRedisUrl, REDIS_KEY_PREFIX: keyPrefix }
      : { DATA_DIR: dataDir };
  // The poster is the first account, so the admin; the bench posts far more than an admin may per hour.
  const server = await spawnServer({ ...env, ANNOUNCEMENTS_PER_HOUR: '1000000000' });
  const client = await signUpClient(server.url, 'benchposter');
  const subscriber = await signUpClient(server.url, 'benchreader');
  try {
    const emit = (scenario: string, result: object) =>
      console.log(JSON.stringify({ backend, scenario, seconds, concurrency, ...result }));

    emit('query system.info', await closedLoop(() => client.api.system.info.query()));
    emit(
      'mutation announcements.post',
      await closedLoop(() => client.api.announcements.post.mutate({ text: 'benchmark' })),
    );

    // Live delivery: the time from a post's start to its arrival on another client's subscription.
    const sentAt = new Map<string, number>();
    const deliveryLatencies: number[] = [];
    let ready = () => {};
    const started = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const subscription = subscriber.api.announcements.stream.subscribe(undefined, {
      onStarted: () => ready(),
      onData: ({ data }) => {
        const begin = sentAt.get(data.text);
        if (begin !== undefined) deliveryLatencies.push(performance.now() - begin);
      },
    });
    await started;
    let sequence = 0;
    const deliveryStart = performance.now();
    await closedLoop(async () => {
      const text = `live ${sequence++}`;
      sentAt.set(text, performance.now());
      await client.api.announcements.post.mutate({ text });
    });
    await Bun.sleep(500);
    subscription.unsubscribe();
    emit('post → subscriber delivery', {
      ...summarize(deliveryLatencies, performance.now() - deliveryStart),
      lost: sentAt.size - deliveryLatencies.length,
      ...(await serverUsage(server)),
    });
  } finally {
    await client.close();
    await subscriber.close();
    server.process.kill('SIGTERM');
    await server.exited;
    await database?.drop();
    await deleteKeysWithPrefix(keyPrefix);
  }
}

const BACKENDS = ['pglite', 'postgres'] as const;
const isBackend = (value: string | undefined): value is (typeof BACKENDS)[number] =>
  (BACKENDS as readonly string[]).includes(value ?? '');
if (values.backend !== 'all' && !isBackend(values.backend)) {
  console.error(`--backend must be one of: all, ${BACKENDS.join(', ')}`);
  process.exit(2);
}
const backends = isBackend(values.backend) ? [values.backend] : BACKENDS;
for (const backend of backends) await benchBackend(backend);
