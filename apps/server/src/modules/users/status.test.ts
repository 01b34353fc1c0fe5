import { describe, expect, it } from 'bun:test';
import { toAppError } from '@gopherchat/sdk';
import { createManualClock } from '../../platform/clock/index.ts';
import { eventually } from '../../testing/eventually.ts';
import { allEventsOf, backends, eventsOfKind, person } from '../../testing/people.ts';
import { startTestServer } from '../../testing/test-server.ts';

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;

describe.each(backends)('statuses over $name', ({ database, bus }) => {
  it('shows a status to the people one talks with, live, until it expires or is cleared', async () => {
    const clock = createManualClock(Date.now());
    await using t = await startTestServer({ label: 'status', database, bus, clock });
    const [ada, bob] = [await person(t), await person(t)];
    await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    using bobsEvents = allEventsOf(bob);
    await bobsEvents.started;

    // Ten minutes: within an access token's life, so nobody has to sign in again as the clock moves.
    const expiresAt = new Date(clock.now() + 10 * MINUTE_MS).toISOString();
    const set = await ada.api.users.setStatus.mutate({ text: ' In a meeting ', emoji: '📅', expiresAt });
    const status = { text: 'In a meeting', emoji: '📅', expiresAt };
    expect(set.status).toEqual(status);
    await eventually(
      () => eventsOfKind(bobsEvents.events, 'profile').some((event) => event.profile.status?.text === 'In a meeting'),
      'the status, live',
    );
    expect((await bob.api.users.profiles.query({ ids: [ada.id] }))[0]?.status).toEqual(status);
    expect((await ada.api.auth.me.query()).status).toEqual(status);

    // Then it is gone, from every read, without anyone clearing it.
    clock.advance(10 * MINUTE_MS);
    expect((await bob.api.users.profiles.query({ ids: [ada.id] }))[0]?.status).toBeUndefined();
    expect((await bob.api.users.find.query({ username: ada.username })).status).toBeUndefined();

    await ada.api.users.setStatus.mutate({ text: 'On holiday', emoji: null, expiresAt: null });
    expect((await bob.api.users.profiles.query({ ids: [ada.id] }))[0]?.status).toEqual({
      text: 'On holiday',
      emoji: null,
      expiresAt: null,
    });
    expect((await ada.api.users.clearStatus.mutate()).status).toBeUndefined();
    expect((await bob.api.users.profiles.query({ ids: [ada.id] }))[0]?.status).toBeUndefined();
  });

  it('refuses an empty or overlong text, a time that has passed or is too far ahead, and what is not an emoji', async () => {
    await using t = await startTestServer({ label: 'status', database, bus });
    const ada = await person(t);
    const set = (input: { text: string; emoji: string | null; expiresAt: string | null }) =>
      ada.api.users.setStatus.mutate(input).catch(toAppError);
    const inDays = (days: number) => new Date(Date.now() + days * 24 * HOUR_MS).toISOString();
    expect(await set({ text: '  ', emoji: null, expiresAt: null })).toMatchObject({ appCode: 'INVALID_INPUT' });
    expect(await set({ text: 'x'.repeat(101), emoji: null, expiresAt: null })).toMatchObject({
      appCode: 'INVALID_INPUT',
    });
    expect(await set({ text: 'Away', emoji: null, expiresAt: inDays(-1) })).toMatchObject({
      appCode: 'INVALID_INPUT',
      userMessage: 'That time has passed already. Pick a later one.',
    });
    expect(await set({ text: 'Away', emoji: null, expiresAt: inDays(40) })).toMatchObject({ appCode: 'INVALID_INPUT' });
    expect(await set({ text: 'Away', emoji: 'ab', expiresAt: null })).toMatchObject({ appCode: 'INVALID_INPUT' });
    expect(await set({ text: 'Away', emoji: null, expiresAt: 'tomorrow' })).toMatchObject({ appCode: 'INVALID_INPUT' });
  });
});
