import { describe, expect, it } from 'bun:test';
import { toAppError } from '@gopherchat/sdk';
import { createManualClock } from '../../platform/clock/index.ts';
import { eventually } from '../../testing/collect.ts';
import { backends, clientId, eventsOf, type Person, person, text, texts } from '../../testing/people.ts';
import { startTestServer } from '../../testing/test-server.ts';

describe.each(backends)('conversations over $name', ({ database, bus }) => {
  const start = () => startTestServer({ label: 'conversations', database, bus });

  it('keeps one direct conversation per pair and lists it with its last message and unread count', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const first = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    const again = await bob.api.conversations.createDirect.mutate({ userId: ada.id });
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ kind: 'direct', title: bob.username, peer: { userId: bob.id }, memberCount: 2 });

    await ada.api.messages.send.mutate({ conversationId: first.id, clientMessageId: clientId(), content: text('hi') });
    await ada.api.messages.send.mutate({
      conversationId: first.id,
      clientMessageId: clientId(),
      content: text('you?'),
    });
    const [bobsView] = await bob.api.conversations.list.query();
    // Two messages are news to Bob; the note that Ada started the conversation is not (a new one showed unread).
    expect(bobsView).toMatchObject({ id: first.id, title: ada.username, unreadCount: 2, lastMessage: { seq: 3 } });
    expect(bobsView?.lastMessage?.content).toEqual(text('you?'));
    const [adasView] = await ada.api.conversations.list.query();
    expect(adasView?.unreadCount).toBe(0);

    const self = await ada.api.conversations.createDirect.mutate({ userId: ada.id }).catch(toAppError);
    expect(self).toMatchObject({ appCode: 'INVALID_INPUT' });
  });

  it('makes a send idempotent on its client id, and refuses the same id for different content', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Crew',
      memberIds: [bob.id],
    });
    const input = { conversationId, clientMessageId: clientId(), content: text('exactly once') };
    // The original and two retries racing it (a lost acknowledgement, a reconnect).
    const [original, ...retries] = await Promise.all([
      ada.api.messages.send.mutate(input),
      ada.api.messages.send.mutate(input),
      ada.api.messages.send.mutate(input),
    ]);
    for (const retry of retries) expect(retry).toEqual(original as NonNullable<typeof original>);
    const later = await ada.api.messages.send.mutate(input);
    expect(later).toEqual(original as NonNullable<typeof original>);

    const conflict = await ada.api.messages.send
      .mutate({ ...input, content: text('something else') })
      .catch(toAppError);
    expect(conflict).toMatchObject({ appCode: 'CONFLICT' });
    // Another sender may use the same client id: ids are unique per sender.
    const bobs = await bob.api.messages.send.mutate({ ...input, content: text('mine') });
    expect(bobs.seq).toBe((original?.seq ?? 0) + 1);

    const page = await ada.api.messages.history.query({ conversationId });
    expect(page.messages.map((message) => message.content)).toEqual([
      { type: 'system', event: { kind: 'created', by: ada.id } },
      text('exactly once'),
      text('mine'),
    ]);
  });

  it('numbers concurrent sends in each conversation 1, 2, 3 … with no gap, and acknowledges each with its own message', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    // Three conversations written at once: the group commit batches sends across them.
    const rooms = await Promise.all(
      ['Load', 'More load', 'Even more'].map((title) =>
        ada.api.conversations.createGroup.mutate({ title, memberIds: [bob.id] }),
      ),
    );
    const sent = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        (index % 2 ? ada : bob).api.messages.send.mutate({
          conversationId: rooms[index % 3]?.id ?? '',
          clientMessageId: clientId(),
          content: text(`m${index}`),
        }),
      ),
    );
    for (const room of rooms) {
      const seqs = sent.filter((message) => message.conversationId === room.id).map((message) => message.seq);
      // seq 1 is the "created" note.
      expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 2));
    }
    const sentTexts = new Set(sent.map((message) => (message.content.type === 'text' ? message.content.text : '')));
    expect(sentTexts.size).toBe(60);
    // Each sender has read up to their own newest message, and no further.
    for (const who of [ada, bob]) {
      for (const summary of await who.api.conversations.list.query()) {
        const newestOwn = Math.max(
          ...sent.filter((m) => m.conversationId === summary.id && m.senderId === who.id).map((m) => m.seq),
        );
        expect(summary.unreadCount).toBe(21 - newestOwn);
      }
    }
  });

  it('pages through history with cursors in both directions', async () => {
    await using t = await start();
    const ada = await person(t);
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({ title: 'Log', memberIds: [] });
    for (let index = 1; index <= 25; index++) {
      await ada.api.messages.send.mutate({ conversationId, clientMessageId: clientId(), content: text(`#${index}`) });
    }
    const newest = await ada.api.messages.history.query({ conversationId, limit: 10 });
    expect(newest.messages.map((message) => message.seq)).toEqual([17, 18, 19, 20, 21, 22, 23, 24, 25, 26]);
    expect(newest.hasMore).toBe(true);
    const older = await ada.api.messages.history.query({ conversationId, before: 17, limit: 10 });
    expect(older.messages.map((message) => message.seq)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    const oldest = await ada.api.messages.history.query({ conversationId, before: 7, limit: 10 });
    expect(oldest).toMatchObject({ hasMore: false });
    expect(oldest.messages.map((message) => message.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const forward = await ada.api.messages.history.query({ conversationId, after: 20, limit: 3 });
    expect(forward.messages.map((message) => message.seq)).toEqual([21, 22, 23]);
    expect(forward.hasMore).toBe(true);

    const both = await ada.api.messages.history.query({ conversationId, before: 5, after: 2 }).catch(toAppError);
    expect(both).toMatchObject({ appCode: 'INVALID_INPUT' });
    const tooMany = await ada.api.messages.history.query({ conversationId, limit: 101 }).catch(toAppError);
    expect(tooMany).toMatchObject({ appCode: 'INVALID_INPUT' });
  });

  it('keeps outsiders out of a conversation, whatever they try', async () => {
    await using t = await start();
    const [ada, bob, eve] = [await person(t), await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    const attempts = await Promise.all(
      [
        eve.api.messages.send.mutate({ conversationId, clientMessageId: clientId(), content: text('let me in') }),
        eve.api.messages.history.query({ conversationId }),
        eve.api.conversations.get.query({ conversationId }),
        eve.api.messages.delete.mutate({ conversationId, seq: 1 }),
      ].map((attempt) => attempt.catch(toAppError)),
    );
    for (const attempt of attempts) expect(attempt).toMatchObject({ appCode: 'NOT_FOUND' });
    const history = await ada.api.messages.history.query({ conversationId });
    expect(history.messages).toHaveLength(1);
  });

  it('edits and deletes (as a tombstone) only what the rules allow', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Edits',
      memberIds: [bob.id],
    });
    const mine = await bob.api.messages.send.mutate({
      conversationId,
      clientMessageId: clientId(),
      content: text('typo'),
    });
    const edited = await bob.api.messages.edit.mutate({ conversationId, seq: mine.seq, content: text('fixed') });
    expect(edited).toMatchObject({ seq: mine.seq, content: text('fixed') });
    expect(edited.editedAt).not.toBeNull();
    const notYours = await ada.api.messages.edit
      .mutate({ conversationId, seq: mine.seq, content: text('hijack') })
      .catch(toAppError);
    expect(notYours).toMatchObject({ appCode: 'FORBIDDEN' });
    // The owner may delete anyone's message; what remains is a tombstone in the same place.
    const deleted = await ada.api.messages.delete.mutate({ conversationId, seq: mine.seq });
    expect(deleted).toMatchObject({ seq: mine.seq, content: { type: 'deleted' } });
    const page = await bob.api.messages.history.query({ conversationId });
    expect(page.messages.map((message) => message.content.type)).toEqual(['system', 'deleted']);
  });

  it('delivers every event once, in order, and resumes after a gap with exactly the missed events', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Live',
      memberIds: [bob.id],
    });
    const send = (who: Person, value: string) =>
      who.api.messages.send.mutate({ conversationId, clientMessageId: clientId(), content: text(value) });

    const live = eventsOf(bob);
    await live.started;
    for (const value of ['one', 'two', 'three']) await send(ada, value);
    await live.waitFor(3);
    live[Symbol.dispose]();
    const lastSeen = live.events.at(-1)?.id ?? '';
    expect(texts(live.events)).toEqual(['one', 'two', 'three']);

    // Offline: others keep talking.
    await Promise.all(['four', 'five', 'six', 'seven'].map((value, index) => send(index % 2 ? bob : ada, value)));
    const page = await bob.api.messages.history.query({ conversationId, after: 4 });
    const expectedGap = page.messages.map((message) => (message.content.type === 'text' ? message.content.text : ''));

    const resumed = eventsOf(bob, lastSeen);
    await resumed.started;
    await send(ada, 'eight');
    await resumed.waitFor(5);
    expect(texts(resumed.events)).toEqual([...expectedGap, 'eight']);
    const ids = resumed.events.map((entry) => BigInt(entry.id));
    expect(ids.every((id, index) => index === 0 || id >= (ids[index - 1] ?? 0n))).toBe(true);
    expect(ids[0]).toBeGreaterThan(BigInt(lastSeen));
    resumed[Symbol.dispose]();
  });

  it('tells a client too far behind to resync instead of replaying', async () => {
    await using t = await start();
    const ada = await person(t);
    const stale = eventsOf(ada, '999999999');
    await stale.waitFor(1);
    expect(stale.events[0]?.event).toEqual({ kind: 'resync' });
    stale[Symbol.dispose]();
  });

  it('prunes events past the retention, and tells a client resuming from before them to resync', async () => {
    // A retention of a second and a half: what is sent now is prunable once the clock has moved on.
    const clock = createManualClock(Date.now());
    await using t = await startTestServer({
      label: 'conversations',
      database,
      bus,
      env: { EVENT_LOG_RETENTION_HOURS: String(1.5 / 3600) },
      clock,
    });
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Old',
      memberIds: [bob.id],
    });
    const send = (value: string) =>
      ada.api.messages.send.mutate({ conversationId, clientMessageId: clientId(), content: text(value) });
    const live = eventsOf(bob);
    await live.started;
    await send('seen');
    await live.waitFor(1);
    live[Symbol.dispose]();
    const lastSeen = live.events.at(-1)?.id ?? '';

    await send('missed, then pruned');
    clock.advance(1_600);
    await send('newest'); // recent: kept
    const pruned = await t.server.app.services.conversations.pruneEvents();
    expect(pruned).toBeGreaterThanOrEqual(2);

    const resumed = eventsOf(bob, lastSeen);
    await resumed.waitFor(1);
    expect(resumed.events[0]?.event).toEqual({ kind: 'resync' });
    await send('after the resync');
    await eventually(() => texts(resumed.events).includes('after the resync'), 'live events after the resync');
    // What the log no longer holds is never replayed as if it were the whole gap.
    expect(texts(resumed.events)).toEqual(['after the resync']);
    resumed[Symbol.dispose]();
    // History keeps every message: only the live log is pruned.
    const history = await bob.api.messages.history.query({ conversationId, limit: 10 });
    expect(history.messages.map((message) => message.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('stops delivering to a removed member at once, and tells them', async () => {
    await using t = await start();
    const [ada, bob, cat] = [await person(t), await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Club',
      memberIds: [bob.id, cat.id],
    });
    const bobsEvents = eventsOf(bob);
    const catsEvents = eventsOf(cat);
    await Promise.all([bobsEvents.started, catsEvents.started]);

    await ada.api.messages.send.mutate({ conversationId, clientMessageId: clientId(), content: text('before') });
    await ada.api.conversations.removeMember.mutate({ conversationId, userId: bob.id });
    await ada.api.messages.send.mutate({ conversationId, clientMessageId: clientId(), content: text('after') });
    await catsEvents.waitFor(3);
    await eventually(
      () => bobsEvents.events.some(({ event }) => event.kind === 'removed_from_conversation'),
      'removal',
    );
    expect(texts(bobsEvents.events)).toEqual(['before']);
    expect(texts(catsEvents.events)).toEqual(['before', 'after']);

    const sendAfterRemoval = await bob.api.messages.send
      .mutate({ conversationId, clientMessageId: clientId(), content: text('still here?') })
      .catch(toAppError);
    expect(sendAfterRemoval).toMatchObject({ appCode: 'NOT_FOUND' });
    const rejoin = await bob.api.conversations.addMembers
      .mutate({ conversationId, userIds: [bob.id] })
      .catch(toAppError);
    expect(rejoin).toMatchObject({ appCode: 'NOT_FOUND' });
    bobsEvents[Symbol.dispose]();
    catsEvents[Symbol.dispose]();
  });

  it('starts delivering to an added member, and hands ownership on when the owner leaves', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({ title: 'Grow', memberIds: [] });
    const bobsEvents = eventsOf(bob);
    await bobsEvents.started;
    const notYet = await bob.api.messages.history.query({ conversationId }).catch(toAppError);
    expect(notYet).toMatchObject({ appCode: 'NOT_FOUND' });

    const grown = await ada.api.conversations.addMembers.mutate({ conversationId, userIds: [bob.id] });
    expect(grown.memberCount).toBe(2);
    await ada.api.messages.send.mutate({ conversationId, clientMessageId: clientId(), content: text('welcome') });
    await eventually(() => texts(bobsEvents.events).includes('welcome'), 'welcome');
    expect(bobsEvents.events[0]?.event).toEqual({ kind: 'conversation_updated', conversationId });

    await ada.api.conversations.leave.mutate({ conversationId });
    const members = await bob.api.conversations.members.query({ conversationId });
    expect(members).toEqual([expect.objectContaining({ userId: bob.id, role: 'owner' })]);
    const renamed = await bob.api.conversations.rename.mutate({ conversationId, title: 'Mine now' });
    expect(renamed.title).toBe('Mine now');
    bobsEvents[Symbol.dispose]();
  });
});

