import type { Announcement, Me } from '@gopherchat/api';

/** How many announcements the page keeps in memory. */
export const FEED_CAP = 100;

/**
 * Merges fetched and live announcements: newest first, each id once (the
 * initial list and the live stream may overlap), capped at `cap`.
 */
export function mergeAnnouncements(
  current: readonly Announcement[],
  incoming: readonly Announcement[],
  cap = FEED_CAP,
) {
  const byId = new Map<string, Announcement>();
  for (const announcement of [...current, ...incoming]) byId.set(announcement.id, announcement);
  return [...byId.values()]
    .sort((a, b) => {
      const left = BigInt(a.id);
      const right = BigInt(b.id);
      return left === right ? 0 : left > right ? -1 : 1;
    })
    .slice(0, cap);
}

/**
 * Whether to offer the posting form: to server admins only. A person
 * remembered from before roles existed has none, and is offered nothing; the
 * server decides anyway, at every post.
 */
export function canPostAnnouncements(user: Pick<Me, 'role'>): boolean {
  return user.role === 'admin';
}
