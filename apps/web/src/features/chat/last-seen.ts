import type { UserPresence } from '@gopherchat/api';

const MINUTE_MS = 60_000;
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const dateFormat = new Intl.DateTimeFormat(undefined, { month: 'long', day: 'numeric', year: 'numeric' });

/** Calendar days from `then` to `now` in the reader's time zone (rounded, so a DST day still counts as one). */
function daysBetween(then: Date, now: Date): number {
  const midnight = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
  return Math.round((midnight(now) - midnight(then)) / (24 * 60 * MINUTE_MS));
}

/**
 * Online (away: online, with every device left idle) or offline as last
 * reported; unknown while my own connection, or the server's view, is not live.
 */
export type PresenceStatus = 'online' | 'away' | 'offline' | 'unknown';

export const presenceStatusOf = (presence: UserPresence | undefined): PresenceStatus =>
  presence === undefined ? 'unknown' : presence.isOnline ? (presence.isAway ? 'away' : 'online') : 'offline';

/**
 * Someone's presence in words, relative to `now`: "online", "away", "last seen 5 min
 * ago", "last seen yesterday at 14:02", "last seen on March 3, 2026";
 * undefined while their presence is unknown. A clock running behind the
 * server's reads as "just now".
 */
export function describePresence(presence: UserPresence | undefined, now: number): string | undefined {
  if (!presence) return undefined;
  if (presence.isOnline) return presence.isAway ? 'away' : 'online';
  if (presence.lastSeenAt === null) return 'offline';
  const then = new Date(presence.lastSeenAt);
  const minutes = Math.floor((now - then.getTime()) / MINUTE_MS);
  if (minutes < 1) return 'last seen just now';
  if (minutes < 60) return `last seen ${minutes} min ago`;
  const days = daysBetween(then, new Date(now));
  const time = timeFormat.format(then);
  if (days === 0) return `last seen today at ${time}`;
  if (days === 1) return `last seen yesterday at ${time}`;
  if (days < 7) return `last seen ${weekdayFormat.format(then)} at ${time}`;
  return `last seen on ${dateFormat.format(then)}`;
}
