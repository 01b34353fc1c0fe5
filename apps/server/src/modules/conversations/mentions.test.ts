import { describe, expect, it } from 'bun:test';
import { MENTIONS_MAX } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import { backends, clientId, type Person, person, text } from '../../testing/people.ts';
import { startTestServer } from '../../testing/test-server.ts';

describe.each(backends)('mentions over $name', ({ database, bus }) => {
  const start = () => startTestServer({ label: 'mentions', database, bus });
  const send = (who: Person, conversationId: string, words: string) =>
    who.api.messages.send.mutate({ conversationId, clientMessageId: clientId(), content: text(words) });

  it('resolves @usernames to members as a message is sent, edited and deleted, and keeps them in history', async () => {
    await using t = await start();
    const [ada, bob, cy, outsider] = [await person(t), await person(t), await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Crew',
      memberIds: [bob.id, cy.id],
    });
    const bobMention = { id: bob.id, username: bob.username };

    // A member by name, whatever the case; someone outside, an email address and code are text.
    const sent = await send(
      ada,
      conversationId,
      `@${bob.username.toUpperCase()} see @${outsider.username}, ${cy.username}@example.com and \`@${cy.username}\``,
    );
    expect(sent.mentions).toEqual({ users: [bobMention] });
    const plain = await send(ada, conversationId, 'no one in particular');
    expect(plain.mentions).toBeUndefined();
    const everyone = await send(bob, conversationId, `@here @${bob.username}`);
    expect(everyone.mentions).toEqual({ users: [bobMention], everyone: 'here' });

    const edited = await ada.api.messages.edit.mutate({
      conversationId,
      seq: sent.seq,
      content: text(`now @${cy.username} instead`),
    });
    expect(edited.mentions).toEqual({ users: [{ id: cy.id, username: cy.username }] });
    await bob.api.messages.delete.mutate({ conversationId, seq: everyone.seq });

    const { messages } = await cy.api.messages.history.query({ conversationId, limit: 10 });
    const bySeq = new Map(messages.map((message) => [message.seq, message.mentions]));
    expect(bySeq.get(sent.seq)).toEqual({ users: [{ id: cy.id, username: cy.username }] });
    expect(bySeq.get(plain.seq)).toBeUndefined();
    expect(bySeq.get(everyone.seq)).toBeUndefined();
  });

  it('lists each member’s unread mentions of them, by name or @all, until read', async () => {
    await using t = await start();
    const [ada, bob, cy] = [await person(t), await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Crew',
      memberIds: [bob.id, cy.id],
    });
    const byName = await send(ada, conversationId, `@${bob.username} hi`);
    const toAll = await send(ada, conversationId, '@all meeting at 3');
    await send(ada, conversationId, '@here anyone around?');
    const later = await send(cy, conversationId, `@${bob.username} later`);
    const unreadMentionsOf = async (who: Person) =>
      (await who.api.conversations.get.query({ conversationId })).unreadMentionSeqs;

    expect(await unreadMentionsOf(bob)).toEqual([byName.seq, toAll.seq, later.seq]);
    // Cy's own message read everything before it; Ada mentioned no one but others.
    expect(await unreadMentionsOf(cy)).toEqual([]);
    expect(await unreadMentionsOf(ada)).toEqual([]);
    await bob.api.receipts.markRead.mutate({ conversationId, seq: toAll.seq });
    expect(await unreadMentionsOf(bob)).toEqual([later.seq]);
    expect((await bob.api.conversations.list.query())[0]?.unreadMentionSeqs).toEqual([later.seq]);
  });

  it('refuses more than the most people a message may name, and changes nothing', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    const names = Array.from({ length: MENTIONS_MAX + 1 }, (_, index) => `@someone${index}`).join(' ');
    const refusal = await send(ada, conversationId, names).catch(toAppError);
    expect(refusal).toMatchObject({ appCode: 'INVALID_INPUT' });
    const { messages } = await ada.api.messages.history.query({ conversationId, limit: 10 });
    expect(messages.filter((message) => message.senderId === ada.id)).toEqual([]);
  });
});
