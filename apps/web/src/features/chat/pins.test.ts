import { describe, expect, it } from 'bun:test';
import type { Message } from '@gopherchat/api';
import { openConversation } from '../../testing/chat-under-test.ts';
import { ME, messageWith, Refusal } from '../../testing/fake-chat.ts';

describe('pinning in the chat', () => {
  it('shows a pin at once, keeps the server’s copy once answered, and unpins', async () => {
    const t = await openConversation();
    const answer = Promise.withResolvers<Message>();
    t.server.answers.pin = () => answer.promise;
    const pinning = t.chat.setPinned('c1', 10, true);
    expect(t.state.timelines.c1?.unconfirmed[10]).toMatchObject({ pinnedBy: ME.id });
    answer.resolve(
      messageWith({ seq: 10, senderId: 'bob', revision: 1, pinnedAt: '2030-01-02T00:00:00.000Z', pinnedBy: ME.id }),
    );
    await pinning;
    expect(t.state.timelines.c1?.unconfirmed).toEqual({});
    expect(t.state.timelines.c1?.messages.at(-1)).toMatchObject({ pinnedAt: '2030-01-02T00:00:00.000Z' });

    await t.chat.setPinned('c1', 10, false);
    expect(t.server.callsTo('unpin')).toEqual([{ conversationId: 'c1', seq: 10 }]);
    expect(t.state.timelines.c1?.messages.at(-1)?.pinnedAt).toBeNull();
  });

  it('shows the message unpinned again when the server refuses, saying why', async () => {
    const t = await openConversation();
    t.server.answers.pin = async () => {
      throw new Refusal({ appCode: 'FORBIDDEN', userMessage: 'Only the group’s owner and admins can pin messages.' });
    };
    await t.chat.setPinned('c1', 10, true);
    expect(t.state.timelines.c1?.unconfirmed).toEqual({});
    expect(t.state.timelines.c1?.messages.at(-1)?.pinnedAt).toBeNull();
    expect(t.chat.notice()?.text).toBe('Only the group’s owner and admins can pin messages.');
  });
});
