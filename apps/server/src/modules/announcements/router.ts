import { ZAnnouncementStreamInput, ZListAnnouncementsInput, ZPostAnnouncementInput } from '@gopherchat/api';
import { tracked } from '@trpc/server';
import { protectedProcedure, publicProcedure, router } from '../../trpc/init.ts';

export const announcementsRouter = router({
  list: publicProcedure
    .input(ZListAnnouncementsInput)
    .query(({ ctx, input }) => ctx.services.announcements.listRecent(input.limit)),

  /** Server admins only, within their rate limit (FORBIDDEN / RATE_LIMITED otherwise). */
  post: protectedProcedure
    .input(ZPostAnnouncementInput)
    .mutation(({ ctx, input }) => ctx.services.announcements.postAnnouncement(ctx.auth.userId, input)),

  /** Live announcements as tracked events; a reconnecting client resumes after its last id. */
  stream: protectedProcedure.input(ZAnnouncementStreamInput).subscription(async function* ({ ctx, input, signal }) {
    const after = input?.lastEventId ? BigInt(input.lastEventId) : undefined;
    // Every tRPC transport passes one; without it the stream could never be stopped.
    if (!signal) throw new Error('announcements.stream needs an abort signal');
    for await (const announcement of ctx.services.announcements.streamAnnouncements({ after, signal })) {
      yield tracked(announcement.id, announcement);
    }
  }),
});
