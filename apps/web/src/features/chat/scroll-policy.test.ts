import { describe, expect, it } from 'bun:test';
import type { Message } from '@gopherchat/api';
import { ME, message, messages } from '../../testing/fake-chat.ts';
import { AT_NEWEST, jumpLabelOf, type ScrollEvent, type ScrollState, transition } from './scroll-policy.ts';

const myId = ME.id;

/** Runs events from `state`, returning the final state and every effect on the way. */
function run(state: ScrollState, ...events: ScrollEvent[]) {
  const effects = [];
  let current = state;
  for (const event of events) {
    const result = transition(current, event);
    current = result.state;
    effects.push(...result.effects);
  }
  return { state: current, effects };
}

const opened = (shown: Message[], readUpTo: number): ScrollEvent => ({
  type: 'opened',
  messages: shown,
  readUpTo,
  myId,
});
const appended = (...added: Message[]): ScrollEvent => ({ type: 'appended', messages: added, myId });
const scrolledUp: ScrollEvent = { type: 'scrolled', isAtBottom: false };
const scrolledToBottom: ScrollEvent = { type: 'scrolled', isAtBottom: true };
const note = (seq: number, event: Extract<Message['content'], { type: 'system' }>['event']): Message => ({
  ...message('c', seq, null),
  content: { type: 'system', event },
});

describe('the scroll policy', () => {
  describe('opening a conversation', () => {
    it('goes to the newest message when everything was read', () => {
      expect(run(AT_NEWEST, opened(messages('c', 1, 20), 20))).toEqual({
        state: AT_NEWEST,
        effects: [{ type: 'scroll-to-end' }],
      });
    });

    it('goes to the first unread message, with the divider above it', () => {
      expect(run(AT_NEWEST, opened(messages('c', 1, 20), 12))).toEqual({
        state: { isFollowing: false, unseenBelow: 0, dividerSeq: 13 },
        effects: [{ type: 'scroll-to-message', seq: 13 }],
      });
    });

    it('passes over what is no news to me: my own messages and notes of what I did', () => {
      const shown = [
        ...messages('c', 1, 10),
        message('c', 11, myId),
        note(12, { kind: 'renamed', by: myId, title: 'Plans' }),
        note(13, { kind: 'member_added', by: 'bob', userId: 'carol' }),
        message('c', 14, 'bob'),
      ];
      expect(run(AT_NEWEST, opened(shown, 10)).effects).toEqual([{ type: 'scroll-to-message', seq: 13 }]);
      expect(run(AT_NEWEST, opened(shown.slice(0, 12), 10)).effects).toEqual([{ type: 'scroll-to-end' }]);
    });

    it('starts afresh: the last conversation’s pill and divider do not carry over', () => {
      const reading = run(AT_NEWEST, opened(messages('a', 1, 20), 5), appended(message('a', 21, 'bob'))).state;
      expect(reading).toEqual({ isFollowing: false, unseenBelow: 1, dividerSeq: 6 });
      expect(run(reading, opened(messages('b', 1, 3), 3)).state).toEqual(AT_NEWEST);
    });
  });

  describe('messages added below', () => {
    it('follows others’ messages while I am at the newest', () => {
      expect(run(AT_NEWEST, appended(message('c', 5, 'bob'))).effects).toEqual([{ type: 'scroll-to-end' }]);
    });

    it('keeps my place when I have scrolled up, and counts what came in for the pill', () => {
      const { state, effects } = run(
        AT_NEWEST,
        scrolledUp,
        appended(message('c', 5, 'bob')),
        appended(message('c', 6, 'carol'), message('c', 7, 'bob')),
      );
      expect(effects).toEqual([]);
      expect(state.unseenBelow).toBe(3);
      expect(jumpLabelOf(state)).toBe('3 new messages');
    });

    it('does not count notes of what I did myself', () => {
      const { state } = run(AT_NEWEST, scrolledUp, appended(note(5, { kind: 'renamed', by: myId, title: 'x' })));
      expect(state.unseenBelow).toBe(0);
      expect(jumpLabelOf(state)).toBe('Jump to latest');
    });

    // Regression: scrolling up a little stopped my own sends from bringing me back down.
    it('always scrolls to my own message, however far up I am', () => {
      const reading = run(AT_NEWEST, opened(messages('c', 1, 40), 10), scrolledUp, appended(message('c', 41, 'bob')));
      expect(run(reading.state, { type: 'sent' })).toEqual({
        state: { isFollowing: true, unseenBelow: 0, dividerSeq: 11 },
        effects: [{ type: 'scroll-to-end' }],
      });
      // A file of mine arrives as a confirmed message, with no outgoing row before it.
      expect(run(reading.state, appended(message('c', 42, myId))).effects).toEqual([{ type: 'scroll-to-end' }]);
    });
  });

  describe('the pill', () => {
    it('says one message in the singular, and is gone at the newest', () => {
      const one = run(AT_NEWEST, scrolledUp, appended(message('c', 5, 'bob'))).state;
      expect(jumpLabelOf(one)).toBe('1 new message');
      expect(jumpLabelOf(run(one, scrolledToBottom).state)).toBeUndefined();
      expect(run(one, scrolledToBottom).state.unseenBelow).toBe(0);
    });

    it('takes me to the newest when pressed, keeping the divider where it was', () => {
      const reading = run(AT_NEWEST, opened(messages('c', 1, 30), 3), appended(message('c', 31, 'bob'))).state;
      expect(run(reading, { type: 'jumped-to-latest' })).toEqual({
        state: { isFollowing: true, unseenBelow: 0, dividerSeq: 4 },
        effects: [{ type: 'scroll-to-end' }],
      });
    });

    it('leaves the state as it was while scrolling goes on in one direction', () => {
      const up = run(AT_NEWEST, scrolledUp).state;
      expect(transition(up, scrolledUp).state).toBe(up);
      expect(transition(AT_NEWEST, scrolledToBottom).state).toBe(AT_NEWEST);
    });
  });
});
