import { z } from 'zod';
import { ZEventId } from './conversations.ts';
import { ANNOUNCEMENT_MAX_LENGTH } from './limits.ts';

export const ZPostAnnouncementInput = z.object({
  text: z
    .string()
    .trim()
    .min(1, 'Write something to announce.')
    .max(ANNOUNCEMENT_MAX_LENGTH, `Keep it under ${ANNOUNCEMENT_MAX_LENGTH} characters.`),
});
export type TPostAnnouncementInput = z.infer<typeof ZPostAnnouncementInput>;

export const ZListAnnouncementsInput = z
  .object({
    limit: z
      .number()
      .int()
      .min(1, 'Ask for at least one announcement.')
      .max(100, 'Ask for at most 100 announcements at a time.')
      .default(20),
  })
  .default({ limit: 20 });

/**
 * Resume point of the live stream. tRPC's client fills `lastEventId` in by
 * itself when it reconnects, from the id of the last tracked event it saw.
 */
export const ZAnnouncementStreamInput = z
  .object({
    lastEventId: ZEventId.nullish(),
  })
  .optional();

export interface Announcement {
  /** Decimal string of a monotonically increasing bigint; also the stream event id. */
  id: string;
  text: string;
  createdAt: string;
}
