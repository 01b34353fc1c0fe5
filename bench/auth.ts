/**
 * Sign-in throughput at the production bcrypt cost, and proof that hashing
 * stays off the event loop: while logins run flat out, a probe requests
 * GET /healthz back to back and records how long each answer takes.
 *
 *   bun run bench:auth -- [--seconds 10] [--concurrency 8] [--cost 12]
 *
 * Prints one JSON line.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  registerAccount,
  spawnServer,
  TEST_PASSWORD,
  testRedisUrl,
  uniqueKeyPrefix,
} from '@gopherchat/server/testing';
import { percentile, round } from './stats.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
    cost: { type: 'string', default: '12' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

const database = await createTestDatabase('bench_auth');
const keyPrefix = uniqueKeyPrefix('bench-auth');
const server = await spawnServer({
  DATABASE_URL: database.url,
  REDIS_URL: testRedisUrl,
  REDIS_KEY_PREFIX: keyPrefix,
  DATA_DIR: mkdtempSync(join(tmpdir(), 'gopherchat-bench-auth-')),
  PASSWORD_HASH_COST: values.cost,
  // The bench signs in from one address, far more often than a person would.
  LOGIN_LIMIT_PER_IP: '1000000',
});

async function post(path: string, body: unknown) {
  const response = await fetch(new URL(path, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
}

try {
  // One account per worker: the per-account limiter resets on every success anyway.
  const users = Array.from({ length: concurrency }, (_, index) => `bench${index}`);
  for (const username of users) await registerAccount(server.url, username);

  const loginLatencies: number[] = [];
  const probeLatencies: number[] = [];
  const endAt = performance.now() + seconds * 1000;
  let isRunning = true;

  // A trivial query every 10 ms: if hashing blocked the loop, these would queue behind it.
  const probe = (async () => {
    while (isRunning) {
      const begin = performance.now();
      await fetch(new URL('/healthz', server.url));
      probeLatencies.push(performance.now() - begin);
      await Bun.sleep(10);
    }
  })();

  const startedAt = performance.now();
  await Promise.all(
    users.map(async (username) => {
      while (performance.now() < endAt) {
        const begin = performance.now();
        await post('/trpc/auth.login', { login: username, password: TEST_PASSWORD });
        loginLatencies.push(performance.now() - begin);
      }
    }),
  );
  const elapsed = performance.now() - startedAt;
  isRunning = false;
  await probe;

  const logins = [...loginLatencies].sort((a, b) => a - b);
  const probes = [...probeLatencies].sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      cost: Number(values.cost),
      concurrency,
      seconds,
      logins: logins.length,
      logins_per_s: round((logins.length / elapsed) * 1000),
      login_p50_ms: round(percentile(logins, 50)),
      login_p99_ms: round(percentile(logins, 99)),
      probe_requests: probes.length,
      probe_p50_ms: round(percentile(probes, 50)),
      probe_p99_ms: round(percentile(probes, 99)),
      probe_max_ms: round(probes.at(-1) ?? Number.NaN),
    }),
  );
} finally {
  server.process.kill('SIGTERM');
  await server.exited;
  await database.drop();
  await deleteKeysWithPrefix(keyPrefix);
}
