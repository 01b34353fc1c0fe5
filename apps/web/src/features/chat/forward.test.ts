import { describe, expect, it } from 'bun:test';
import type { Message } from '@gopherchat/api';
import { chatUnderTest, openConversation } from '../../testing/chat-under-test.ts';
import { messageWith, Refusal, summary } from '../../testing/fake-chat.ts';
import { conversationsMatching } from './conversation-filter.ts';

describe('forwarding in the chat', () => {
  it('sends a copy to the conversation picked, shows it there, and says where it went', async () => {
    const t = chatUnderTest();
    t.server.answers.listConversations = async () => [summary('c1'), { ...summary('c2'), title: 'Crew' }];
    await t.start();
    const original = messageWith({ seq: 10 });
    const copy: Message = messageWith({
      conversationId: 'c2',
      seq: 1,
      senderId: 'me',
      content: { type: 'text', text: 'message 10', forwardedFrom: { senderName: 'Bob' } },
    });
    t.server.answers.forwardMessage = async () => copy;
    await t.chat.forward(original, 'c2');
    expect(t.server.callsTo('forwardMessage')).toEqual([
      { conversationId: 'c1', seq: 10, toConversationId: 'c2', clientMessageId: expect.any(String) },
    ]);
    expect(t.state.conversations.c2?.lastMessage).toMatchObject({ seq: 1 });
    expect(t.chat.notice()?.text).toBe('Forwarded to Crew.');
  });

  it('says why a forward was refused', async () => {
    const t = await openConversation();
    t.server.answers.forwardMessage = async () => {
      throw new Refusal({ appCode: 'INVALID_INPUT', userMessage: 'That file is still being processed.' });
    };
    await t.chat.forward(messageWith({ seq: 10 }), 'c1');
    expect(t.chat.notice()?.text).toBe('That file is still being processed.');
  });
});

describe('finding where to forward', () => {
  it('finds conversations by a part of their name, ignoring case and accents, and lists all for nothing typed', () => {
    const list = [
      { ...summary('c1'), title: 'Zoë Quinn' },
      { ...summary('c2'), title: 'Launch crew' },
    ];
    expect(conversationsMatching(list, 'zoe').map((found) => found.id)).toEqual(['c1']);
    expect(conversationsMatching(list, ' CREW ').map((found) => found.id)).toEqual(['c2']);
    expect(conversationsMatching(list, '  ')).toEqual(list);
    expect(conversationsMatching(list, 'nobody')).toEqual([]);
  });
});
