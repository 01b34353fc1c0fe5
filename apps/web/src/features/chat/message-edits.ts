import { type AppErrorData, type Message, normalizeEmoji, withoutReaction, withReaction } from '@gopherchat/api';
import { produce, unwrap } from 'solid-js/store';
import type { Scheduler } from '../../lib/clock.ts';
import type { ChatApi } from './chat-deps.ts';
import type { ChatStateStore } from './chat-state.ts';
import type { HistoryStore } from './history-store.ts';
import type { IncomingMessages } from './incoming-messages.ts';
import { messageAt } from './timeline.ts';

/**
 * Changes to messages made here: edits and deletes of mine, reactions to
 * anyone's, pins. Each shows at once and is asked of the server. A refusal drops
 * the change (the loaded message shows again) and says why. A second change
 * of the same message made meanwhile stays until its own answer, so answers
 * arriving out of order never show a stale version.
 */
export function createMessageEdits(deps: {
  store: ChatStateStore;
  api: Pick<ChatApi, 'editMessage' | 'deleteMessage' | 'react' | 'removeReaction' | 'pin' | 'unpin'>;
  clock: Pick<Scheduler, 'now'>;
  incoming: Pick<IncomingMessages, 'showMessage'>;
  history: Pick<HistoryStore, 'applyReactions'>;
  myId: string;
  describe(error: unknown): AppErrorData;
  tell(text: string): void;
}) {
  const { state, setState } = deps.store;
  const nowIso = () => new Date(deps.clock.now()).toISOString();

  /** The message at `seq` as shown here: with my unconfirmed change, if any. */
  function shown(conversationId: string, seq: number): Message | undefined {
    const timeline = state.timelines[conversationId];
    return timeline && (timeline.unconfirmed[seq] ?? messageAt(timeline.messages, seq));
  }

  /** Shows `change` of the message until `request` (which shows the server's answer) settles. */
  async function changeMessage(
    conversationId: string,
    seq: number,
    change: (message: Message) => Message,
    request: () => Promise<void>,
  ) {
    const current = shown(conversationId, seq);
    if (!current) return;
    const changed = change(unwrap(current));
    setState('timelines', conversationId, 'unconfirmed', seq, changed);
    try {
      await request();
    } catch (error) {
      deps.tell(deps.describe(error).userMessage);
    } finally {
      if (unwrap(state.timelines[conversationId]?.unconfirmed[seq]) === changed) {
        setState(
          'timelines',
          conversationId,
          'unconfirmed',
          produce((unconfirmed) => void delete unconfirmed[seq]),
        );
      }
    }
  }

  return {
    edit: (conversationId: string, seq: number, text: string) =>
      changeMessage(
        conversationId,
        seq,
        (message) => ({ ...message, content: { type: 'text', text }, editedAt: nowIso() }),
        async () => {
          deps.incoming.showMessage(
            await deps.api.editMessage({ conversationId, seq, content: { type: 'text', text } }),
          );
        },
      ),

    /** Leaves a tombstone for everyone. */
    deleteMessage: (conversationId: string, seq: number) =>
      changeMessage(
        conversationId,
        seq,
        (message) => ({ ...message, content: { type: 'deleted' }, deletedAt: nowIso(), reactions: [] }),
        async () => {
          deps.incoming.showMessage(await deps.api.deleteMessage({ conversationId, seq }));
        },
      ),

    /** Pins the message for everyone in the conversation, or unpins it. */
    setPinned: (conversationId: string, seq: number, isPinning: boolean) =>
      changeMessage(
        conversationId,
        seq,
        (message) => ({
          ...message,
          pinnedAt: isPinning ? nowIso() : null,
          pinnedBy: isPinning ? deps.myId : null,
        }),
        async () => {
          const input = { conversationId, seq };
          deps.incoming.showMessage(await (isPinning ? deps.api.pin(input) : deps.api.unpin(input)));
        },
      ),

    /** Adds my `emoji` to the message, or takes it back if it is there (as shown here). */
    /** Adds my reaction, or takes it back if I had it; `onAdded` hears of an addition (not of a removal). */
    toggleReaction(conversationId: string, seq: number, picked: string, onAdded?: (emoji: string) => void) {
      const emoji = normalizeEmoji(picked) ?? picked;
      const message = shown(conversationId, seq);
      if (!message) return Promise.resolve();
      const isMine = message.reactions.some(
        (reaction) => reaction.emoji === emoji && reaction.userIds.includes(deps.myId),
      );
      if (!isMine) onAdded?.(emoji);
      const input = { conversationId, seq, emoji };
      return changeMessage(
        conversationId,
        seq,
        (shownMessage) => ({
          ...shownMessage,
          reactions: [...(isMine ? withoutReaction : withReaction)(shownMessage.reactions, emoji, deps.myId)],
        }),
        async () => {
          deps.history.applyReactions(await (isMine ? deps.api.removeReaction(input) : deps.api.react(input)));
        },
      );
    },
  };
}
