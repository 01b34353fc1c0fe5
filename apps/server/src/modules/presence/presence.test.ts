import { describe, expect, it } from 'bun:test';
import type { UserPresence } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import { registerAccount, signedInClient } from '../../testing/accounts.ts';
import { spawnCluster } from '../../testing/cluster.ts';
import { eventually } from '../../testing/collect.ts';
import { startInstancePairOnOwnRedis } from '../../testing/instance-pair.ts';
import { allEventsOf, backends, eventsOfKind, person } from '../../testing/people.ts';
import type { SpawnedServer } from '../../testing/spawn-server.ts';
import { startTestServer } from '../../testing/test-server.ts';

/** The staleness each presence event that changed it said, in order. */
function stalenessOf(events: Parameters<typeof eventsOfKind>[0]): boolean[] {
  return eventsOfKind(events, 'presence').flatMap((event) => (event.isStale === undefined ? [] : [event.isStale]));
}

/** Every presence update a subscriber got about `userId`, in order. */
function presenceOf(events: Parameters<typeof eventsOfKind>[0], userId: string): UserPresence[] {
  return eventsOfKind(events, 'presence').flatMap((event) => event.users.filter((user) => user.userId === userId));
}

describe.each(backends)('presence and typing over $name', ({ database, bus }) => {
  const start = (env: Record<string, string> = {}) => startTestServer({ label: 'presence', database, bus, env });

  it('shows a person online while any of their tabs is connected, to the people they share a conversation with', async () => {
    await using t = await start();
    const [ada, bob, eve] = [await person(t), await person(t), await person(t)];
    const direct = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    using bobs = allEventsOf(bob);
    using eves = allEventsOf(eve);
    await Promise.all([bobs.started, eves.started]);
    const adaToBob = () => presenceOf(bobs.events, ada.id);
    const presence = t.server.app.services.presence;
    // Bob's subscription opened with everyone he shares a conversation with: Ada, never seen.
    await eventually(() => adaToBob().length > 0, 'the greeting');
    expect(adaToBob()[0]).toEqual({ userId: ada.id, isOnline: false, lastSeenAt: null });

    using adasLaptop = allEventsOf(ada);
    await adasLaptop.started;
    await eventually(() => adaToBob().at(-1)?.isOnline === true, 'Ada online');
    // Ada's greeting has Bob online.
    await eventually(() => presenceOf(adasLaptop.events, bob.id).length > 0, "Ada's greeting");
    expect(presenceOf(adasLaptop.events, bob.id)[0]).toMatchObject({ isOnline: true });

    await using phone = signedInClient(t.url, ada.accessToken);
    using adasPhone = allEventsOf(phone);
    await adasPhone.started;
    const whileOnline = adaToBob().length;
    const connectionsWithLaptop = presence.connectionCount;
    adasLaptop[Symbol.dispose]();
    await eventually(() => presence.connectionCount === connectionsWithLaptop - 1, 'the laptop released');
    await presence.whenReleased();
    // Signalled after anything the release signalled, through the same hub: the barrier.
    await ada.api.conversations.typing.mutate({ conversationId: direct.id, isTyping: true });
    await eventually(() => eventsOfKind(bobs.events, 'typing').length === 1, 'the typing barrier');
    // The laptop closing changed nothing: the phone is still there.
    expect(adaToBob()).toHaveLength(whileOnline);

    const beforeLeaving = Date.now();
    adasPhone[Symbol.dispose]();
    await eventually(() => adaToBob().length > whileOnline, 'Ada offline');
    const [offline, ...more] = adaToBob().slice(whileOnline);
    expect(more).toEqual([]);
    expect(offline?.isOnline).toBe(false);
    expect(Date.parse(offline?.lastSeenAt ?? '')).toBeGreaterThanOrEqual(beforeLeaving - 1_000);
    // Eve shares nothing with Ada and heard nothing of her.
    expect(presenceOf(eves.events, ada.id)).toEqual([]);
  });

  it('shows a person away while every device of theirs is idle, and back when one is used or opened', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    using bobs = allEventsOf(bob);
    using adasLaptop = allEventsOf(ada);
    await Promise.all([bobs.started, adasLaptop.started]);
    const adaToBob = () => presenceOf(bobs.events, ada.id);
    await eventually(() => adaToBob().at(-1)?.isOnline === true, 'Ada online');

    // Her laptop's socket says she left it: away (her only device).
    await ada.api.presence.setIdle.mutate({ isIdle: true });
    await eventually(() => adaToBob().at(-1)?.isAway === true, 'Ada away');
    expect(adaToBob().at(-1)).toMatchObject({ userId: ada.id, isOnline: true, isAway: true });
    await ada.api.presence.setIdle.mutate({ isIdle: false });
    await eventually(() => adaToBob().at(-1)?.isAway === undefined, 'Ada back');

    // Away again; opening her phone brings her back.
    await ada.api.presence.setIdle.mutate({ isIdle: true });
    await eventually(() => adaToBob().at(-1)?.isAway === true, 'Ada away again');
    await using phone = signedInClient(t.url, ada.accessToken);
    using adasPhone = allEventsOf(phone);
    await adasPhone.started;
    await eventually(() => adaToBob().at(-1)?.isAway === undefined, 'Ada back on her phone');
    // The phone, the one in use, closes: away on the idle laptop.
    adasPhone[Symbol.dispose]();
    await eventually(() => adaToBob().at(-1)?.isAway === true, 'Ada away once the phone closed');
  });

  it('refuses an idle mark sent over HTTP: it concerns a socket', async () => {
    await using t = await start();
    const ada = await person(t);
    // The SDK sends it over the socket; a client of its own could try HTTP.
    const refused = await fetch(new URL('/trpc/presence.setIdle', t.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${ada.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ isIdle: true }),
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('"appCode":"INVALID_INPUT"');
  });

  it('tells people who start sharing a conversation whether the other is online', async () => {
    await using t = await start();
    const [ada, bob, cy] = [await person(t), await person(t), await person(t)];
    using adas = allEventsOf(ada);
    using bobs = allEventsOf(bob);
    await Promise.all([adas.started, bobs.started]);
    // Strangers so far: neither greeting mentioned the other.
    await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    await eventually(() => presenceOf(bobs.events, ada.id).at(-1)?.isOnline === true, 'Ada, to Bob');
    await eventually(() => presenceOf(adas.events, bob.id).at(-1)?.isOnline === true, 'Bob, to Ada');

    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({ title: 'Trio', memberIds: [] });
    await ada.api.conversations.addMembers.mutate({ conversationId, userIds: [cy.id] });
    await eventually(() => presenceOf(adas.events, cy.id).length === 1, 'Cy, to Ada');
    expect(presenceOf(adas.events, cy.id)[0]).toEqual({ userId: cy.id, isOnline: false, lastSeenAt: null });
  });

  it('introduces nobody when nobody joined: re-opening a direct conversation, or adding a member again', async () => {
    await using t = await start();
    const [ada, bob, cy] = [await person(t), await person(t), await person(t)];
    using adas = allEventsOf(ada);
    await adas.started;
    await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Pair',
      memberIds: [bob.id],
    });
    // Both conversations' introductions go to Ada and Bob together (after the commit, not awaited by it):
    // once Ada has both, Bob, not listening yet, has missed them, and his greeting covers them.
    await eventually(() => eventsOfKind(adas.events, 'presence').length === 2, 'both introductions, to Ada');
    using bobs = allEventsOf(bob);
    await bobs.started;
    await eventually(() => eventsOfKind(bobs.events, 'presence').length === 1, 'the greeting');

    await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    await ada.api.conversations.addMembers.mutate({ conversationId, userIds: [bob.id] });
    // Someone joining after those is introduced to Bob; nothing before it was.
    await ada.api.conversations.addMembers.mutate({ conversationId, userIds: [cy.id] });
    await eventually(() => presenceOf(bobs.events, cy.id).length === 1, 'Cy, to Bob');
    // Introductions go out after the commit: a later signal through the same hub is the barrier.
    await ada.api.conversations.typing.mutate({ conversationId, isTyping: true });
    await eventually(() => eventsOfKind(bobs.events, 'typing').length === 1, 'the typing barrier');
    expect(eventsOfKind(bobs.events, 'presence').map((event) => event.users.map((user) => user.userId))).toEqual([
      [ada.id],
      [cy.id],
    ]);
  });

  it('shows the others who is typing, never the typist, and only to members', async () => {
    await using t = await start({ TYPING_SIGNALS_PER_10S: '3' });
    const [ada, bob, eve] = [await person(t), await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Chatter',
      memberIds: [bob.id],
    });
    using adas = allEventsOf(ada);
    using bobs = allEventsOf(bob);
    using eves = allEventsOf(eve);
    await Promise.all([adas.started, bobs.started, eves.started]);

    await ada.api.conversations.typing.mutate({ conversationId, isTyping: true });
    await eventually(() => eventsOfKind(bobs.events, 'typing').length === 1, 'the typing signal');
    expect(eventsOfKind(bobs.events, 'typing')).toEqual([
      { kind: 'typing', conversationId, userId: ada.id, isTyping: true },
    ]);
    await ada.api.conversations.typing.mutate({ conversationId, isTyping: false });
    await eventually(() => eventsOfKind(bobs.events, 'typing').length === 2, 'the stop');
    expect(eventsOfKind(bobs.events, 'typing')[1]?.isTyping).toBe(false);

    const outsider = await eve.api.conversations.typing.mutate({ conversationId, isTyping: true }).catch(toAppError);
    expect(outsider).toMatchObject({ appCode: 'NOT_FOUND' });
    await ada.api.conversations.typing.mutate({ conversationId, isTyping: true });
    const tooFast = await ada.api.conversations.typing.mutate({ conversationId, isTyping: true }).catch(toAppError);
    expect(tooFast).toMatchObject({ appCode: 'RATE_LIMITED' });

    await eventually(() => eventsOfKind(bobs.events, 'typing').length === 3, 'the third signal');
    expect(eventsOfKind(adas.events, 'typing')).toEqual([]);
    expect(eventsOfKind(eves.events, 'typing')).toEqual([]);
  });

  it('keeps live signals out of the resumable stream: a resume neither repeats nor skips an entry', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    using first = allEventsOf(bob);
    await first.started;
    await ada.api.messages.send.mutate({
      conversationId,
      clientMessageId: 'one',
      content: { type: 'text', text: '1' },
    });
    await ada.api.conversations.typing.mutate({ conversationId, isTyping: true });
    await eventually(() => eventsOfKind(first.events, 'typing').length === 1, 'the typing signal');
    const lastId = first.events.at(-1)?.id;
    first[Symbol.dispose]();

    await ada.api.messages.send.mutate({
      conversationId,
      clientMessageId: 'two',
      content: { type: 'text', text: '2' },
    });
    using resumed = allEventsOf(bob, lastId);
    await eventually(() => eventsOfKind(resumed.events, 'message').length >= 1, 'the gap');
    // A message sent now comes after anything the resume could still replay: nothing came between.
    await ada.api.messages.send.mutate({
      conversationId,
      clientMessageId: 'three',
      content: { type: 'text', text: '3' },
    });
    await eventually(() => eventsOfKind(resumed.events, 'message').length >= 2, 'the barrier');
    expect(eventsOfKind(resumed.events, 'message').map((event) => event.message.clientMessageId)).toEqual([
      'two',
      'three',
    ]);
  });
});

