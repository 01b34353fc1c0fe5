import { describe, expect, it } from 'bun:test';
import { USER_PROFILES_MAX, type UserProfile } from '@gopherchat/api';
import { windowedCalls } from '../../testing/windowed-calls.ts';
import { createProfileLookup } from './profile-lookup.ts';

const profileOf = (id: string): UserProfile => ({ id, username: id, displayName: `Name of ${id}`, avatarKey: null });

/** A lookup whose window closes when the test says, and whose calls the test answers one by one. */
function lookupUnderTest() {
  const server = windowedCalls<string[], UserProfile[]>();
  const found: UserProfile[] = [];
  const lookup = createProfileLookup({
    load: server.call,
    schedule: server.schedule,
    onFound: (profiles) => found.push(...profiles),
  });
  return {
    lookup,
    calls: server.made,
    found,
    isScheduled: server.isScheduled,
    closeWindow: server.closeWindow,
    /** Answers the oldest call still open, with the profiles of `existing` (all it asked for by default). */
    answer: (existing?: string[]) => server.answer((ids) => (existing ?? ids).map(profileOf)),
    fail: server.fail,
  };
}

describe('ProfileLookup', () => {
  it('asks for everything wanted within one window in one call, each id once', async () => {
    const t = lookupUnderTest();
    t.lookup.want(['a', 'b']);
    t.lookup.want(['b', 'c']);
    expect(t.calls()).toEqual([]);
    t.closeWindow();
    expect(t.calls()).toEqual([['a', 'b', 'c']]);
    await t.answer();
    expect(t.found.map((profile) => profile.id)).toEqual(['a', 'b', 'c']);
  });

  it(`splits a large window into calls of at most ${USER_PROFILES_MAX}`, () => {
    const t = lookupUnderTest();
    t.lookup.want(Array.from({ length: USER_PROFILES_MAX * 2 + 1 }, (_, index) => `user-${index}`));
    t.closeWindow();
    expect(t.calls().map((ids) => ids.length)).toEqual([USER_PROFILES_MAX, USER_PROFILES_MAX, 1]);
  });

  it('never asks for an id while a call for it is in flight', async () => {
    const t = lookupUnderTest();
    t.lookup.want(['a']);
    t.closeWindow();
    t.lookup.want(['a']);
    expect(t.isScheduled()).toBe(false);
    t.lookup.want(['a', 'b']);
    t.closeWindow();
    expect(t.calls()).toEqual([['a'], ['b']]);
    await t.answer();
    await t.answer();
  });

  it('does not ask again for someone answered, found or not', async () => {
    const t = lookupUnderTest();
    t.lookup.want(['a', 'gone']);
    t.closeWindow();
    await t.answer(['a']);
    t.lookup.want(['a', 'gone']);
    expect(t.isScheduled()).toBe(false);
    expect(t.calls()).toHaveLength(1);
  });

  it('asks again for the ids of a failed call when they are next wanted', async () => {
    const t = lookupUnderTest();
    t.lookup.want(['a']);
    t.closeWindow();
    await t.fail();
    expect(t.found).toEqual([]);
    t.lookup.want(['a']);
    t.closeWindow();
    expect(t.calls()).toEqual([['a'], ['a']]);
    await t.answer();
    expect(t.found.map((profile) => profile.id)).toEqual(['a']);
  });

  it('neither asks nor tells once disposed', async () => {
    const t = lookupUnderTest();
    t.lookup.want(['a']);
    t.closeWindow();
    t.lookup.want(['b']);
    t.lookup.dispose();
    t.closeWindow();
    await t.answer();
    expect(t.calls()).toEqual([['a']]);
    expect(t.found).toEqual([]);
  });
});
