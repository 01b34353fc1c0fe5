import { describe, expect, it } from 'bun:test';
import { type GopherClient, toAppError } from '@gopherchat/sdk';
import { collect } from '../../testing/collect.ts';
import { startTestServer } from '../../testing/test-server.ts';

/** What `client`'s announcement stream delivers, from just after `lastEventId` or from now. */
const announcementsSeenBy = (client: GopherClient, lastEventId?: string) =>
  collect<{ id: string; data: { text: string } }>((handlers) =>
    client.api.announcements.stream.subscribe(lastEventId ? { lastEventId } : undefined, handlers),
  );

const backends = [
  { name: 'embedded (PGlite, memory bus)', database: 'pglite', bus: 'memory' },
  { name: 'real services (PostgreSQL, Redis)', database: 'postgres', bus: 'redis' },
] as const;

describe.each(backends)('announcements over $name', ({ database, bus }) => {
  // Several tests post more than an hour's worth: the limit has tests of its own.
  const start = (env: Record<string, string> = { ANNOUNCEMENTS_PER_HOUR: '1000' }) =>
    startTestServer({ label: 'announcements', database, bus, env });

  it('posts, lists newest first, and reports the backends in system.info', async () => {
    await using t = await start();
    const poster = await t.signUp();
    const info = await t.client.api.system.info.query();
    expect(info).toMatchObject({ name: 'GopherChat', database, bus });
    await poster.api.announcements.post.mutate({ text: 'first' });
    const second = await poster.api.announcements.post.mutate({ text: '  second  ' });
    expect(second).toMatchObject({ id: '2', text: 'second' });
    const list = await t.client.api.announcements.list.query({ limit: 10 });
    expect(list.map((announcement) => announcement.text)).toEqual(['second', 'first']);
  });

  it('refuses an announcement from a member (any account could broadcast to everyone)', async () => {
    await using t = await start();
    const admin = await t.signUp();
    const member = await t.signUp();
    expect(await member.api.auth.me.query()).toMatchObject({ role: 'member' });
    const failure = await member.api.announcements.post
      .mutate({ text: 'hello everyone' })
      .catch((error: unknown) => error);
    expect(toAppError(failure)).toMatchObject({
      appCode: 'FORBIDDEN',
      userMessage: 'Only server admins can post announcements.',
    });
    expect(await t.client.api.announcements.list.query()).toEqual([]);
    // Reading stays open to everyone.
    await admin.api.announcements.post.mutate({ text: 'from the admin' });
    expect((await member.api.announcements.list.query()).map((announcement) => announcement.text)).toEqual([
      'from the admin',
    ]);
  });

  it('limits how many announcements each admin posts per hour (an admin could flood everyone)', async () => {
    await using t = await start({ ANNOUNCEMENTS_PER_HOUR: '2' });
    const admin = await t.signUp();
    await admin.api.announcements.post.mutate({ text: 'one' });
    await admin.api.announcements.post.mutate({ text: 'two' });
    const failure = await admin.api.announcements.post.mutate({ text: 'three' }).catch((error: unknown) => error);
    expect(toAppError(failure)).toMatchObject({ appCode: 'RATE_LIMITED' });
    expect(toAppError(failure).userMessage).toMatch(
      /^You have posted as many announcements as allowed for now\. Try again in \d+ minutes?\.$/,
    );
    expect((await t.client.api.announcements.list.query()).map((announcement) => announcement.text)).toEqual([
      'two',
      'one',
    ]);
  });

  it('lets only signed-in people post', async () => {
    await using t = await start();
    const failure = await t.client.api.announcements.post
      .mutate({ text: 'anonymous' })
      .catch((error: unknown) => error);
    expect(toAppError(failure)).toMatchObject({
      appCode: 'UNAUTHENTICATED',
      userMessage: 'Please sign in to continue.',
    });
  });

  it('rejects an empty announcement with a typed, readable error', async () => {
    await using t = await start();
    const poster = await t.signUp();
    const failure = await poster.api.announcements.post.mutate({ text: '   ' }).catch((error: unknown) => error);
    expect(toAppError(failure)).toMatchObject({
      appCode: 'INVALID_INPUT',
      userMessage: 'Write something to announce.',
    });
    expect(await t.client.api.announcements.list.query()).toEqual([]);
  });

  it('allocates gap-free ids in commit order under concurrent posts', async () => {
    await using t = await start();
    const poster = await t.signUp();
    const posted = await Promise.all(
      Array.from({ length: 40 }, (_, index) => poster.api.announcements.post.mutate({ text: `n${index}` })),
    );
    const ids = posted.map((announcement) => Number(announcement.id)).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
  });

  it('streams new posts live as tracked events, in order', async () => {
    await using t = await start();
    const poster = await t.signUp();
    const subscriber = await t.signUp();
    using stream = announcementsSeenBy(subscriber);
    await stream.started;
    for (let index = 0; index < 20; index++) await poster.api.announcements.post.mutate({ text: `live ${index}` });
    await stream.waitFor(20);
    expect(stream.events.map((event) => event.id)).toEqual(Array.from({ length: 20 }, (_, index) => String(index + 1)));
    expect(stream.events[0]?.data.text).toBe('live 0');
  });

  it('resumes after lastEventId with exactly the missed events, then continues live', async () => {
    await using t = await start();
    const poster = await t.signUp();
    for (const text of ['a', 'b', 'c', 'd', 'e']) await poster.api.announcements.post.mutate({ text });
    const subscriber = await t.signUp();
    using stream = announcementsSeenBy(subscriber, '2');
    await stream.waitFor(3);
    await poster.api.announcements.post.mutate({ text: 'f' });
    // A later post as the barrier: a repeat of anything before it would arrive before it.
    await poster.api.announcements.post.mutate({ text: 'barrier' });
    await stream.waitFor(5);
    expect(stream.events.map((event) => event.data.text)).toEqual(['c', 'd', 'e', 'f', 'barrier']);
  });

  it('reconnects after the server drops the socket and resumes with no loss or duplicates', async () => {
    await using t = await start();
    const poster = await t.signUp();
    const subscriber = await t.signUp();
    using stream = announcementsSeenBy(subscriber);
    await stream.started;
    for (const text of ['1', '2', '3']) await poster.api.announcements.post.mutate({ text });
    await stream.waitFor(3);
    t.server.app.websockets.closeAll('test: dropping sockets');
    // Posted while the subscriber is away: the resume must fetch these from the log.
    for (const text of ['4', '5', '6']) await poster.api.announcements.post.mutate({ text });
    await stream.waitFor(6);
    await poster.api.announcements.post.mutate({ text: 'barrier' });
    await stream.waitFor(7);
    expect(stream.events.map((event) => event.data.text)).toEqual(['1', '2', '3', '4', '5', '6', 'barrier']);
  });
});
