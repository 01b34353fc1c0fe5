import { describe, expect, it } from 'bun:test';
import type { MessageReactions } from '@gopherchat/api';
import { openConversation } from '../../testing/chat-under-test.ts';
import { ME, messages, messageWith, Refusal } from '../../testing/fake-chat.ts';
import { mergeMessages } from './timeline.ts';

const reactionsOn = (seq: number, revision: number, reactions: MessageReactions['reactions']) => ({
  kind: 'reactions' as const,
  update: { conversationId: 'c1', seq, revision, reactions },
});
const thumbsUpBy = (...userIds: string[]) => [{ emoji: '👍', userIds }];

describe('reactions in the chat', () => {
  it('shows reactions that arrive live, and ignores a copy older than the one shown', async () => {
    const t = await openConversation();
    await t.receive(reactionsOn(10, 2, thumbsUpBy('bob', 'cy')));
    // Sent before the one above, delivered after it (a page, an answer): it must not undo it.
    await t.receive(reactionsOn(10, 1, thumbsUpBy('bob')));
    expect(t.state.timelines.c1?.messages.at(-1)).toMatchObject({ revision: 2, reactions: thumbsUpBy('bob', 'cy') });
    // Reactions to a message not loaded wait for its page, which carries them.
    await t.receive(reactionsOn(99, 1, thumbsUpBy('bob')));
    expect(t.seqsIn('c1')).not.toContain(99);
  });

  it('toggles my reaction at once, keeps it once the server has it, and takes it back on a second tap', async () => {
    const t = await openConversation();
    const answer = Promise.withResolvers<MessageReactions>();
    t.server.answers.react = () => answer.promise;
    // Pickers spell it with the emoji variation selector; the server stores it without.
    const reacting = t.chat.toggleReaction('c1', 10, '👍\uFE0F');
    expect(t.state.timelines.c1?.unconfirmed[10]?.reactions).toEqual(thumbsUpBy(ME.id));
    expect(t.server.callsTo('react')).toEqual([{ conversationId: 'c1', seq: 10, emoji: '👍' }]);
    answer.resolve({ conversationId: 'c1', seq: 10, revision: 1, reactions: thumbsUpBy(ME.id) });
    await reacting;
    expect(t.state.timelines.c1?.unconfirmed).toEqual({});
    expect(t.state.timelines.c1?.messages.at(-1)?.reactions).toEqual(thumbsUpBy(ME.id));

    t.server.answers.removeReaction = async (input) => ({ ...input, revision: 2, reactions: [] });
    await t.chat.toggleReaction('c1', 10, '👍');
    expect(t.server.callsTo('removeReaction')).toEqual([{ conversationId: 'c1', seq: 10, emoji: '👍' }]);
    expect(t.state.timelines.c1?.messages.at(-1)?.reactions).toEqual([]);
  });

  it('counts a reaction added as an emoji used, and not one taken back (it would jump to the front of recent)', async () => {
    const t = await openConversation();
    const used: string[] = [];
    t.server.answers.react = async (input) => ({ ...input, revision: 1, reactions: thumbsUpBy(ME.id) });
    await t.chat.toggleReaction('c1', 10, '👍\uFE0F', (emoji) => used.push(emoji));
    t.server.answers.removeReaction = async (input) => ({ ...input, revision: 2, reactions: [] });
    await t.chat.toggleReaction('c1', 10, '👍', (emoji) => used.push(emoji));
    expect(used).toEqual(['👍']);
  });

  it('shows the message as it was when the server refuses a reaction, saying why', async () => {
    const t = await openConversation();
    t.server.answers.react = async () => {
      throw new Refusal({ appCode: 'INVALID_INPUT', userMessage: 'That message was deleted.' });
    };
    await t.chat.toggleReaction('c1', 10, '🎉');
    expect(t.state.timelines.c1?.unconfirmed).toEqual({});
    expect(t.state.timelines.c1?.messages.at(-1)?.reactions).toEqual([]);
    expect(t.chat.notice()?.text).toBe('That message was deleted.');
  });

  it('asks who the people reacting are when the conversation does not list them', async () => {
    const t = await openConversation();
    await t.receive(reactionsOn(10, 1, thumbsUpBy('former-member')));
    await t.clock.advance(100);
    expect(t.server.callsTo('loadProfiles').flatMap((input) => input.ids)).toContain('former-member');
  });
});

describe('mergeMessages', () => {
  it('keeps a change when a page read before it arrives after it', () => {
    const reacted = messageWith({ seq: 2, revision: 1, reactions: thumbsUpBy('bob') });
    const stalePage = messages('c1', 1, 3);
    expect(mergeMessages([reacted], stalePage)[1]).toBe(reacted);
  });
});
