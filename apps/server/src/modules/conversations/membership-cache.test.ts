import { describe, expect, it } from 'bun:test';
import { toAppError } from '@gopherchat/sdk';
import { signedInClient } from '../../testing/accounts.ts';
import { eventually } from '../../testing/collect.ts';
import { cacheLookups } from '../../testing/metrics.ts';
import { allEventsOf, backends, eventsOfKind, person } from '../../testing/people.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

const METRICS_TOKEN = 'metrics-token-for-the-test-0123';

describe.each(backends)('membership cache over $name', ({ database, bus }) => {
  const start = (shared?: TestServer) =>
    startTestServer({
      label: 'membership-cache',
      database,
      bus,
      env: { METRICS_TOKEN },
      shared: shared && { databaseUrl: shared.databaseUrl, redisKeyPrefix: shared.redisKeyPrefix },
    });

  it('answers repeated membership checks from the cache, and counts hits and misses', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Hot',
      memberIds: [bob.id],
    });
    const before = await cacheLookups(t.url, METRICS_TOKEN, 'membership');
    for (let page = 0; page < 5; page++) await bob.api.messages.history.query({ conversationId });
    const after = await cacheLookups(t.url, METRICS_TOKEN, 'membership');
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(4);

    const refused = await fetch(new URL('/metrics', t.url));
    expect(refused.status).toBe(401);
  });

  it('shuts a removed member out at once, although their membership was cached', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Inner',
      memberIds: [bob.id],
    });
    await bob.api.messages.history.query({ conversationId });
    await bob.api.messages.history.query({ conversationId }); // now from the cache

    await ada.api.conversations.removeMember.mutate({ conversationId, userId: bob.id });
    for (const attempt of [
      () => bob.api.messages.history.query({ conversationId }),
      () => bob.api.conversations.members.query({ conversationId }),
      () => bob.api.conversations.typing.mutate({ conversationId, isTyping: true }),
      () => bob.api.receipts.markRead.mutate({ conversationId, seq: 1 }),
    ]) {
      expect(await attempt().catch(toAppError)).toMatchObject({ appCode: 'NOT_FOUND' });
    }
  });

  it('introduces every newcomer to the members, although the conversation’s member ids were cached', async () => {
    await using t = await start();
    const [ada, bob, carol, dave] = [await person(t), await person(t), await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Growing',
      memberIds: [bob.id],
    });
    using bobEvents = allEventsOf(bob);
    await bobEvents.started;
    const introducedToBob = (userId: string) =>
      eventsOfKind(bobEvents.events, 'presence').some((event) => event.users.some((user) => user.userId === userId));

    // Introducing Carol reads its member ids (ada, bob, carol) into the cache…
    await ada.api.conversations.addMembers.mutate({ conversationId, userIds: [carol.id] });
    await eventually(() => introducedToBob(carol.id), 'Carol, to Bob');
    const before = await cacheLookups(t.url, METRICS_TOKEN, 'members_of_conversation');
    // …and adding Dave must not find it stale.
    await ada.api.conversations.addMembers.mutate({ conversationId, userIds: [dave.id] });
    await eventually(() => introducedToBob(dave.id), 'Dave, to Bob');
    const after = await cacheLookups(t.url, METRICS_TOKEN, 'members_of_conversation');
    expect(after.misses - before.misses).toBe(1);
  });

  it('lets a newly added person in at once, although "not a member" was cached', async () => {
    await using t = await start();
    const [ada, eve] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({ title: 'Later', memberIds: [] });
    const probe = await eve.api.messages.history.query({ conversationId }).catch(toAppError);
    expect(probe).toMatchObject({ appCode: 'NOT_FOUND' });

    await ada.api.conversations.addMembers.mutate({ conversationId, userIds: [eve.id] });
    const page = await eve.api.messages.history.query({ conversationId });
    expect(page.messages.length).toBeGreaterThan(0);
  });

  if (bus === 'redis') {
    it('invalidates on every instance: a removal on one shuts the member out on the other', async () => {
      await using first = await start();
      await using second = await start(first);
      const [ada, bob] = [await person(first), await person(first)];
      const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
        title: 'Shared',
        memberIds: [bob.id],
      });
      await using bobOnSecond = signedInClient(second.url, bob.accessToken);
      await bobOnSecond.api.messages.history.query({ conversationId });
      await bobOnSecond.api.messages.history.query({ conversationId });
      expect((await cacheLookups(second.url, METRICS_TOKEN, 'membership')).hits).toBeGreaterThan(0);

      await ada.api.conversations.removeMember.mutate({ conversationId, userId: bob.id });
      const refused = await bobOnSecond.api.messages.history.query({ conversationId }).catch(toAppError);
      expect(refused).toMatchObject({ appCode: 'NOT_FOUND' });
    });
  }
});
