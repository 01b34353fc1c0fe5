import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { sql } from 'drizzle-orm';
import { runStatement } from '../../platform/database/index.ts';
import { openMigratedTestDatabase } from '../../testing/database.ts';
import { genericPlanOf, nodesOf, planOf } from '../../testing/query-plan.ts';
import {
  SEEDED_WRITER_ID,
  seededClientMessageId,
  seededConversationId,
  seedMessages,
} from '../../testing/seed-messages.ts';
import { historyQuery, summariesQuery } from './repo.ts';
import { conversationStatements } from './statements.ts';

const CONVERSATIONS = 20;
const MESSAGES_EACH = 50_000;

/** The history query as PostgreSQL plans it on a million messages. */
describe('history pages on a table of 1,000,000 messages', () => {
  let database: Awaited<ReturnType<typeof openMigratedTestDatabase>>;
  const conversationId = seededConversationId(7);

  beforeAll(async () => {
    database = await openMigratedTestDatabase('history-plan');
    await seedMessages(database.db, { conversations: CONVERSATIONS, perConversation: MESSAGES_EACH });
  }, 180_000);

  afterAll(async () => {
    await database?.close();
  });

  it('has the million rows', async () => {
    const [row] = (await database.db.execute(sql`select count(*)::int as count from messages`)) as unknown as Array<{
      count: number;
    }>;
    expect(row?.count).toBe(CONVERSATIONS * MESSAGES_EACH);
  });

  it.each([
    ['the newest page', { limit: 50 }, 'Backward'],
    ['a deep page walking back', { before: 1_234, limit: 50 }, 'Backward'],
    ['a deep page walking forward', { after: 40_000, limit: 100 }, 'Forward'],
  ])('reads %s with a primary-key index scan and no sort', async (_name, page, direction) => {
    const plan = await planOf(database.db, historyQuery(database.db, conversationId, page));
    const nodes = nodesOf(plan);
    expect(nodes.map((node) => node['Node Type'])).not.toContain('Sort');
    const scan = nodes.find((node) => node['Node Type'].startsWith('Index'));
    expect(scan).toMatchObject({
      'Node Type': 'Index Scan',
      'Index Name': 'messages_conversation_id_seq_pk',
      'Scan Direction': direction,
    });
  });

  it("finds a send batch's retries by probing the (sender, client id) index, without scanning the table", async () => {
    const pairs = [3, 700, 41_000].map((seq) => ({
      senderId: SEEDED_WRITER_ID,
      clientMessageId: seededClientMessageId(7, seq),
    }));
    const { query } = conversationStatements.findByClientIds(pairs);
    // It runs prepared, so PostgreSQL may use its generic plan after a few runs: both must probe the index.
    for (const plan of [await planOf(database.db, query), await genericPlanOf(database.db, query)]) {
      const nodes = nodesOf(plan);
      expect(nodes.map((node) => node['Node Type'])).not.toContain('Seq Scan');
      expect(nodes.find((node) => node['Index Name'] === 'messages_client_id_key')).toBeDefined();
    }
    expect(
      (await runStatement(database.db, conversationStatements.findByClientIds(pairs)))
        .map((row) => row.seq)
        .sort((a, b) => a - b),
    ).toEqual([3, 700, 41_000]);
  });

  it('reads the unread mentions of a conversation list through the partial index of mentioning messages', async () => {
    const nodes = nodesOf(await planOf(database.db, summariesQuery(database.db, SEEDED_WRITER_ID)));
    expect(nodes.find((node) => node['Index Name'] === 'messages_mentions_idx')).toBeDefined();
    // The last message of each conversation is one probe of the primary key; nothing reads the table whole.
    expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'messages')).toEqual(
      [],
    );
  });
});

/**
 * A prepared statement keeps the generic plan PostgreSQL made on its first
 * runs, when the tables were new and small, until the next ANALYZE. A send
 * batch's lookups must probe their indexes even in that plan, or each batch
 * reads whole tables that only grow.
 */
describe("a send batch's lookups on a new, never analysed database", () => {
  let database: Awaited<ReturnType<typeof openMigratedTestDatabase>>;
  const someone = '0190c8f2-1234-7000-8000-000000000001';
  const somewhere = '0190c8f2-1234-7000-8000-000000000002';

  beforeAll(async () => {
    database = await openMigratedTestDatabase('batch-plan');
  });

  afterAll(async () => {
    await database?.close();
  });

  it.each([
    [
      'retries',
      conversationStatements.findByClientIds([{ senderId: someone, clientMessageId: 'm1' }]),
      'messages_client_id_key',
    ],
    [
      'memberships',
      conversationStatements.existingMemberships([{ conversationId: somewhere, userId: someone }]),
      'conversation_members_conversation_id_user_id_pk',
    ],
    ['last seqs', conversationStatements.lastSeqs([somewhere]), 'conversations_pkey'],
    [
      'mentioned members',
      conversationStatements.mentionable([{ conversationId: somewhere, username: 'ada' }]),
      // Either index on lower(username) serves.
      /^users_username_(lower_key|prefix_idx)$/,
    ],
  ])('finds %s by probing its index in the generic plan, scanning no table', async (_name, statement, indexName) => {
    const nodes = nodesOf(await genericPlanOf(database.db, statement.query));
    expect(nodes.map((node) => node['Node Type'])).not.toContain('Seq Scan');
    expect(nodes.find((node) => node['Index Name']?.match(indexName))).toBeDefined();
  });
});
