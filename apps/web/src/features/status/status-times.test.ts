import { describe, expect, it } from 'bun:test';
import { openConversation } from '../../testing/chat-under-test.ts';
import { expiryOf, statusLine } from './status-times.ts';

describe('when a status clears itself', () => {
  // A Wednesday afternoon, in the test process's own time zone (as the app reads it).
  const wednesday = new Date(2030, 0, 2, 15, 20);

  it('counts minutes and hours from now, and never for "don’t clear"', () => {
    expect(expiryOf('30m', wednesday)).toBe(new Date(2030, 0, 2, 15, 50).toISOString());
    expect(expiryOf('4h', wednesday)).toBe(new Date(2030, 0, 2, 19, 20).toISOString());
    expect(expiryOf('never', wednesday)).toBeNull();
  });

  it('ends "today" at midnight tonight and "this week" at midnight ending Sunday, even on a Sunday', () => {
    expect(expiryOf('today', wednesday)).toBe(new Date(2030, 0, 3).toISOString());
    expect(expiryOf('week', wednesday)).toBe(new Date(2030, 0, 7).toISOString());
    const sunday = new Date(2030, 0, 6, 9, 0);
    expect(expiryOf('week', sunday)).toBe(new Date(2030, 0, 7).toISOString());
  });

  it('shows the emoji before the text when there is one', () => {
    expect(statusLine({ text: 'Out sick', emoji: '🤒', expiresAt: null })).toBe('🤒 Out sick');
    expect(statusLine({ text: 'Heads down', emoji: null, expiresAt: null })).toBe('Heads down');
  });
});

describe('statuses in the chat', () => {
  it('learns a status from a live profile change, and forgets it when it is cleared', async () => {
    const t = await openConversation();
    const status = { text: 'In a meeting', emoji: '📅', expiresAt: null };
    const bob = { id: 'bob', username: 'bob', displayName: 'Bob', avatarKey: null };
    await t.receive({ kind: 'profile', profile: { ...bob, status } });
    expect(t.chat.people.statuses.bob).toEqual(status);
    await t.receive({ kind: 'profile', profile: bob });
    expect(t.chat.people.statuses.bob).toBeNull();
  });
});
