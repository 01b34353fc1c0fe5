/**
 * History pages deep in a long conversation: keyset cursor (`seq < before`,
 * what the server does) against OFFSET paging, on 1,000,000 messages in
 * PostgreSQL (20 conversations of 50,000).
 *
 *   bun run bench:history
 *
 * Prints one JSON line per depth: median and p95 ms of 50 page reads each way.
 */

import { messages } from '@gopherchat/db';
import {
  createTestDatabase,
  historyQuery,
  openDatabase,
  resolveMigrationsDir,
  seededConversationId,
  seedMessages,
} from '@gopherchat/server/testing';
import { desc, sql } from 'drizzle-orm';
import { percentile, round } from './stats.ts';

const PER_CONVERSATION = 50_000;
const PAGE = 50;
const database = await createTestDatabase('bench-history');
const handle = await openDatabase(
  { kind: 'postgres', url: database.url, poolSize: 2 },
  await resolveMigrationsDir(undefined),
);
try {
  await handle.migrate();
  await seedMessages(handle.db, { conversations: 20, perConversation: PER_CONVERSATION });
  const conversationId = seededConversationId(7);
  const time = async (read: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let run = 0; run < 50; run++) {
      const begin = performance.now();
      await read();
      samples.push(performance.now() - begin);
    }
    samples.sort((a, b) => a - b);
    return { p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)) };
  };
  for (const depth of [0, 1_000, 10_000, 49_000]) {
    const before = PER_CONVERSATION + 1 - depth;
    const cursor = await time(() => historyQuery(handle.db, conversationId, { before, limit: PAGE }));
    const offset = await time(() =>
      handle.db
        .select()
        .from(messages)
        .where(sql`${messages.conversationId} = ${conversationId}`)
        .orderBy(desc(messages.seq))
        .offset(depth)
        .limit(PAGE + 1),
    );
    console.log(
      JSON.stringify({
        messages_behind_newest: depth,
        page: PAGE,
        cursor_p50_ms: cursor.p50,
        cursor_p95_ms: cursor.p95,
        offset_p50_ms: offset.p50,
        offset_p95_ms: offset.p95,
      }),
    );
  }
} finally {
  await handle.close();
  await database.drop();
}
