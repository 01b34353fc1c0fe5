import type { AppErrorData, ConversationSummary } from '@gopherchat/api';
import { batch } from 'solid-js';
import { produce } from 'solid-js/store';
import type { ChatApi } from './chat-deps.ts';
import type { ChatStateStore } from './chat-state.ts';
import type { HistoryStore } from './history-store.ts';
import { summaryAfterMyPointers } from './receipts.ts';
import type { ReceiptsStore } from './receipts-store.ts';

/**
 * The conversations I am in, as summaries: the server's list, each one kept
 * current (asked again when it changes), and forgotten when I am no longer
 * in it. Until the list arrives, those the snapshot left are shown.
 */
export function createConversationsStore(deps: {
  store: ChatStateStore;
  api: Pick<ChatApi, 'listConversations' | 'getConversation'>;
  receipts: Pick<ReceiptsStore, 'acknowledgeMine' | 'noteDelivered'>;
  history: Pick<HistoryStore, 'open' | 'loadMembers'>;
  describe(error: unknown): AppErrorData;
  tell(text: string): void;
}) {
  const { state, setState } = deps.store;
  /** Conversations shown from the snapshot that the server's list has not confirmed yet. */
  let unconfirmedIds = new Set(Object.keys(state.conversations));
  /** How many times each conversation was forgotten: a fetch that raced a removal must not bring it back. */
  const forgettings = new Map<string, number>();

  /**
   * A summary straight from the server: its pointers are known there, and
   * anything newer has now reached this client. A read here that the server
   * has not heard of yet still counts.
   */
  function upsertSummary(summary: ConversationSummary) {
    const known = state.conversations[summary.id];
    setState('conversations', summary.id, known ? summaryAfterMyPointers(summary, known) : summary);
    deps.receipts.acknowledgeMine(summary.id, summary);
    if (summary.lastSeq > summary.lastDeliveredSeq) deps.receipts.noteDelivered(summary.id, summary.lastSeq);
  }

  /** Drops a conversation I am no longer in, and everything shown of it. */
  function forget(conversationId: string) {
    forgettings.set(conversationId, (forgettings.get(conversationId) ?? 0) + 1);
    setState(
      produce((draft) => {
        delete draft.conversations[conversationId];
        delete draft.timelines[conversationId];
        delete draft.typing[conversationId];
        if (draft.activeId === conversationId) draft.activeId = undefined;
      }),
    );
  }

  async function loadList() {
    const list = await deps.api.listConversations();
    batch(() => {
      list.forEach(upsertSummary);
      // Left or removed while this browser was away.
      for (const { id } of list) unconfirmedIds.delete(id);
      unconfirmedIds.forEach(forget);
      unconfirmedIds = new Set();
      setState('isListLoaded', true);
    });
  }

  /** Loads the list, telling the person if it cannot be had. */
  const loadListOrTell = () => loadList().catch((error) => deps.tell(deps.describe(error).userMessage));

  return {
    upsertSummary,
    forget,
    loadListOrTell,

    /** Asks for one conversation again (it changed); forgets it if the server no longer has me in it. */
    async refresh(conversationId: string) {
      const forgottenBefore = forgettings.get(conversationId);
      try {
        const summary = await deps.api.getConversation({ conversationId });
        if (forgettings.get(conversationId) !== forgottenBefore) return;
        upsertSummary(summary);
        if (state.timelines[conversationId]) await deps.history.loadMembers(conversationId);
      } catch (error) {
        if (deps.describe(error).appCode === 'NOT_FOUND') forget(conversationId);
      }
    },

    /** After a gap too large to replay: whatever is on screen may be stale. */
    async reloadEverything() {
      setState(
        produce((draft) => {
          draft.conversations = {};
          draft.timelines = {};
        }),
      );
      await loadListOrTell();
      if (state.activeId) await deps.history.open(state.activeId);
    },
  };
}

export type ConversationsStore = ReturnType<typeof createConversationsStore>;