describe('two instances sharing PostgreSQL and Redis', () => {
  it('lets people on different instances converse, everyone seeing every message once, in the same order', async () => {
    await using first = await startTestServer({ label: 'two-instances', bus: 'redis' });
    await using second = await startTestServer({
      label: 'two-instances',
      bus: 'redis',
      shared: { databaseUrl: first.databaseUrl, redisKeyPrefix: first.redisKeyPrefix },
    });
    const [ada, bob] = [await person(first), await person(second)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Bridge',
      memberIds: [bob.id],
    });
    const adasEvents = eventsOf(ada);
    const bobsEvents = eventsOf(bob);
    await Promise.all([adasEvents.started, bobsEvents.started]);

    const rounds = 40;
    await Promise.all(
      Array.from({ length: rounds }, (_, index) =>
        (index % 2 ? bob : ada).api.messages.send.mutate({
          conversationId,
          clientMessageId: clientId(),
          content: text(`r${index}`),
        }),
      ),
    );
    await adasEvents.waitFor(rounds);
    await bobsEvents.waitFor(rounds);
    const history = await ada.api.messages.history.query({ conversationId, after: 1, limit: 100 });
    // Both instances' batches took their seqs under the log's lock: one run, no gap, none twice.
    expect(history.messages.map((message) => message.seq)).toEqual(
      Array.from({ length: rounds }, (_, index) => index + 2),
    );
    const committedOrder = history.messages.map((message) =>
      message.content.type === 'text' ? message.content.text : '',
    );
    expect(texts(adasEvents.events)).toEqual(committedOrder);
    expect(texts(bobsEvents.events)).toEqual(committedOrder);
    adasEvents[Symbol.dispose]();
    bobsEvents[Symbol.dispose]();
  });
});
