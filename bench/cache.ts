/**
 * The read-through caches on the calls that use them every time: history
 * pages, typing signals and read receipts (membership), and the profiles of
 * everyone in the group (profiles), from 16 concurrent members of one group,
 * against a real server process on PostgreSQL and Redis, with the caches on
 * (default TTL) and off (CACHE_TTL_MS=0).
 *
 *   bun run bench:cache -- [--seconds 5] [--concurrency 16]
 *
 * Prints one JSON line per setting and scenario, with the server's CPU
 * seconds per 1 000 calls and the cache's hits and misses from /metrics.
 */
import { parseArgs } from 'node:util';
import type { GopherClient } from '@gopherchat/sdk';
import { cacheLookups, signUpClient, spawnCluster } from '@gopherchat/server/testing';
import { round, runClosedLoop, serverUsage } from './stats.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

async function benchSetting(setting: 'cache on' | 'cache off') {
  await using cluster = await spawnCluster({
    label: 'bench-cache',
    instances: 1,
    redis: true,
    env: {
      METRICS_TOKEN,
      TYPING_SIGNALS_PER_10S: '100000000',
      ...(setting === 'cache off' ? { CACHE_TTL_MS: '0' } : {}),
    },
  });
  const [server] = cluster.servers;
  if (!server) throw new Error('no server');
  const members: GopherClient[] = [];
  try {
    const owner = await signUpClient(server.url, 'benchowner');
    members.push(owner);
    const others = await Promise.all(
      Array.from({ length: concurrency - 1 }, (_, index) => signUpClient(server.url, `benchmember${index}`)),
    );
    members.push(...others);
    const ids = await Promise.all(others.map(async (member) => (await member.api.auth.me.query()).id));
    const { id: conversationId } = await owner.api.conversations.createGroup.mutate({ title: 'bench', memberIds: ids });
    for (let index = 0; index < 100; index++) {
      await owner.api.messages.send.mutate({
        conversationId,
        clientMessageId: `seed${index}`,
        content: { type: 'text', text: `message ${index}` },
      });
    }

    const everyone = [await owner.api.auth.me.query().then((me) => me.id), ...ids];
    const scenarios: Array<[string, 'membership' | 'profile', (member: GopherClient) => Promise<unknown>]> = [
      [
        'query messages.history (50)',
        'membership',
        (member) => member.api.messages.history.query({ conversationId, limit: 50 }),
      ],
      [
        'mutation conversations.typing',
        'membership',
        (member) => member.api.conversations.typing.mutate({ conversationId, isTyping: true }),
      ],
      [
        'mutation receipts.markRead',
        'membership',
        (member) => member.api.receipts.markRead.mutate({ conversationId, seq: 101 }),
      ],
      [
        `query users.profiles (${everyone.length})`,
        'profile',
        (member) => member.api.users.profiles.query({ ids: everyone }),
      ],
    ];
    for (const [scenario, cacheName, call] of scenarios) {
      const lookupsBefore = await cacheLookups(server.url, METRICS_TOKEN, cacheName);
      const usageBefore = await serverUsage(server);
      let next = 0;
      const result = await runClosedLoop(() => call(members[next++ % members.length] as GopherClient), {
        seconds,
        concurrency,
      });
      const usageAfter = await serverUsage(server);
      const lookupsAfter = await cacheLookups(server.url, METRICS_TOKEN, cacheName);
      console.log(
        JSON.stringify({
          setting,
          scenario,
          seconds,
          concurrency,
          ...result,
          server_cpu_s_per_1k: round(((usageAfter.server_cpu_s - usageBefore.server_cpu_s) / result.ops) * 1000),
          cache_hits: lookupsAfter.hits - lookupsBefore.hits,
          cache_misses: lookupsAfter.misses - lookupsBefore.misses,
        }),
      );
    }
  } finally {
    await Promise.all(members.map((member) => member.close()));
  }
}

for (const setting of ['cache off', 'cache on'] as const) await benchSetting(setting);
