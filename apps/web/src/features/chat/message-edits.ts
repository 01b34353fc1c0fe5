import type { AppErrorData, Message } from '@gopherchat/api';
import { produce, unwrap } from 'solid-js/store';
import type { Scheduler } from '../../lib/clock.ts';
import type { ChatApi } from './chat-deps.ts';
import type { ChatStateStore } from './chat-state.ts';
import type { IncomingMessages } from './incoming-messages.ts';
import { messageAt } from './timeline.ts';

/**
 * Edits and deletes of my messages. Each shows at once and is asked of the
 * server. A refusal drops the change (the loaded message shows again) and
 * says why. A second change of the same message made meanwhile stays until
 * its own answer, so answers arriving out of order never show a stale version.
 */
export function createMessageEdits(deps: {
  store: ChatStateStore;
  api: Pick<ChatApi, 'editMessage' | 'deleteMessage'>;
  clock: Pick<Scheduler, 'now'>;
  incoming: Pick<IncomingMessages, 'showMessage'>;
  describe(error: unknown): AppErrorData;
  tell(text: string): void;
}) {
  const { state, setState } = deps.store;
  const nowIso = () => new Date(deps.clock.now()).toISOString();

  async function changeMessage(
    conversationId: string,
    seq: number,
    change: (message: Message) => Message,
    request: () => Promise<Message>,
  ) {
    const timeline = state.timelines[conversationId];
    const current = timeline && (timeline.unconfirmed[seq] ?? messageAt(timeline.messages, seq));
    if (!current) return;
    const changed = change(unwrap(current));
    setState('timelines', conversationId, 'unconfirmed', seq, changed);
    try {
      deps.incoming.showMessage(await request());
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
        () => deps.api.editMessage({ conversationId, seq, content: { type: 'text', text } }),
      ),

    /** Leaves a tombstone for everyone. */
    deleteMessage: (conversationId: string, seq: number) =>
      changeMessage(
        conversationId,
        seq,
        (message) => ({ ...message, content: { type: 'deleted' }, deletedAt: nowIso() }),
        () => deps.api.deleteMessage({ conversationId, seq }),
      ),
  };
}
