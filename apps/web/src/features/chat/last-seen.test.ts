import { describe, expect, it } from 'bun:test';
import { describePresence, presenceStatusOf } from './last-seen.ts';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const lastSeen = (date: Date) => ({ userId: 'ada', isOnline: false, lastSeenAt: date.toISOString() });

describe('describePresence', () => {
  // Local times, so the calendar days are the reader's.
  const now = new Date(2026, 2, 10, 15, 30).getTime();

  it('says online, or offline for someone never seen, and nothing while unknown', () => {
    expect(describePresence({ userId: 'ada', isOnline: true, lastSeenAt: null }, now)).toBe('online');
    expect(describePresence({ userId: 'ada', isOnline: true, isAway: true, lastSeenAt: null }, now)).toBe('away');
    expect(describePresence({ userId: 'ada', isOnline: false, lastSeenAt: null }, now)).toBe('offline');
    expect(describePresence(undefined, now)).toBeUndefined();
  });

  it('counts minutes within the hour, and reads a clock running behind as just now', () => {
    expect(describePresence(lastSeen(new Date(now - 30_000)), now)).toBe('last seen just now');
    expect(describePresence(lastSeen(new Date(now + 5_000)), now)).toBe('last seen just now');
    expect(describePresence(lastSeen(new Date(now - 5 * 60_000)), now)).toBe('last seen 5 min ago');
    expect(describePresence(lastSeen(new Date(now - 59 * 60_000)), now)).toBe('last seen 59 min ago');
  });

  it('names the day beyond the hour: today, yesterday, a weekday, then a date', () => {
    const earlierToday = new Date(2026, 2, 10, 9, 5);
    expect(describePresence(lastSeen(earlierToday), now)).toBe(`last seen today at ${timeFormat.format(earlierToday)}`);
    const yesterday = new Date(2026, 2, 9, 14, 2);
    expect(describePresence(lastSeen(yesterday), now)).toBe(`last seen yesterday at ${timeFormat.format(yesterday)}`);
    const lastWeek = new Date(2026, 2, 5, 8, 0);
    expect(describePresence(lastSeen(lastWeek), now)).toMatch(/^last seen \S+ at /);
    expect(describePresence(lastSeen(new Date(2026, 1, 1, 8, 0)), now)).toMatch(/^last seen on .*2026$/);
  });
});

describe('presenceStatusOf', () => {
  it('tells online and offline from what was reported, and unknown from nothing reported', () => {
    expect(presenceStatusOf({ userId: 'ada', isOnline: true, lastSeenAt: null })).toBe('online');
    expect(presenceStatusOf({ userId: 'ada', isOnline: false, lastSeenAt: null })).toBe('offline');
    expect(presenceStatusOf({ userId: 'ada', isOnline: true, isAway: true, lastSeenAt: null })).toBe('away');
    expect(presenceStatusOf(undefined)).toBe('unknown');
  });
});
