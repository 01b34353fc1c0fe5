import { sql } from 'drizzle-orm';
import type { Database } from '../platform/database/index.ts';

/** The id of the n-th seeded conversation (1-based). */
export const seededConversationId = (n: number) => `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

/** Who wrote every seeded message. */
export const SEEDED_WRITER_ID = '01900000-0000-7000-8000-ffffffffffff';

/** The client message id of the seeded message `seq` of conversation `n`. */
export const seededClientMessageId = (n: number, seq: number) => `c${n}-${seq}`;

/**
 * Fills a migrated, empty database with `conversations` groups of `perConversation`
 * messages each, written by one user, in a few set-based statements; then ANALYZE.
 */
export async function seedMessages(db: Database, options: { conversations: number; perConversation: number }) {
  const writerId = SEEDED_WRITER_ID;
  await db.execute(sql`
    insert into users (id, username, email, display_name)
    values (${writerId}, 'writer', 'writer@example.com', 'Writer')`);
  await db.execute(sql`
    insert into conversations (id, kind, title, last_seq, created_at, updated_at)
    select ('01900000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'group', 'room ' || n,
           ${options.perConversation}, now(), now()
    from generate_series(1, ${options.conversations}) n`);
  await db.execute(sql`
    insert into messages (conversation_id, seq, id, sender_id, client_message_id, content, created_at)
    select ('01900000-0000-7000-8000-' || lpad(to_hex(c), 12, '0'))::uuid, s, gen_random_uuid(),
           ${writerId}, 'c' || c || '-' || s, '{"type":"text","text":"hello"}'::jsonb, now()
    from generate_series(1, ${options.conversations}) c, generate_series(1, ${options.perConversation}) s`);
  await db.execute(sql`analyze messages`);
}
