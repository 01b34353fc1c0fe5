import type { Announcement, ServerRole, TPostAnnouncementInput } from '@gopherchat/api';
import type { Logger } from 'pino';
import { AppError } from '../../errors.ts';
import type { RateLimiter } from '../../platform/rate-limit/index.ts';
import type { AnnouncementFeed } from './feed.ts';

/** Where a poster's role comes from: the database, read at each post, so a revocation bites at once. */
export interface RoleLookup {
  roleOf(userId: string): Promise<ServerRole | undefined>;
}

/**
 * Announcements as people see them: everyone reads; only server admins post,
 * and each admin only so often (a post reaches every account on the server).
 */
export function createAnnouncementService(deps: {
  feed: AnnouncementFeed;
  roles: RoleLookup;
  /** Posts per admin per window, keyed by account. */
  postLimit: RateLimiter;
  logger: Logger;
}) {
  const { feed, roles, postLimit, logger } = deps;

  return {
    async postAnnouncement(posterId: string, input: TPostAnnouncementInput): Promise<Announcement> {
      // Before the limit: a member's refused attempts spend nothing, and learn nothing about it.
      if ((await roles.roleOf(posterId)) !== 'admin') {
        throw new AppError('FORBIDDEN', 'Only server admins can post announcements.');
      }
      const decision = await postLimit.consume(posterId);
      if (!decision.isAllowed) {
        const minutes = Math.ceil(decision.retryAfterMs / 60_000);
        throw new AppError(
          'RATE_LIMITED',
          `You have posted as many announcements as allowed for now. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        );
      }
      const announcement = await feed.publishAnnouncement(input);
      logger.info({ userId: posterId, announcementId: announcement.id }, 'announcement posted');
      return announcement;
    },

    listRecent: feed.listRecent,
    streamAnnouncements: feed.streamAnnouncements,
  };
}

export type AnnouncementService = ReturnType<typeof createAnnouncementService>;
