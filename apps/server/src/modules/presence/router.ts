import { ZSetIdleInput } from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import { protectedProcedure, router } from '../../trpc/init.ts';

export const presenceRouter = router({
  /** Marks the connections of the caller's socket idle, or in use again: see `PresenceService.setIdle`. */
  setIdle: protectedProcedure.input(ZSetIdleInput).mutation(({ ctx, input }) => {
    if (!ctx.socket) throw new AppError('INVALID_INPUT', 'Idle marks are sent over the WebSocket connection only.');
    return ctx.services.presence.setIdle(ctx.auth.userId, ctx.socket.id, input.isIdle);
  }),
});
