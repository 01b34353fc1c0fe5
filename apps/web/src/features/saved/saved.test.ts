import { describe, expect, it } from 'bun:test';
import { chatUnderTest, openConversation } from '../../testing/chat-under-test.ts';
import { Refusal } from '../../testing/fake-chat.ts';

describe('saved messages in the chat', () => {
  it('marks a message saved at once, keeps it once the server agrees, and takes it off again', async () => {
    const t = await openConversation();
    const answer = Promise.withResolvers<unknown>();
    t.server.answers.saveMessage = () => answer.promise;
    const saving = t.chat.saved.setSaved('c1', 10, true);
    expect(t.chat.saved.isSaved('c1', 10)).toBe(true);
    answer.resolve(undefined);
    await saving;
    expect(t.chat.saved.isSaved('c1', 10)).toBe(true);
    expect(t.server.callsTo('saveMessage')).toEqual([{ conversationId: 'c1', seq: 10 }]);

    await t.chat.saved.setSaved('c1', 10, false);
    expect(t.chat.saved.isSaved('c1', 10)).toBe(false);
    expect(t.server.callsTo('unsaveMessage')).toEqual([{ conversationId: 'c1', seq: 10 }]);
  });

  it('takes the mark back when the server refuses, saying why', async () => {
    const t = await openConversation();
    t.server.answers.saveMessage = async () => {
      throw new Refusal({ appCode: 'INVALID_INPUT', userMessage: 'You can keep at most 500 saved messages.' });
    };
    expect(await t.chat.saved.setSaved('c1', 10, true)).toBe(false);
    expect(t.chat.saved.isSaved('c1', 10)).toBe(false);
    expect(t.chat.notice()?.text).toBe('You can keep at most 500 saved messages.');
  });

  it('reads the marks each time the stream starts, follows my other devices, and keeps a change still asked', async () => {
    const t = chatUnderTest();
    t.server.answers.listSavedKeys = async () => [{ conversationId: 'c1', seq: 3 }];
    await t.start();
    expect(t.chat.saved.isSaved('c1', 3)).toBe(true);

    await t.receive({ kind: 'saved', conversationId: 'c1', seq: 4, isSaved: true });
    await t.receive({ kind: 'saved', conversationId: 'c1', seq: 3, isSaved: false });
    expect([t.chat.saved.isSaved('c1', 3), t.chat.saved.isSaved('c1', 4)]).toEqual([false, true]);

    // A list read while my save is on its way predates it: the save still shows.
    const answer = Promise.withResolvers<unknown>();
    t.server.answers.saveMessage = () => answer.promise;
    const saving = t.chat.saved.setSaved('c1', 5, true);
    t.server.answers.listSavedKeys = async () => [];
    await t.start();
    expect(t.chat.saved.isSaved('c1', 5)).toBe(true);
    expect(t.chat.saved.isSaved('c1', 4)).toBe(false);
    answer.resolve(undefined);
    await saving;
  });
});
