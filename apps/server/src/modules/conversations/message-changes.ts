import type { MessageContent, TTextContentInput } from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { canManage, requireRole } from './access.ts';
import type { AttachmentsForMessages } from './attachments-port.ts';
import type { EventLog } from './event-log.ts';
import { messageEvent, toMessage } from './message-view.ts';
import { createConversationRepo } from './repo.ts';
import { everyoneRefused, mayMentionEveryone, mentionsOf } from './send-batch.ts';
import { mentionsWritten } from './sends.ts';

/** Changes to a message once sent: editing its text, deleting it. */
export function createMessageChanges(deps: {
  log: EventLog;
  clock: Clock;
  attachments: Pick<AttachmentsForMessages, 'release' | 'deleteObjects'>;
}) {
  const { log, clock, attachments } = deps;
  const now = () => new Date(clock.now());

  return {
    async edit(userId: string, input: { conversationId: string; seq: number; content: TTextContentInput }) {
      const { conversationId } = input;
      const mentioned = mentionsWritten(input.content.text);
      return log.write(async (tx) => {
        const on = createConversationRepo(tx);
        const role = await requireRole(on, conversationId, userId);
        const row = await on.lockMessage(input.conversationId, input.seq);
        if (!row) throw new AppError('NOT_FOUND', 'That message does not exist.');
        if (row.senderId !== userId) throw new AppError('FORBIDDEN', 'You can only edit your own messages.');
        if (row.deletedAt) throw new AppError('INVALID_INPUT', 'That message was deleted.');
        const content = row.content as MessageContent;
        if (content.type !== 'text') {
          throw new AppError('INVALID_INPUT', 'Only text can be edited; delete the file and send it again.');
        }
        // Edited, it would put new words in the original sender's name.
        if (content.forwardedFrom) throw new AppError('INVALID_INPUT', 'A forwarded message cannot be edited.');
        // Mentions as the text now stands: the same rules as a send's.
        const facts = mentioned && {
          ...(await on.mentionFacts(conversationId, mentioned.usernames)),
          memberships: new Map([[`${conversationId}/${userId}`, role]]),
        };
        const change = { conversationId, senderId: userId, mentioned };
        if (facts && mentioned?.everyone && !mayMentionEveryone(change, facts))
          throw everyoneRefused(mentioned.everyone);
        const updated = await on.updateMessage(input.conversationId, input.seq, {
          content: input.content,
          editedAt: now(),
          mentions: facts ? mentionsOf(change, facts) : null,
          // A card removed stays removed; any other is read again for the text as edited.
          linkPreview: row.linkPreview && 'isRemoved' in row.linkPreview ? row.linkPreview : null,
        });
        return { result: toMessage(updated), events: [messageEvent(updated, 'message_updated')] };
      });
    },

    /** Leaves a tombstone: the text (or file) is gone, the place in the conversation stays. */
    async delete(userId: string, input: { conversationId: string; seq: number }) {
      const { message, releasedObjects } = await log.write(async (tx) => {
        const on = createConversationRepo(tx);
        const role = await requireRole(on, input.conversationId, userId);
        const row = await on.lockMessage(input.conversationId, input.seq);
        if (!row) throw new AppError('NOT_FOUND', 'That message does not exist.');
        if (row.deletedAt) return { result: { message: toMessage(row), releasedObjects: [] }, events: [] };
        if (row.senderId !== userId && !canManage(role)) {
          throw new AppError('FORBIDDEN', 'You can only delete your own messages.');
        }
        const content = row.content as MessageContent;
        const releasedObjects =
          content.type === 'attachment' ? await attachments.release(tx, content.attachment.id) : [];
        // Reactions go with what they reacted to.
        const updated = await on.updateMessage(input.conversationId, input.seq, {
          content: { type: 'deleted' },
          deletedAt: now(),
          reactions: [],
          pinnedAt: null,
          pinnedBy: null,
          linkPreview: null,
          mentions: null,
        });
        return {
          result: { message: toMessage(updated), releasedObjects },
          events: [messageEvent(updated, 'message_updated')],
        };
      });
      // Only once the deletion has committed: a rollback must not leave a message without its file.
      await attachments.deleteObjects(releasedObjects);
      return message;
    },
  };
}
