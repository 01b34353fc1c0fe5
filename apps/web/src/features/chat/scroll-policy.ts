import type { Message } from '@gopherchat/api';
import { isReadersOwn } from './timeline.ts';

/**
 * Where an open conversation's view goes, as rules a reader can predict:
 *
 * - It opens at the first message the reader had not read, under a "New
 *   messages" divider, or at the newest when everything was read.
 * - The reader's own new message is always scrolled to.
 * - Others' messages are followed while the reader is at the newest; when
 *   they have scrolled up, the view stays put and a pill counts what came in
 *   below ("3 new messages ↓").
 *
 * A pure `transition(state, event)` returning what to scroll to as data, like
 * the connection's (`lib/connection.ts`): `MessageList` carries it out with
 * the virtualizer, and the rules are tested without a browser.
 */
export interface ScrollState {
  /** The view stays on the newest message as messages are added. */
  isFollowing: boolean;
  /** Messages from others added below the view since the reader left the newest. */
  unseenBelow: number;
  /** The first message that was unread when the conversation opened: the "New messages" divider goes above it. */
  dividerSeq: number | undefined;
}

export type ScrollEvent =
  /** A conversation's first messages are shown; `readUpTo` is how far the reader had read on opening. */
  | { type: 'opened'; messages: readonly Message[]; readUpTo: number; myId: string }
  /** Messages newer than any shown before (live, or my own confirmed), oldest first. */
  | { type: 'appended'; messages: readonly Message[]; myId: string }
  /** One of my messages set off: it shows at the end, on its way out. */
  | { type: 'sent' }
  /** The reader scrolled, or the view moved under them; `isAtBottom`: the newest is in view. */
  | { type: 'scrolled'; isAtBottom: boolean }
  /** The reader asked for the newest (the pill). */
  | { type: 'jumped-to-latest' };

export type ScrollEffect =
  | { type: 'scroll-to-end' }
  /** The message at `seq` at the top of the view, its divider above it. */
  | { type: 'scroll-to-message'; seq: number };

export interface ScrollTransition {
  state: ScrollState;
  effects: ScrollEffect[];
}

/** Reading the newest, before anything is known of the conversation. */
export const AT_NEWEST: ScrollState = { isFollowing: true, unseenBelow: 0, dividerSeq: undefined };

const toEnd = (dividerSeq: number | undefined): ScrollTransition => ({
  state: { ...AT_NEWEST, dividerSeq },
  effects: [{ type: 'scroll-to-end' }],
});

/** The first message in `messages` newer than `readUpTo` that is news to the reader. */
export function firstUnreadOf(messages: readonly Message[], readUpTo: number, myId: string): Message | undefined {
  return messages.find((message) => message.seq > readUpTo && !isReadersOwn(message, myId));
}

export function transition(state: ScrollState, event: ScrollEvent): ScrollTransition {
  switch (event.type) {
    case 'opened': {
      const firstUnread = firstUnreadOf(event.messages, event.readUpTo, event.myId);
      if (!firstUnread) return toEnd(undefined);
      return {
        state: { isFollowing: false, unseenBelow: 0, dividerSeq: firstUnread.seq },
        effects: [{ type: 'scroll-to-message', seq: firstUnread.seq }],
      };
    }
    case 'appended': {
      if (event.messages.some((message) => message.senderId === event.myId)) return toEnd(state.dividerSeq);
      if (state.isFollowing) return toEnd(state.dividerSeq);
      const news = event.messages.filter((message) => !isReadersOwn(message, event.myId)).length;
      return { state: { ...state, unseenBelow: state.unseenBelow + news }, effects: [] };
    }
    case 'sent':
    case 'jumped-to-latest':
      return toEnd(state.dividerSeq);
    case 'scrolled': {
      // Scrolling goes on all the time: the same state back, so nothing that shows it updates.
      const isUnchanged = event.isAtBottom ? state.isFollowing && state.unseenBelow === 0 : !state.isFollowing;
      if (isUnchanged) return { state, effects: [] };
      return {
        state: event.isAtBottom ? { ...state, isFollowing: true, unseenBelow: 0 } : { ...state, isFollowing: false },
        effects: [],
      };
    }
    default:
      return event satisfies never;
  }
}

/** What the pill over the list says while the reader is above the newest; nothing at the newest. */
export function jumpLabelOf(state: ScrollState): string | undefined {
  if (state.isFollowing) return undefined;
  if (state.unseenBelow === 0) return 'Jump to latest';
  return state.unseenBelow === 1 ? '1 new message' : `${state.unseenBelow} new messages`;
}
