import type { MemberReceipt } from '@gopherchat/api';
import { createGroupCommit } from '../../lib/group-commit.ts';
import { requireRole } from './access.ts';
import type { EventLog, PendingEvent } from './event-log.ts';
import { type ConversationRepo, createConversationRepo, type PointerRow, type PointerUpdate } from './repo.ts';

/** One update per member and conversation: the furthest of each pointer asked for. */
function furthestPointers(updates: PointerUpdate[]): PointerUpdate[] {
  const byMember = new Map<string, PointerUpdate>();
  for (const update of updates) {
    const key = `${update.conversationId}/${update.userId}`;
    const known = byMember.get(key);
    byMember.set(
      key,
      known
        ? {
            ...known,
            deliveredSeq: Math.max(known.deliveredSeq, update.deliveredSeq),
            readSeq: Math.max(known.readSeq, update.readSeq),
          }
        : update,
    );
  }
  return [...byMember.values()];
}

/** One event per conversation whose pointers moved, listing every member's that did. */
function receiptEvents(moved: PointerRow[]): PendingEvent[] {
  const byConversation = new Map<string, MemberReceipt[]>();
  for (const row of moved) {
    const receipts = byConversation.get(row.conversationId) ?? [];
    receipts.push({ userId: row.userId, lastDeliveredSeq: row.lastDeliveredSeq, lastReadSeq: row.lastReadSeq });
    byConversation.set(row.conversationId, receipts);
  }
  return [...byConversation].map(([conversationId, receipts]) => ({
    conversationId,
    kind: 'receipts',
    event: { kind: 'receipts', conversationId, receipts },
  }));
}

/** How far each member has received and read: the delivered and read pointers, and the receipts they send. */
export function createReceipts(deps: {
  log: EventLog;
  /** Who is in which conversation (the membership cache). */
  membership: Pick<ConversationRepo, 'roleOf'>;
  /** How long a receipt waits for others to share its transaction (and its conversation's event). */
  windowMs: number;
}) {
  const { log, membership } = deps;

  /**
   * Receipts arrive for nearly every message each member receives, so they
   * wait longer than sends for company: one transaction and one event per
   * conversation carry every pointer that moved meanwhile.
   */
  const pointerUpdates = createGroupCommit<PointerUpdate, void>({
    flush: async (batch) => {
      await log.write(async (tx) => {
        const moved = await createConversationRepo(tx).advancePointers(furthestPointers(batch));
        return { result: undefined, events: receiptEvents(moved) };
      });
      return batch.map(() => undefined);
    },
    windowMs: deps.windowMs,
    maxBatch: 1_000,
  });

  return {
    /**
     * The reader's client has received these messages. Conversations the
     * reader has left since are skipped: a receipt racing a removal is moot.
     */
    async markDelivered(userId: string, pointers: { conversationId: string; seq: number }[]): Promise<void> {
      await Promise.all(
        pointers.map((pointer) =>
          pointerUpdates.submit({
            conversationId: pointer.conversationId,
            userId,
            deliveredSeq: pointer.seq,
            readSeq: 0,
          }),
        ),
      );
    },

    /** The reader has seen the conversation up to `seq` (which also marks it delivered). */
    async markRead(userId: string, pointer: { conversationId: string; seq: number }): Promise<void> {
      await requireRole(membership, pointer.conversationId, userId);
      await pointerUpdates.submit({
        conversationId: pointer.conversationId,
        userId,
        deliveredSeq: 0,
        readSeq: pointer.seq,
      });
    },
  };
}
