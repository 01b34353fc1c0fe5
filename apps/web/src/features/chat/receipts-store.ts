import {
  type AppErrorData,
  DELIVERY_RECEIPT_INTERVAL_MS,
  type MemberReceipt,
  RECEIPT_BATCH_MAX,
  type ReadPointers,
} from '@gopherchat/api';
import type { Timers } from '../../lib/timers.ts';
import type { ChatApi } from './chat-deps.ts';
import type { ChatStateStore } from './chat-state.ts';
import { createPointerReporter, type Pointer } from './pointer-reporter.ts';
import { furthest, summaryAfterMyPointers } from './receipts.ts';

/** Scrolling through a conversation reports how far it has been read at most this often. */
export const READ_BATCH_MS = 300;

/**
 * Receipts both ways: how far I have got (delivered, read), told to the
 * server in batches and shown in my summaries at once; and how far the
 * others have got, from their receipts, their sends and member lists.
 */
export function createReceiptsStore(deps: {
  store: ChatStateStore;
  api: Pick<ChatApi, 'markDelivered' | 'markRead'>;
  later: Timers['later'];
  describe(error: unknown): AppErrorData;
  myId: string;
}) {
  const { state, setState } = deps.store;

  const deliveries = createPointerReporter({
    async send(pointers) {
      for (let start = 0; start < pointers.length; start += RECEIPT_BATCH_MAX) {
        await deps.api.markDelivered({ pointers: pointers.slice(start, start + RECEIPT_BATCH_MAX) });
      }
    },
    // Delivery receipts of a burst of messages (or of the whole list on load) share one call.
    schedule: (flush) => deps.later(DELIVERY_RECEIPT_INTERVAL_MS, flush),
  });
  const reads = createPointerReporter({
    send: (pointers) => Promise.all(pointers.map(markReadOnServer)).then(() => {}),
    schedule: (flush) => deps.later(READ_BATCH_MS, flush),
  });

  async function markReadOnServer(pointer: Pointer) {
    try {
      await deps.api.markRead(pointer);
    } catch (error) {
      // Removed from the conversation meanwhile: there is nothing left to mark.
      if (deps.describe(error).appCode !== 'NOT_FOUND') throw error;
    }
  }

  /** My own pointers as the server has them: neither reporter sends what it already knows. */
  function acknowledgeMine(conversationId: string, pointers: ReadPointers) {
    deliveries.acknowledge(conversationId, pointers.lastDeliveredSeq);
    reads.acknowledge(conversationId, pointers.lastReadSeq);
  }

  /** Moves someone's pointers in an open conversation (never back). */
  function advancePointers(conversationId: string, receipt: MemberReceipt) {
    if (!state.timelines[conversationId]) return;
    setState('timelines', conversationId, 'pointers', receipt.userId, (known) => furthest(known, receipt));
  }

  return {
    /** A message reached this client: the server hears it was delivered with the next batch. */
    noteDelivered: (conversationId: string, seq: number) => deliveries.note(conversationId, seq),
    acknowledgeMine,
    advancePointers,

    /** Pointers that moved on the server: mine (read on another device) or someone else's. */
    applyReceipts(conversationId: string, receipts: readonly MemberReceipt[]) {
      for (const receipt of receipts) {
        if (receipt.userId === deps.myId) {
          acknowledgeMine(conversationId, receipt);
          const summary = state.conversations[conversationId];
          if (summary) setState('conversations', conversationId, summaryAfterMyPointers(summary, receipt));
        } else {
          advancePointers(conversationId, receipt);
        }
      }
    },

    /**
     * Marks a conversation read up to `seq` (the newest message on screen):
     * here at once, on the server within a moment.
     */
    markRead(conversationId: string, seq: number) {
      const summary = state.conversations[conversationId];
      if (!summary) return;
      // Noted even when read here already: a read restored from the snapshot may not have reached the server, and a
      // note is when a failed report is tried again.
      reads.note(conversationId, seq);
      // Scrolling reports the same message many times: the summary is set only when this moves it.
      const read = summaryAfterMyPointers(summary, { lastDeliveredSeq: seq, lastReadSeq: seq });
      if (read !== summary) setState('conversations', conversationId, read);
    },

    /** Sends what failed to go out: the connection is back. */
    retry() {
      deliveries.retry();
      reads.retry();
    },
  };
}

export type ReceiptsStore = ReturnType<typeof createReceiptsStore>;
