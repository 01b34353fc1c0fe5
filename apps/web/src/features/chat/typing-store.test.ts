import { describe, expect, it } from 'bun:test';
import { TYPING_SHOWN_MS } from '@gopherchat/api';
import { createTimers } from '../../lib/timers.ts';
import { fakeChatApi, OFFLINE, Refusal } from '../../testing/fake-chat.ts';
import { createManualClock } from '../../testing/manual-clock.ts';
import { createChatState } from './chat-state.ts';
import { createTypingStore } from './typing-store.ts';

function typingUnderTest() {
  const clock = createManualClock();
  const server = fakeChatApi();
  const store = createChatState(undefined);
  const typing = createTypingStore({ store, api: server.api, clock, later: createTimers(clock).later });
  return {
    clock,
    server,
    typing,
    typistsIn: (conversationId: string) => Object.keys(store.state.typing[conversationId] ?? {}),
  };
}

describe('TypingStore', () => {
  it('shows someone typing until their signal runs out', async () => {
    const t = typingUnderTest();
    t.typing.applyTyping('c1', 'bob', true);
    expect(t.typistsIn('c1')).toEqual(['bob']);
    await t.clock.advance(TYPING_SHOWN_MS - 1);
    expect(t.typistsIn('c1')).toEqual(['bob']);
    await t.clock.advance(1);
    expect(t.typistsIn('c1')).toEqual([]);
  });

  it('keeps someone shown while their signal is renewed, until the last one runs out', async () => {
    const t = typingUnderTest();
    t.typing.applyTyping('c1', 'bob', true);
    await t.clock.advance(TYPING_SHOWN_MS / 2);
    t.typing.applyTyping('c1', 'bob', true);
    // The first signal's end has passed; the renewal's has not.
    await t.clock.advance(TYPING_SHOWN_MS / 2);
    expect(t.typistsIn('c1')).toEqual(['bob']);
    await t.clock.advance(TYPING_SHOWN_MS / 2);
    expect(t.typistsIn('c1')).toEqual([]);
  });

  it('drops someone at once when they stop, leaving the others typing', () => {
    const t = typingUnderTest();
    t.typing.applyTyping('c1', 'bob', true);
    t.typing.applyTyping('c1', 'cy', true);
    t.typing.applyTyping('c2', 'bob', true);
    t.typing.applyTyping('c1', 'bob', false);
    expect(t.typistsIn('c1')).toEqual(['cy']);
    expect(t.typistsIn('c2')).toEqual(['bob']);
  });

  it('stops showing someone whose message arrived, and leaves a conversation without them as it was', () => {
    const t = typingUnderTest();
    t.typing.applyTyping('c1', 'bob', true);
    t.typing.stopShowing('c1', 'bob');
    t.typing.stopShowing('c2', 'bob');
    expect(t.typistsIn('c1')).toEqual([]);
    expect(t.typistsIn('c2')).toEqual([]);
  });

  it('tells the server when I type, and shrugs off a signal that did not get through', async () => {
    const t = typingUnderTest();
    const refused = Promise.withResolvers<void>();
    t.server.answers.signalTyping = async () => {
      refused.resolve();
      throw new Refusal(OFFLINE);
    };
    t.typing.signalTyping('c1', true);
    await refused.promise;
    expect(t.server.callsTo('signalTyping')).toEqual([{ conversationId: 'c1', isTyping: true }]);
  });
});
