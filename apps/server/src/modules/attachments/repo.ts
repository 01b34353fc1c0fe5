import { attachments, conversationMembers } from '@gopherchat/db';
import { and, asc, eq, inArray, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import { type Database, prepared, type Statement } from '../../platform/database/index.ts';

export type AttachmentRow = typeof attachments.$inferSelect;

export function createAttachmentRepo(db: Database) {
  return {
    /**
     * Inserts the upload if its owner's files, with it, stay within
     * `quotaBytes`. The owner's uploads are serialised by a transaction-scoped
     * lock, so two at once cannot both fit into the last free space.
     */
    async insertWithinQuota(quotaBytes: number, row: typeof attachments.$inferInsert): Promise<boolean> {
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`attachment-quota:${row.ownerId}`}, 0))`);
        const [usage] = await tx
          .select({ total: sql<string>`coalesce(sum(${attachments.byteSize}), 0)` })
          .from(attachments)
          .where(and(eq(attachments.ownerId, row.ownerId), ne(attachments.state, 'failed')));
        if (Number(usage?.total ?? 0) + row.byteSize > quotaBytes) return false;
        await tx.insert(attachments).values(row);
        return true;
      });
    },

    async find(id: string): Promise<AttachmentRow | undefined> {
      const [row] = await db.select().from(attachments).where(eq(attachments.id, id));
      return row;
    },

    /**
     * Moves an upload on from `uploading`, once, pointing it at `objectKey`
     * (the checked copy): the row as it now stands, or undefined if something
     * else already did.
     */
    async confirm(
      id: string,
      update: {
        objectKey: string;
        state: 'processing' | 'ready';
        width: number | null;
        height: number | null;
        at: Date;
      },
    ): Promise<AttachmentRow | undefined> {
      const [row] = await db
        .update(attachments)
        .set({
          objectKey: update.objectKey,
          state: update.state,
          width: update.width,
          height: update.height,
          nextAttemptAt: update.state === 'processing' ? update.at : null,
          updatedAt: update.at,
        })
        .where(and(eq(attachments.id, id), eq(attachments.state, 'uploading')))
        .returning();
      return row;
    },

    /** Refuses an upload still `uploading`: undefined if a confirmation moved it on meanwhile. */
    async refuseUpload(id: string, failure: string, at: Date): Promise<AttachmentRow | undefined> {
      const [row] = await db
        .update(attachments)
        .set({ state: 'failed', failure, updatedAt: at })
        .where(and(eq(attachments.id, id), eq(attachments.state, 'uploading')))
        .returning();
      return row;
    },

    /** Refuses an upload or gives up its processing; a file another worker already finished stays ready. */
    async fail(id: string, failure: string, at: Date): Promise<AttachmentRow | undefined> {
      const [row] = await db
        .update(attachments)
        .set({ state: 'failed', failure, leasedUntil: null, nextAttemptAt: null, updatedAt: at })
        .where(and(eq(attachments.id, id), ne(attachments.state, 'ready')))
        .returning();
      return row;
    },

    /** These attachments, where `userId` may see them: their own, or shared in a conversation they are in. */
    async visibleTo(userId: string, ids: string[]): Promise<AttachmentRow[]> {
      if (ids.length === 0) return [];
      return db
        .select({ attachment: attachments })
        .from(attachments)
        .leftJoin(
          conversationMembers,
          and(
            eq(conversationMembers.conversationId, attachments.conversationId),
            eq(conversationMembers.userId, userId),
          ),
        )
        .where(
          and(
            inArray(attachments.id, ids),
            or(eq(attachments.ownerId, userId), sql`${conversationMembers.userId} is not null`),
          ),
        )
        .then((rows) => rows.map((row) => row.attachment));
    },

    /**
     * Leases the next processing job that is due, for `leaseMs`: a worker that
     * dies leaves the lease to run out, and the job is due again. SKIP LOCKED
     * lets several instances take jobs side by side.
     */
    async leaseNextJob(at: Date, leaseMs: number): Promise<AttachmentRow | undefined> {
      const due = db
        .select({ id: attachments.id })
        .from(attachments)
        .where(
          and(
            eq(attachments.state, 'processing'),
            lte(attachments.nextAttemptAt, at),
            or(isNull(attachments.leasedUntil), lt(attachments.leasedUntil, at)),
          ),
        )
        .orderBy(asc(attachments.nextAttemptAt))
        .limit(1)
        .for('update', { skipLocked: true });
      const [row] = await db
        .update(attachments)
        .set({ leasedUntil: new Date(at.getTime() + leaseMs), attempts: sql`${attachments.attempts} + 1` })
        .where(inArray(attachments.id, due))
        .returning();
      return row;
    },

    async finishJob(
      id: string,
      result: { thumbnailKey: string | null; placeholder: string | null; width: number | null; height: number | null },
      at: Date,
    ): Promise<AttachmentRow | undefined> {
      const [row] = await db
        .update(attachments)
        .set({ ...result, state: 'ready', leasedUntil: null, nextAttemptAt: null, updatedAt: at })
        .where(and(eq(attachments.id, id), eq(attachments.state, 'processing')))
        .returning();
      return row;
    },

    /** The job failed this attempt: due again after `retryAt`. */
    async postponeJob(id: string, failure: string, retryAt: Date) {
      await db
        .update(attachments)
        .set({ failure, leasedUntil: null, nextAttemptAt: retryAt })
        .where(and(eq(attachments.id, id), eq(attachments.state, 'processing')));
    },

    /** Files made before `before` and never shared in a conversation: abandoned uploads, dismissed files. */
    async unsharedSince(before: Date, limit: number): Promise<AttachmentRow[]> {
      return db
        .select()
        .from(attachments)
        .where(and(isNull(attachments.conversationId), lt(attachments.createdAt, before)))
        .orderBy(asc(attachments.createdAt))
        .limit(limit);
    },

    async delete(id: string): Promise<AttachmentRow | undefined> {
      const [row] = await db.delete(attachments).where(eq(attachments.id, id)).returning();
      return row;
    },

    /**
     * Deletes the owner's file if it is still unshared: undefined if it is
     * gone, not theirs, or sent (a send may claim it right after it was read).
     */
    async deleteOwnUnshared(ownerId: string, id: string): Promise<AttachmentRow | undefined> {
      const [row] = await db
        .delete(attachments)
        .where(and(eq(attachments.id, id), eq(attachments.ownerId, ownerId), isNull(attachments.conversationId)))
        .returning();
      return row;
    },

    /** Deletes those of these files still unshared (a send may have claimed one since they were listed); returns those deleted. */
    async deleteUnshared(ids: string[]): Promise<AttachmentRow[]> {
      if (ids.length === 0) return [];
      return db
        .delete(attachments)
        .where(and(inArray(attachments.id, ids), isNull(attachments.conversationId)))
        .returning();
    },
  };
}

export type AttachmentRepo = ReturnType<typeof createAttachmentRepo>;

/**
 * See AttachmentsForMessages.claim. One statement for all, prepared (it runs
 * inside the send transaction); the claims travel as one JSON parameter. A
 * file claimed twice in one batch goes to the first claim that fits, as if
 * each were claimed in turn.
 */
export function claimAttachments(
  claims: { attachmentId: string; ownerId: string; conversationId: string }[],
): Statement<Set<string>> {
  const json = JSON.stringify(
    claims.map((claim, place) => ({
      id: claim.attachmentId,
      owner_id: claim.ownerId,
      conversation_id: claim.conversationId,
      place,
    })),
  );
  return {
    query: prepared(sql`
      with wanted as (
        select * from jsonb_to_recordset(${json}::jsonb) as c(id uuid, owner_id uuid, conversation_id uuid, place int)
      )
      update ${attachments} a
      set conversation_id = wanted.conversation_id
      from wanted
      where a.id = wanted.id and a.owner_id = wanted.owner_id and a.state in ('processing', 'ready')
        and (a.conversation_id is null or a.conversation_id = wanted.conversation_id)
        and not exists (
          select 1 from wanted earlier
          where earlier.id = wanted.id and earlier.place < wanted.place and earlier.owner_id = a.owner_id
            and (a.conversation_id is null or a.conversation_id = earlier.conversation_id)
        )
      returning a.id`),
    read: (rows) => new Set(rows.map((row) => row.id as string)),
  };
}
