import { describe, expect, it } from 'bun:test';
import { REACTIONS_PER_MESSAGE_MAX } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import { backends, clientId, eventsOf, eventsOfKind, type Person, person, text } from '../../testing/people.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

/** Ada's group with Bob (and Cy, who is not in it), holding one message of Ada's. */
async function groupWithMessage(t: TestServer) {
  const [ada, bob, cy] = [await person(t), await person(t), await person(t)];
  const { id: conversationId } = await ada.api.conversations.createGroup.mutate({ title: 'Crew', memberIds: [bob.id] });
  const { seq } = await ada.api.messages.send.mutate({
    conversationId,
    clientMessageId: clientId(),
    content: text('ship it?'),
  });
  const on = { conversationId, seq };
  const react = (who: Person, emoji: string) => who.api.messages.react.mutate({ ...on, emoji });
  const unreact = (who: Person, emoji: string) => who.api.messages.removeReaction.mutate({ ...on, emoji });
  const stored = async () =>
    (await ada.api.messages.history.query({ conversationId, after: seq - 1, limit: 1 })).messages[0];
  return { ada, bob, cy, conversationId, seq, react, unreact, stored };
}

describe.each(backends)('reactions over $name', ({ database, bus }) => {
  const start = () => startTestServer({ label: 'reactions', database, bus });

  it('counts each person once per emoji, in the order emoji were first used, and keeps them in history', async () => {
    await using t = await start();
    const { ada, bob, react, unreact, stored } = await groupWithMessage(t);

    await react(bob, '👍');
    await react(ada, '🎉');
    await react(ada, '👍');
    // Again, and spelled with the emoji variation selector as pickers write it: the same reaction.
    const again = await react(bob, '👍\uFE0F');
    expect(again.reactions).toEqual([
      { emoji: '👍', userIds: [bob.id, ada.id] },
      { emoji: '🎉', userIds: [ada.id] },
    ]);

    await unreact(ada, '🎉');
    // Taking back what is not there changes nothing, and is no error (a retry, another device).
    await unreact(ada, '🎉');
    const message = await stored();
    expect(message?.reactions).toEqual([{ emoji: '👍', userIds: [bob.id, ada.id] }]);
    // Four changes; the repeated add and the repeated removal were none.
    expect(message?.revision).toBe(4);
  });

  it('refuses what is not one emoji, outsiders, system notes, deleted messages and one emoji too many', async () => {
    await using t = await start();
    const { ada, bob, cy, conversationId, seq, react } = await groupWithMessage(t);

    for (const notOne of ['', 'a', '👍👍', ' 👍', ':+1:', '\u0000', '👍'.repeat(20)]) {
      expect(await react(bob, notOne).catch(toAppError)).toMatchObject({ appCode: 'INVALID_INPUT' });
    }
    expect(await react(bob, 'a').catch(toAppError)).toMatchObject({ userMessage: 'Pick one emoji.' });
    expect(await react(cy, '👍').catch(toAppError)).toMatchObject({ appCode: 'NOT_FOUND' });
    const systemNote = await bob.api.messages.react.mutate({ conversationId, seq: 1, emoji: '👍' }).catch(toAppError);
    expect(systemNote).toMatchObject({ appCode: 'INVALID_INPUT' });
    const missing = await bob.api.messages.react
      .mutate({ conversationId, seq: seq + 5, emoji: '👍' })
      .catch(toAppError);
    expect(missing).toMatchObject({ appCode: 'NOT_FOUND' });

    const many = [
      '😀',
      '😁',
      '😂',
      '🤣',
      '😃',
      '😄',
      '😅',
      '😆',
      '😉',
      '😊',
      '😋',
      '😎',
      '😍',
      '😘',
      '🥰',
      '😗',
      '😙',
      '😚',
      '🙂',
      '🤗',
      '🤩',
    ];
    for (const emoji of many.slice(0, REACTIONS_PER_MESSAGE_MAX)) await react(bob, emoji);
    const tooMany = await react(ada, many[REACTIONS_PER_MESSAGE_MAX] as string).catch(toAppError);
    expect(tooMany).toMatchObject({ appCode: 'INVALID_INPUT' });
    // One already there still counts.
    const joined = await react(ada, '😀');
    expect(joined.reactions[0]).toEqual({ emoji: '😀', userIds: [bob.id, ada.id] });

    await ada.api.messages.delete.mutate({ conversationId, seq });
    expect(await react(bob, '👍').catch(toAppError)).toMatchObject({ appCode: 'INVALID_INPUT' });
    const [tombstone] = (await bob.api.messages.history.query({ conversationId, after: seq - 1, limit: 1 })).messages;
    // Reactions go with what they reacted to.
    expect(tombstone?.reactions).toEqual([]);
  });

  it('shows reactions live to everyone in the conversation, and gives a reconnecting client those it missed', async () => {
    await using t = await start();
    const { ada, bob, conversationId, seq, react, unreact } = await groupWithMessage(t);

    const live = eventsOf(ada);
    await live.started;
    await react(bob, '❤');
    await live.waitFor(1);
    const [first] = eventsOfKind(live.events, 'reactions');
    // "❤" alone is drawn as text: it is stored as the emoji, with the selector.
    expect(first?.update).toEqual({ conversationId, seq, revision: 1, reactions: [{ emoji: '❤️', userIds: [bob.id] }] });
    live[Symbol.dispose]();
    const lastSeen = live.events.at(-1)?.id ?? '';

    // While Ada is away.
    await react(bob, '🚀');
    await unreact(bob, '❤️');
    const resumed = eventsOf(ada, lastSeen);
    await resumed.waitFor(2);
    expect(eventsOfKind(resumed.events, 'reactions').map(({ update }) => [update.revision, update.reactions])).toEqual([
      [
        2,
        [
          { emoji: '❤️', userIds: [bob.id] },
          { emoji: '🚀', userIds: [bob.id] },
        ],
      ],
      [3, [{ emoji: '🚀', userIds: [bob.id] }]],
    ]);
    resumed[Symbol.dispose]();
  });

  it('keeps every reaction of people reacting at once', async () => {
    await using t = await start();
    const { ada, bob, conversationId, react, stored } = await groupWithMessage(t);
    const others = await Promise.all(Array.from({ length: 6 }, () => person(t)));
    await ada.api.conversations.addMembers.mutate({ conversationId, userIds: others.map((other) => other.id) });
    const everyone = [ada, bob, ...others];

    await Promise.all(everyone.flatMap((who) => [react(who, '👍'), react(who, '👀')]));
    const message = await stored();
    const reactors = (emoji: string) =>
      new Set(message?.reactions.find((reaction) => reaction.emoji === emoji)?.userIds);
    expect(reactors('👍')).toEqual(new Set(everyone.map((who) => who.id)));
    expect(reactors('👀')).toEqual(new Set(everyone.map((who) => who.id)));
    expect(message?.revision).toBe(everyone.length * 2);
  });

  it('counts an edit as a change, so the edited copy is newer than any before it', async () => {
    await using t = await start();
    const { ada, bob, conversationId, seq, react } = await groupWithMessage(t);
    await react(bob, '👍');
    const edited = await ada.api.messages.edit.mutate({ conversationId, seq, content: text('ship it!') });
    expect(edited).toMatchObject({ revision: 2, reactions: [{ emoji: '👍', userIds: [bob.id] }] });
  });
});
