import type { ConversationSummary, Member, Message, ReadPointers, UserPresence } from '@gopherchat/api';
import { createStore, type SetStoreFunction } from 'solid-js/store';
import type { OutgoingMessage } from './outbox.ts';
import type { ChatSnapshot } from './snapshot.ts';
import type { Typists } from './typing.ts';

/** The loaded part of one conversation's history. */
export interface Timeline {
  messages: Message[];
  /** Older messages exist on the server beyond the first loaded one. */
  hasOlder: boolean;
  isLoadingOlder: boolean;
  /**
   * Newer messages exist on the server beyond the last loaded one: the loaded
   * part is a window further back (opened around a linked message), not the
   * newest. Live messages wait on the server until it reaches them.
   */
  hasNewer: boolean;
  isLoadingNewer: boolean;
  members: Record<string, Member>;
  /** Display names of everyone seen here, former members too: notes about people who left still name them. */
  names: Record<string, string>;
  /**
   * How far each member has got, kept apart from `members` so that receipts
   * arriving before the member list (or racing its query) are merged, not lost.
   */
  pointers: Record<string, ReadPointers>;
  /** Edits and deletes made here, by seq, shown until the server answers (`withUnconfirmed`). */
  unconfirmed: Record<number, Message>;
  /** From the offline snapshot: shown until the server's newest page replaces it. */
  isCached: boolean;
}

export interface ChatState {
  conversations: Record<string, ConversationSummary>;
  timelines: Record<string, Timeline>;
  outbox: OutgoingMessage[];
  /** Who of the people I share a conversation with is online. */
  presence: Record<string, UserPresence>;
  /** Per conversation: who is typing there now. */
  typing: Record<string, Typists>;
  activeId: string | undefined;
  isListLoaded: boolean;
}

/**
 * The chat's one reactive store. The screens read all of it; each part of
 * the chat (history, receipts, typing, …) writes its own fields.
 */
export interface ChatStateStore {
  state: ChatState;
  setState: SetStoreFunction<ChatState>;
}

/** A conversation just opened, before its first page arrives. */
export const emptyTimeline = (): Timeline => ({
  messages: [],
  members: {},
  names: {},
  pointers: {},
  unconfirmed: {},
  hasOlder: false,
  isLoadingOlder: false,
  hasNewer: false,
  isLoadingNewer: false,
  isCached: false,
});

/** What the last visit left, shown until the server answers (the page may have been loaded offline). */
function fromSnapshot(snapshot: ChatSnapshot | undefined): Pick<ChatState, 'conversations' | 'timelines'> {
  if (!snapshot) return { conversations: {}, timelines: {} };
  return {
    conversations: Object.fromEntries(snapshot.conversations.map((summary) => [summary.id, summary])),
    timelines: Object.fromEntries(
      Object.entries(snapshot.timelines).map(([id, cached]) => [
        id,
        { ...cached, isLoadingOlder: false, hasNewer: false, isLoadingNewer: false, unconfirmed: {}, isCached: true },
      ]),
    ),
  };
}

export function createChatState(snapshot: ChatSnapshot | undefined): ChatStateStore {
  const [state, setState] = createStore<ChatState>({
    ...fromSnapshot(snapshot),
    outbox: [],
    presence: {},
    typing: {},
    activeId: undefined,
    isListLoaded: false,
  });
  return { state, setState };
}
