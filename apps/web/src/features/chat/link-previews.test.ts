import { describe, expect, it } from 'bun:test';
import { arrived, openConversation } from '../../testing/chat-under-test.ts';
import { ME, messageWith, Refusal } from '../../testing/fake-chat.ts';

const card = { url: 'https://example.com/', title: 'Example', description: null, siteName: null };

describe('link previews in the chat', () => {
  it('shows a card that arrives as an update, and takes it off when its sender removes it', async () => {
    const t = await openConversation();
    await t.receive(arrived(messageWith({ seq: 11, senderId: ME.id, content: { type: 'text', text: card.url } })));
    await t.receive({
      kind: 'message_updated',
      message: messageWith({ seq: 11, senderId: ME.id, revision: 1, linkPreview: card }),
    });
    expect(t.state.timelines.c1?.messages.at(-1)?.linkPreview).toEqual(card);

    t.server.answers.removePreview = async () => messageWith({ seq: 11, senderId: ME.id, revision: 2 });
    await t.chat.removePreview('c1', 11);
    expect(t.server.callsTo('removePreview')).toEqual([{ conversationId: 'c1', seq: 11 }]);
    expect(t.state.timelines.c1?.messages.at(-1)?.linkPreview).toBeUndefined();
  });

  it('says why a removal was refused', async () => {
    const t = await openConversation();
    t.server.answers.removePreview = async () => {
      throw new Refusal({ appCode: 'FORBIDDEN', userMessage: 'Only its sender can remove a link preview.' });
    };
    await t.chat.removePreview('c1', 10);
    expect(t.chat.notice()?.text).toBe('Only its sender can remove a link preview.');
  });
});
