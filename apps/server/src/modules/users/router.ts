import {
  ZFindUserInput,
  ZSearchUsersInput,
  ZSetAvatarInput,
  ZSetStatusInput,
  ZUpdateProfileInput,
  ZUserProfilesInput,
} from '@gopherchat/api';
import { protectedProcedure, router } from '../../trpc/init.ts';

export const usersRouter = router({
  find: protectedProcedure.input(ZFindUserInput).query(({ ctx, input }) => ctx.services.users.find(input.username)),
  search: protectedProcedure.input(ZSearchUsersInput).query(({ ctx, input }) => ctx.services.users.search(input.query)),
  profiles: protectedProcedure
    .input(ZUserProfilesInput)
    .query(({ ctx, input }) => ctx.services.users.profilesOf(input.ids)),
  updateProfile: protectedProcedure
    .input(ZUpdateProfileInput)
    .mutation(({ ctx, input }) => ctx.services.users.updateProfile(ctx.auth.userId, input)),
  setStatus: protectedProcedure
    .input(ZSetStatusInput)
    .mutation(({ ctx, input }) => ctx.services.users.setStatus(ctx.auth.userId, input)),
  clearStatus: protectedProcedure.mutation(({ ctx }) => ctx.services.users.clearStatus(ctx.auth.userId)),
  setAvatar: protectedProcedure
    .input(ZSetAvatarInput)
    .mutation(({ ctx, input }) => ctx.services.users.setAvatar(ctx.auth.userId, input.attachmentId)),
  removeAvatar: protectedProcedure.mutation(({ ctx }) => ctx.services.users.removeAvatar(ctx.auth.userId)),
});
