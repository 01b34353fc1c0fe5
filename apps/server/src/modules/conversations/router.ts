import {
  type UserEvent,
  ZAddMembersInput,
  ZConversationRef,
  ZCreateDirectInput,
  ZCreateGroupInput,
  ZDeleteMessageInput,
  ZEditMessageInput,
  ZEventsInput,
  ZForwardInput,
  ZHistoryInput,
  ZMarkDeliveredInput,
  ZMarkReadInput,
  ZPinInput,
  ZReactionInput,
  ZRemoveGroupAvatarInput,
  ZRemoveMemberInput,
  ZRenameInput,
  ZSavedPageInput,
  ZSaveInput,
  ZSendMessageInput,
  ZSetGroupAvatarInput,
  ZSetRoleInput,
  ZTransferOwnershipInput,
  ZTypingInput,
} from '@gopherchat/api';
import type { TrackedEnvelope } from '@trpc/server';
import { channelSubscriptionProcedure, deliveredThroughChannel, protectedProcedure, router } from '../../trpc/init.ts';

export const conversationsRouter = router({
  list: protectedProcedure.query(({ ctx }) => ctx.services.conversations.list(ctx.auth.userId)),
  get: protectedProcedure
    .input(ZConversationRef)
    .query(({ ctx, input }) => ctx.services.conversations.get(ctx.auth.userId, input.conversationId)),
  members: protectedProcedure
    .input(ZConversationRef)
    .query(({ ctx, input }) => ctx.services.conversations.members(ctx.auth.userId, input.conversationId)),
  createDirect: protectedProcedure
    .input(ZCreateDirectInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.createDirect(ctx.auth.userId, input.userId)),
  createGroup: protectedProcedure
    .input(ZCreateGroupInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.createGroup(ctx.auth.userId, input)),
  addMembers: protectedProcedure
    .input(ZAddMembersInput)
    .mutation(({ ctx, input }) =>
      ctx.services.conversations.addMembers(ctx.auth.userId, input.conversationId, input.userIds),
    ),
  removeMember: protectedProcedure
    .input(ZRemoveMemberInput)
    .mutation(({ ctx, input }) =>
      ctx.services.conversations.removeMember(ctx.auth.userId, input.conversationId, input.userId),
    ),
  leave: protectedProcedure
    .input(ZConversationRef)
    .mutation(({ ctx, input }) =>
      ctx.services.conversations.removeMember(ctx.auth.userId, input.conversationId, ctx.auth.userId),
    ),
  setRole: protectedProcedure
    .input(ZSetRoleInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.setRole(ctx.auth.userId, input)),
  transferOwnership: protectedProcedure
    .input(ZTransferOwnershipInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.transferOwnership(ctx.auth.userId, input)),
  typing: protectedProcedure
    .input(ZTypingInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.typing(ctx.auth.userId, input)),
  rename: protectedProcedure
    .input(ZRenameInput)
    .mutation(({ ctx, input }) =>
      ctx.services.conversations.rename(ctx.auth.userId, input.conversationId, input.title),
    ),
  setAvatar: protectedProcedure
    .input(ZSetGroupAvatarInput)
    .mutation(({ ctx, input }) =>
      ctx.services.conversations.setGroupAvatar(ctx.auth.userId, input.conversationId, input.attachmentId),
    ),
  removeAvatar: protectedProcedure
    .input(ZRemoveGroupAvatarInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.removeGroupAvatar(ctx.auth.userId, input.conversationId)),
});

export const messagesRouter = router({
  send: protectedProcedure
    .input(ZSendMessageInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.send(ctx.auth.userId, input)),
  edit: protectedProcedure
    .input(ZEditMessageInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.edit(ctx.auth.userId, input)),
  delete: protectedProcedure
    .input(ZDeleteMessageInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.delete(ctx.auth.userId, input)),
  react: protectedProcedure
    .input(ZReactionInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.react(ctx.auth.userId, input)),
  removeReaction: protectedProcedure
    .input(ZReactionInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.removeReaction(ctx.auth.userId, input)),
  pin: protectedProcedure
    .input(ZPinInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.pin(ctx.auth.userId, input)),
  unpin: protectedProcedure
    .input(ZPinInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.unpin(ctx.auth.userId, input)),
  removePreview: protectedProcedure
    .input(ZPinInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.removePreview(ctx.auth.userId, input)),
  pinned: protectedProcedure
    .input(ZConversationRef)
    .query(({ ctx, input }) => ctx.services.conversations.pinned(ctx.auth.userId, input.conversationId)),
  forward: protectedProcedure
    .input(ZForwardInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.forward(ctx.auth.userId, input)),
  history: protectedProcedure
    .input(ZHistoryInput)
    .query(({ ctx, input }) => ctx.services.conversations.history(ctx.auth.userId, input)),
});

/** My private list of saved messages. */
export const savedRouter = router({
  save: protectedProcedure
    .input(ZSaveInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.save(ctx.auth.userId, input)),
  unsave: protectedProcedure
    .input(ZSaveInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.unsave(ctx.auth.userId, input)),
  list: protectedProcedure
    .input(ZSavedPageInput)
    .query(({ ctx, input }) => ctx.services.conversations.savedPage(ctx.auth.userId, input)),
  keys: protectedProcedure.query(({ ctx }) => ctx.services.conversations.savedKeys(ctx.auth.userId)),
});

export const receiptsRouter = router({
  markDelivered: protectedProcedure
    .input(ZMarkDeliveredInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.markDelivered(ctx.auth.userId, input.pointers)),
  markRead: protectedProcedure
    .input(ZMarkReadInput)
    .mutation(({ ctx, input }) => ctx.services.conversations.markRead(ctx.auth.userId, input)),
});

export const eventsRouter = router({
  /**
   * The one live channel of a signed-in person: every event of every
   * conversation they are in, as tracked batches of events. A reconnecting
   * client resumes after its last id and gets exactly the gap, in order.
   * Live signals (presence, typing) ride along but are never replayed.
   */
  subscribe: channelSubscriptionProcedure.input(ZEventsInput.optional()).subscription(({ ctx, input }) => {
    const { userId } = ctx.auth;
    const { conversations, presence } = ctx.services;
    return deliveredThroughChannel<TrackedEnvelope<UserEvent[]>>(
      // Each open subscription is a connection that keeps its person online.
      presence.whileConnected(
        userId,
        () =>
          conversations.streamEvents(userId, input?.lastEventId ? BigInt(input.lastEventId) : undefined, ctx.channel, {
            greeting: () => presence.greetingFor(userId),
          }),
        // Its socket says when its person leaves the device idle (see `presence.setIdle`).
        ctx.socket?.id,
      ),
    );
  }),
});
