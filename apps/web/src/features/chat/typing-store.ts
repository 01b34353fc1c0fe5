import { TYPING_SHOWN_MS } from '@gopherchat/api';
import type { Scheduler } from '../../lib/clock.ts';
import type { Timers } from '../../lib/timers.ts';
import type { ChatApi } from './chat-deps.ts';
import type { ChatStateStore } from './chat-state.ts';
import { stillTyping, type Typists, withSignal } from './typing.ts';

/**
 * Typing, both ways: who is typing in each conversation (from live signals,
 * each shown for TYPING_SHOWN_MS unless renewed), and my own signals to the
 * others.
 */
export function createTypingStore(deps: {
  store: ChatStateStore;
  api: Pick<ChatApi, 'signalTyping'>;
  clock: Pick<Scheduler, 'now'>;
  later: Timers['later'];
}) {
  const { state, setState } = deps.store;

  function setTypists(conversationId: string, change: (typists: Typists) => Typists) {
    // Set one level up: setting the conversation's own entry would merge, keeping typists that left.
    setState('typing', { [conversationId]: change(state.typing[conversationId] ?? {}) });
  }

  function applyTyping(conversationId: string, userId: string, isTyping: boolean) {
    setTypists(conversationId, (typists) =>
      withSignal(typists, { userId, isTyping }, deps.clock.now(), TYPING_SHOWN_MS),
    );
    if (isTyping) {
      // A renewal moves the end on, so this sweep keeps it, and the renewal's own sweep drops it.
      deps.later(TYPING_SHOWN_MS, () =>
        setTypists(conversationId, (typists) => stillTyping(typists, deps.clock.now())),
      );
    }
  }

  return {
    /** A live signal: `userId` is typing in the conversation, or stopped. */
    applyTyping,

    /** Their message is what they were typing: they are shown typing no more. */
    stopShowing(conversationId: string, userId: string) {
      if (state.typing[conversationId]?.[userId] !== undefined) applyTyping(conversationId, userId, false);
    },

    /** Tells the others in the conversation that I am typing (or stopped). A dropped signal matters little. */
    signalTyping(conversationId: string, isTyping: boolean) {
      deps.api.signalTyping({ conversationId, isTyping }).catch(() => {});
    },
  };
}

export type TypingStore = ReturnType<typeof createTypingStore>;