describe('presence across instances', () => {
  it('shows a person offline once the instance holding their connection dies, once and for good', async () => {
    await using cluster = await spawnCluster({
      label: 'presence-crash',
      instances: 2,
      env: { PRESENCE_TTL_MS: '900' },
    });
    const [doomed, survivor] = cluster.servers as [SpawnedServer, SpawnedServer];
    const [adaToken, bobToken] = await Promise.all(
      ['ada', 'bob'].map((name) => registerAccount(survivor.url, `${name}${crypto.randomUUID().slice(0, 6)}`)),
    );
    await using ada = signedInClient(doomed.url, adaToken as string);
    await using bob = signedInClient(survivor.url, bobToken as string);
    const adaId = (await ada.api.auth.me.query()).id;
    const { id: conversationId } = await bob.api.conversations.createDirect.mutate({ userId: adaId });

    using bobs = allEventsOf(bob);
    await bobs.started;
    using adas = allEventsOf(ada);
    await adas.started;
    await eventually(() => presenceOf(bobs.events, adaId).at(-1)?.isOnline === true, 'Ada online');
    const updatesSoFar = presenceOf(bobs.events, adaId).length;

    doomed.process.kill('SIGKILL');
    // Nobody told anyone: her connection's TTL (900 ms) runs out and the survivor's sweep notices.
    await eventually(() => presenceOf(bobs.events, adaId).at(-1)?.isOnline === false, 'Ada offline', 5_000);
    // A message Bob sends now reaches him after anything the sweep had already sent: nothing else came.
    await bob.api.messages.send.mutate({
      conversationId,
      clientMessageId: 'after',
      content: { type: 'text', text: 'x' },
    });
    await eventually(
      () => eventsOfKind(bobs.events, 'message').some((event) => event.message.clientMessageId === 'after'),
      'the barrier',
    );
    expect(presenceOf(bobs.events, adaId).slice(updatesSoFar)).toEqual([
      { userId: adaId, isOnline: false, lastSeenAt: expect.any(String) },
    ]);
  });
});

