import type { Announcement, TPostAnnouncementInput } from '@gopherchat/api';
import type { Logger } from 'pino';
import { gapFreeStream } from '../../lib/gap-free-stream.ts';
import type { Bus } from '../../platform/bus/index.ts';
import type { AnnouncementRepo, AnnouncementRow } from './repo.ts';

const TOPIC = 'announcements';

function toAnnouncement(row: AnnouncementRow): Announcement {
  return { id: row.id.toString(), text: row.text, createdAt: row.createdAt.toISOString() };
}

/**
 * The announcement log and its live stream. It asks nobody's permission:
 * people post through the service, which checks who they are; operator
 * tools (`db:seed`) publish here directly, in the server's own name.
 */
export function createAnnouncementFeed(deps: { repo: AnnouncementRepo; bus: Bus; logger: Logger }) {
  const { repo, bus, logger } = deps;

  return {
    /** Durable once this resolves; live subscribers get it through the bus or, failing that, their catch-up read. */
    async publishAnnouncement(input: TPostAnnouncementInput): Promise<Announcement> {
      const announcement = toAnnouncement(await repo.insert(input.text));
      try {
        await bus.publish(TOPIC, JSON.stringify(announcement));
      } catch (error) {
        // Already committed: subscribers notice the hole at the next event or reconnect.
        logger.warn({ err: error, id: announcement.id }, 'announcement saved but not published');
      }
      return announcement;
    },

    async listRecent(limit: number): Promise<Announcement[]> {
      return (await repo.listLatest(limit)).map(toAnnouncement);
    },

    /** Every announcement after `after` (or from now on), exactly once, in order. */
    streamAnnouncements(options: { after: bigint | undefined; signal: AbortSignal }): AsyncGenerator<Announcement> {
      return gapFreeStream<Announcement>(
        {
          subscribe: (handlers, signal) => bus.subscribe(TOPIC, handlers, signal),
          decode: (payload) => [JSON.parse(payload) as Announcement],
          readAfter: async (after, limit) => (await repo.listAfter(after, limit)).map(toAnnouncement),
          readHeadId: () => repo.readHeadId(),
          idOf: (announcement) => BigInt(announcement.id),
        },
        options,
      );
    },
  };
}

export type AnnouncementFeed = ReturnType<typeof createAnnouncementFeed>;
