import { SAVED_MESSAGES_MAX } from '@gopherchat/api';
import { conversationMembers, messages, savedMessages } from '@gopherchat/db';
import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../platform/database/index.ts';
import type { MessageRow } from './repo.ts';

export interface SavedKey {
  conversationId: string;
  seq: number;
}

export interface SavedRow {
  savedAt: Date;
  message: MessageRow;
}

/** Queries over people's saved messages. */
export function createSavedRepo(db: Database) {
  const keyOf = (userId: string, key: SavedKey) =>
    and(
      eq(savedMessages.userId, userId),
      eq(savedMessages.conversationId, key.conversationId),
      eq(savedMessages.seq, key.seq),
    );

  return {
    /** Saves the message unless the list is full: 'saved' (or it already was), or 'full'. */
    async save(userId: string, key: SavedKey, at: Date): Promise<'saved' | 'full'> {
      return db.transaction(async (tx) => {
        // One save of a person's at a time: two racing at the cap must not both pass it.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`saved-messages:${userId}`}, 0))`);
        const [existing] = await tx.select({ seq: savedMessages.seq }).from(savedMessages).where(keyOf(userId, key));
        if (existing) return 'saved';
        const [saved] = await tx.select({ count: count() }).from(savedMessages).where(eq(savedMessages.userId, userId));
        if ((saved?.count ?? 0) >= SAVED_MESSAGES_MAX) return 'full';
        await tx.insert(savedMessages).values({ userId, ...key, savedAt: at });
        return 'saved';
      });
    },

    async unsave(userId: string, key: SavedKey): Promise<void> {
      await db.delete(savedMessages).where(keyOf(userId, key));
    },

    /**
     * A page of the list, newest saved first, one row past `limit` (to tell
     * whether more follow): only messages not deleted, in conversations the
     * person is still in.
     */
    async page(
      userId: string,
      page: { before?: { savedAt: Date; conversationId: string; seq: number }; limit: number },
    ): Promise<SavedRow[]> {
      const { before } = page;
      return db
        .select({ savedAt: savedMessages.savedAt, message: messages })
        .from(savedMessages)
        .innerJoin(
          messages,
          and(eq(messages.conversationId, savedMessages.conversationId), eq(messages.seq, savedMessages.seq)),
        )
        .innerJoin(
          conversationMembers,
          and(
            eq(conversationMembers.conversationId, savedMessages.conversationId),
            eq(conversationMembers.userId, savedMessages.userId),
          ),
        )
        .where(
          and(
            eq(savedMessages.userId, userId),
            isNull(messages.deletedAt),
            before
              ? sql`(${savedMessages.savedAt}, ${savedMessages.conversationId}, ${savedMessages.seq}) < (${before.savedAt.toISOString()}::timestamptz, ${before.conversationId}::uuid, ${before.seq})`
              : undefined,
          ),
        )
        .orderBy(desc(savedMessages.savedAt), desc(savedMessages.conversationId), desc(savedMessages.seq))
        .limit(page.limit + 1);
    },

    /** Every message the person saved (at most SAVED_MESSAGES_MAX), for clients to mark them. */
    async keys(userId: string): Promise<SavedKey[]> {
      return db
        .select({ conversationId: savedMessages.conversationId, seq: savedMessages.seq })
        .from(savedMessages)
        .where(eq(savedMessages.userId, userId));
    },
  };
}
