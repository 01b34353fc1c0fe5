import { describe, expect, it } from 'bun:test';
import { PINS_PER_CONVERSATION_MAX } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import {
  backends,
  clientId,
  crewWithNotes,
  eventsOf,
  eventsOfKind,
  type Person,
  person,
  text,
} from '../../testing/people.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

/** Ada's group with Bob (a member), `count` messages of Bob's in it, and how each pins and lists. */
async function groupWith(t: TestServer, count = 1) {
  const { ada, bob, conversationId, seqs } = await crewWithNotes(t, count);
  const pin = (who: Person, seq: number) => who.api.messages.pin.mutate({ conversationId, seq });
  const unpin = (who: Person, seq: number) => who.api.messages.unpin.mutate({ conversationId, seq });
  const pinned = (who: Person) => who.api.messages.pinned.query({ conversationId });
  return { ada, bob, conversationId, seqs, pin, unpin, pinned };
}

describe.each(backends)('pinned messages over $name', ({ database, bus }) => {
  const start = () => startTestServer({ label: 'pins', database, bus });

  it('lets a group’s owner and admins pin, lists the latest pinned first, and unpins', async () => {
    await using t = await start();
    const { ada, bob, conversationId, seqs, pin, unpin, pinned } = await groupWith(t, 3);
    const [first = 0, second = 0] = seqs;

    expect(await pin(bob, first).catch(toAppError)).toMatchObject({ appCode: 'FORBIDDEN' });
    const pinnedOne = await pin(ada, first);
    expect(pinnedOne).toMatchObject({ seq: first, pinnedBy: ada.id, revision: 1 });
    // Pinning again changes nothing.
    expect((await pin(ada, first)).revision).toBe(1);
    await ada.api.conversations.setRole.mutate({ conversationId, userId: bob.id, role: 'admin' });
    await pin(bob, second);
    expect((await pinned(ada)).map((message) => message.seq)).toEqual([second, first]);

    await unpin(ada, second);
    expect((await pinned(bob)).map((message) => message.seq)).toEqual([first]);
    // Unpinning what is not pinned is no error.
    expect((await unpin(ada, second)).pinnedAt).toBeNull();
  });

  it('lets both people pin in a direct conversation, and tells everyone live with a note', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    const { seq } = await ada.api.messages.send.mutate({
      conversationId,
      clientMessageId: clientId(),
      content: text('the address'),
    });
    const live = eventsOf(ada);
    await live.started;
    await bob.api.messages.pin.mutate({ conversationId, seq });
    await live.waitFor(2);
    expect(eventsOfKind(live.events, 'message_updated')[0]?.message).toMatchObject({ seq, pinnedBy: bob.id });
    expect(eventsOfKind(live.events, 'message')[0]?.message.content).toEqual({
      type: 'system',
      event: { kind: 'pinned', by: bob.id, seq },
    });
    live[Symbol.dispose]();
  });

  it('refuses system notes, deleted messages, outsiders and a pin past the limit, and unpins what is deleted', async () => {
    await using t = await start();
    const { ada, bob, conversationId, seqs, pin, pinned } = await groupWith(t, 2);
    const outsider = await person(t);
    expect(await pin(ada, 1).catch(toAppError)).toMatchObject({ appCode: 'INVALID_INPUT' });
    expect(await pin(outsider, seqs[0] ?? 0).catch(toAppError)).toMatchObject({ appCode: 'NOT_FOUND' });
    expect(await outsider.api.messages.pinned.query({ conversationId }).catch(toAppError)).toMatchObject({
      appCode: 'NOT_FOUND',
    });

    await pin(ada, seqs[0] ?? 0);
    await bob.api.messages.delete.mutate({ conversationId, seq: seqs[0] ?? 0 });
    expect(await pinned(ada)).toEqual([]);
    expect(await pin(ada, seqs[0] ?? 0).catch(toAppError)).toMatchObject({ appCode: 'INVALID_INPUT' });

    for (let index = 0; index < PINS_PER_CONVERSATION_MAX; index++) {
      const { seq } = await ada.api.messages.send.mutate({
        conversationId,
        clientMessageId: clientId(),
        content: text(`pin ${index}`),
      });
      await pin(ada, seq);
    }
    const tooMany = await pin(ada, seqs[1] ?? 0).catch(toAppError);
    expect(tooMany).toMatchObject({ appCode: 'INVALID_INPUT' });
    expect((await pinned(ada)).length).toBe(PINS_PER_CONVERSATION_MAX);
  });
});
