import { describe, expect, it } from 'bun:test';
import { toAppError } from '@gopherchat/sdk';
import { signedInClient } from '../../testing/accounts.ts';
import { eventually } from '../../testing/collect.ts';
import { backends, clientId, eventsOf, eventsOfKind, type Person, person, text } from '../../testing/people.ts';
import { startTestServer } from '../../testing/test-server.ts';

async function sendTexts(from: Person, conversationId: string, count: number) {
  for (let index = 0; index < count; index++) {
    await from.api.messages.send.mutate({ conversationId, clientMessageId: clientId(), content: text(`m${index}`) });
  }
}

async function pointersOf(viewer: Person, conversationId: string) {
  const members = await viewer.api.conversations.members.query({ conversationId });
  return new Map(members.map((member) => [member.userId, [member.lastDeliveredSeq, member.lastReadSeq]]));
}

describe.each(backends)('receipts over $name', ({ database, bus }) => {
  const start = () => startTestServer({ label: 'receipts', database, bus });

  it('tells the sender live when the recipient has received, then read, their messages', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    using adas = eventsOf(ada);
    await adas.started;
    await sendTexts(ada, conversationId, 2); // seq 2 and 3

    await bob.api.receipts.markDelivered.mutate({ pointers: [{ conversationId, seq: 3 }] });
    await eventually(() => eventsOfKind(adas.events, 'receipts').length === 1, 'the delivered receipt');
    expect(eventsOfKind(adas.events, 'receipts')[0]).toEqual({
      kind: 'receipts',
      conversationId,
      // Bob has seen the note of the conversation's start (seq 1), which brought him in.
      receipts: [{ userId: bob.id, lastDeliveredSeq: 3, lastReadSeq: 1 }],
    });

    await bob.api.receipts.markRead.mutate({ conversationId, seq: 2 });
    await eventually(() => eventsOfKind(adas.events, 'receipts').length === 2, 'the read receipt');
    expect(eventsOfKind(adas.events, 'receipts')[1]?.receipts).toEqual([
      { userId: bob.id, lastDeliveredSeq: 3, lastReadSeq: 2 },
    ]);

    // What the live events said is also what a fresh look finds.
    expect((await pointersOf(ada, conversationId)).get(bob.id)).toEqual([3, 2]);
    const [bobsView] = await bob.api.conversations.list.query();
    expect(bobsView).toMatchObject({ lastDeliveredSeq: 3, lastReadSeq: 2, unreadCount: 1 });
    const [adasView] = await ada.api.conversations.list.query();
    expect(adasView?.peer).toMatchObject({ userId: bob.id, lastDeliveredSeq: 3, lastReadSeq: 2 });
  });

  it('never moves a pointer backwards, whatever order the updates arrive in, nor past the last message', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Ticks',
      memberIds: [bob.id],
    });
    await sendTexts(ada, conversationId, 5); // seq 2…6

    await bob.api.receipts.markRead.mutate({ conversationId, seq: 5 });
    // Late and stale: a slower tab, a retried request.
    await bob.api.receipts.markRead.mutate({ conversationId, seq: 3 });
    await bob.api.receipts.markDelivered.mutate({ pointers: [{ conversationId, seq: 2 }] });
    expect((await pointersOf(ada, conversationId)).get(bob.id)).toEqual([5, 5]);

    // Racing each other in one batch: the furthest wins.
    await Promise.all(
      [4, 6, 2, 5].map((seq) => bob.api.receipts.markDelivered.mutate({ pointers: [{ conversationId, seq }] })),
    );
    expect((await pointersOf(ada, conversationId)).get(bob.id)).toEqual([6, 5]);

    // A pointer past the newest message stops at it.
    await bob.api.receipts.markRead.mutate({ conversationId, seq: 1_000 });
    expect((await pointersOf(ada, conversationId)).get(bob.id)).toEqual([6, 6]);
  });

  it('sends one event per conversation for a burst of receipts, and none when nothing moved', async () => {
    await using t = await start();
    const [ada, bob, cy] = [await person(t), await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Burst',
      memberIds: [bob.id, cy.id],
    });
    await sendTexts(ada, conversationId, 3);
    using adas = eventsOf(ada);
    await adas.started;

    await Promise.all([
      bob.api.receipts.markDelivered.mutate({ pointers: [{ conversationId, seq: 4 }] }),
      cy.api.receipts.markDelivered.mutate({ pointers: [{ conversationId, seq: 4 }] }),
    ]);
    await eventually(
      () => eventsOfKind(adas.events, 'receipts').flatMap((event) => event.receipts).length === 2,
      'both receipts',
    );
    expect(eventsOfKind(adas.events, 'receipts')).toHaveLength(1);

    await bob.api.receipts.markDelivered.mutate({ pointers: [{ conversationId, seq: 4 }] });
    await ada.api.messages.send.mutate({ conversationId, clientMessageId: clientId(), content: text('marker') });
    await eventually(() => adas.events.at(-1)?.event.kind === 'message', 'the marker');
    expect(eventsOfKind(adas.events, 'receipts')).toHaveLength(1);
  });

  it("moves the reader's unread count on their other devices", async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    await sendTexts(ada, conversationId, 3);
    await using bobsPhone = signedInClient(t.url, bob.accessToken);
    using phoneEvents = eventsOf(bobsPhone);
    await phoneEvents.started;

    await bob.api.receipts.markRead.mutate({ conversationId, seq: 4 });
    await eventually(() => eventsOfKind(phoneEvents.events, 'receipts').length === 1, "the laptop's read receipt");
    expect(eventsOfKind(phoneEvents.events, 'receipts')[0]?.receipts).toEqual([
      { userId: bob.id, lastDeliveredSeq: 4, lastReadSeq: 4 },
    ]);
    const [onPhone] = await bobsPhone.api.conversations.list.query();
    expect(onPhone?.unreadCount).toBe(0);
  });

  if (bus === 'redis') {
    it('keeps ticks and unread counts right across instances', async () => {
      await using first = await start();
      await using second = await startTestServer({
        label: 'receipts',
        database,
        bus,
        shared: { databaseUrl: first.databaseUrl, redisKeyPrefix: first.redisKeyPrefix },
      });
      const [ada, bob] = [await person(first), await person(first)];
      const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
      await sendTexts(ada, conversationId, 2);
      // Ada watches from the second instance, Bob's phone too; Bob reads on the first.
      await using adaOnSecond = signedInClient(second.url, ada.accessToken);
      await using bobsPhone = signedInClient(second.url, bob.accessToken);
      using adas = eventsOf(adaOnSecond);
      using phone = eventsOf(bobsPhone);
      await Promise.all([adas.started, phone.started]);

      await bob.api.receipts.markRead.mutate({ conversationId, seq: 3 });
      const expected = [{ userId: bob.id, lastDeliveredSeq: 3, lastReadSeq: 3 }];
      await eventually(() => eventsOfKind(adas.events, 'receipts').length === 1, 'the receipt, on the other instance');
      expect(eventsOfKind(adas.events, 'receipts')[0]?.receipts).toEqual(expected);
      await eventually(() => eventsOfKind(phone.events, 'receipts').length === 1, "Bob's phone");
      expect((await bobsPhone.api.conversations.list.query())[0]?.unreadCount).toBe(0);
    });
  }

  it('refuses read receipts from outsiders, and drops delivery receipts for conversations left', async () => {
    await using t = await start();
    const [ada, bob, eve] = [await person(t), await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Closed',
      memberIds: [bob.id],
    });
    await sendTexts(ada, conversationId, 1);

    const outsider = await eve.api.receipts.markRead.mutate({ conversationId, seq: 1 }).catch(toAppError);
    expect(outsider).toMatchObject({ appCode: 'NOT_FOUND' });
    await eve.api.receipts.markDelivered.mutate({ pointers: [{ conversationId, seq: 2 }] });
    expect((await pointersOf(ada, conversationId)).has(eve.id)).toBe(false);

    await bob.api.conversations.leave.mutate({ conversationId });
    await bob.api.receipts.markDelivered.mutate({ pointers: [{ conversationId, seq: 2 }] });
    expect([...(await pointersOf(ada, conversationId)).keys()]).toEqual([ada.id]);

    const invalid = await bob.api.receipts.markDelivered.mutate({ pointers: [] }).catch(toAppError);
    expect(invalid).toMatchObject({ appCode: 'INVALID_INPUT' });
  });
});