describe('presence through a Redis outage', () => {
  it('is marked stale while Redis is silent and refreshed once it answers (a paused Redis froze presence unmarked)', async () => {
    await using pair = await startInstancePairOnOwnRedis('presence-pause');
    const { redis, one, two } = pair;
    const [ada, bob] = [await person(one), await person(two)];
    const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    using bobs = allEventsOf(bob);
    await bobs.started;
    using adas = allEventsOf(ada);
    await adas.started;
    await eventually(() => presenceOf(bobs.events, ada.id).at(-1)?.isOnline === true, 'Ada online, to Bob');
    expect(stalenessOf(bobs.events)).toEqual([]);

    // Nothing errs: each instance finds out by its probe, and tells the people connected to it.
    redis.pause();
    await eventually(() => stalenessOf(bobs.events).at(-1) === true, 'the stale mark, to Bob', 15_000);
    await eventually(() => stalenessOf(adas.events).at(-1) === true, 'the stale mark, to Ada', 15_000);
    expect(eventsOfKind(bobs.events, 'presence').at(-1)).toEqual({ kind: 'presence', users: [], isStale: true });
    // Someone connecting meanwhile is greeted with the mark, not with nothing (or a wait for Redis)…
    await using phone = signedInClient(one.url, ada.accessToken);
    using adasPhone = allEventsOf(phone);
    await adasPhone.started;
    await eventually(() => stalenessOf(adasPhone.events).at(-1) === true, 'the stale greeting');
    // …and reads through the cache fall back to the database instead of waiting for the paused Redis.
    const page = await bob.api.messages.history.query({ conversationId });
    expect(page.messages.map((message) => message.seq)).toEqual([1]);

    redis.resume();
    for (const [who, events] of [
      ['Bob', bobs.events],
      ['Ada', adas.events],
      ["Ada's phone", adasPhone.events],
    ] as const) {
      await eventually(() => stalenessOf(events).at(-1) === false, `the fresh snapshot, to ${who}`, 15_000);
    }
    const snapshot = eventsOfKind(bobs.events, 'presence').findLast((event) => event.isStale === false);
    expect(snapshot?.users).toEqual([{ userId: ada.id, isOnline: true, lastSeenAt: expect.any(String) }]);
    const adasSnapshot = eventsOfKind(adas.events, 'presence').findLast((event) => event.isStale === false);
    expect(adasSnapshot?.users).toEqual([{ userId: bob.id, isOnline: true, lastSeenAt: expect.any(String) }]);
  }, 60_000);
});
