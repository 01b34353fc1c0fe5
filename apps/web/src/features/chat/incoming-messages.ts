import type { Message } from '@gopherchat/api';
import { batch } from 'solid-js';
import type { ChatStateStore } from './chat-state.ts';
import type { ConversationsStore } from './conversations-store.ts';
import type { HistoryStore } from './history-store.ts';
import type { ReceiptsStore } from './receipts-store.ts';
import { summaryAfterMessage } from './timeline.ts';
import type { TypingStore } from './typing-store.ts';

/**
 * Where a message goes when it arrives (live, or as the server's answer to
 * something done here): its timeline, its conversation's summary, and what
 * it tells about its sender's pointers and typing.
 */
export function createIncomingMessages(deps: {
  store: ChatStateStore;
  myId: string;
  history: Pick<HistoryStore, 'showInTimeline'>;
  conversations: Pick<ConversationsStore, 'refresh'>;
  receipts: Pick<ReceiptsStore, 'acknowledgeMine' | 'advancePointers'>;
  typing: Pick<TypingStore, 'stopShowing'>;
}) {
  const { state, setState } = deps.store;

  /**
   * Puts a message (new, edited or deleted) in its timeline, if loaded, and in
   * its conversation's summary. Returns the fetch of that conversation, if it
   * was not known here.
   */
  function showMessage(message: Message): Promise<void> | undefined {
    const { conversationId } = message;
    return batch(() => {
      deps.history.showInTimeline(message);
      const summary = state.conversations[conversationId];
      if (!summary) return deps.conversations.refresh(conversationId);
      setState('conversations', conversationId, summaryAfterMessage(summary, message, deps.myId));
      return undefined;
    });
  }

  /** A new message: shown, and what it tells about its sender's pointers and typing. Returns as `showMessage`. */
  function applyMessage(message: Message): Promise<void> | undefined {
    const { conversationId, senderId, seq } = message;
    return batch(() => {
      const shown = showMessage(message);
      if (senderId === deps.myId) {
        deps.receipts.acknowledgeMine(conversationId, { lastDeliveredSeq: seq, lastReadSeq: seq });
      } else if (senderId) {
        // Sending moves the sender's own pointers on the server, with no receipt event of its own.
        deps.receipts.advancePointers(conversationId, { userId: senderId, lastDeliveredSeq: seq, lastReadSeq: seq });
        // Their message is what they were typing.
        deps.typing.stopShowing(conversationId, senderId);
      }
      return shown;
    });
  }

  return { showMessage, applyMessage };
}

export type IncomingMessages = ReturnType<typeof createIncomingMessages>;
