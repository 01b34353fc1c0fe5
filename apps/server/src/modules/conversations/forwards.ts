import type { ForwardedFrom, Message, MessageContent, TForwardInput } from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import { requireRole } from './access.ts';
import type { AttachmentsForMessages } from './attachments-port.ts';
import type { ProfileLookup } from './groups.ts';
import { toMessage } from './message-view.ts';
import type { ConversationRepo } from './repo.ts';
import type { SendRequest } from './send-batch.ts';

/**
 * Forwarding: a new message in another conversation with a copy of the
 * original's text, or of its file and caption, marked with the original
 * sender's name. A forwarded file is a copy the forwarder owns, so deleting
 * either message never takes the other's file.
 */
export function createForwards(deps: {
  repo: Pick<ConversationRepo, 'findMessage' | 'findSent'>;
  /** Who is in which conversation (the membership cache). */
  membership: Pick<ConversationRepo, 'roleOf'>;
  profiles: ProfileLookup;
  attachments: Pick<AttachmentsForMessages, 'copyForForward'>;
  sendMade: (request: SendRequest) => Promise<Message>;
}) {
  const { repo, membership, profiles, attachments, sendMade } = deps;

  /** The original sender, kept through forwards of forwards. */
  async function originOf(row: { senderId: string | null }, content: { forwardedFrom?: ForwardedFrom }) {
    if (content.forwardedFrom) return content.forwardedFrom;
    const [profile] = row.senderId ? await profiles.profilesOf([row.senderId]) : [];
    return { senderName: profile?.displayName ?? null };
  }

  return {
    async forward(userId: string, input: TForwardInput): Promise<Message> {
      await requireRole(membership, input.conversationId, userId);
      // Checked before a file is copied: no copies made for a conversation one cannot send to.
      await requireRole(membership, input.toConversationId, userId);
      const row = await repo.findMessage(input.conversationId, input.seq);
      if (!row) throw new AppError('NOT_FOUND', 'That message does not exist.');
      const content = row.content as MessageContent;
      if (content.type === 'deleted') throw new AppError('INVALID_INPUT', 'That message was deleted.');
      if (content.type === 'system') {
        throw new AppError('INVALID_INPUT', 'Notes about the conversation cannot be forwarded.');
      }
      const request = {
        conversationId: input.toConversationId,
        clientMessageId: input.clientMessageId,
        senderId: userId,
      };
      const forwardedFrom = await originOf(row, content);
      if (content.type === 'text') {
        return sendMade({ ...request, content: { type: 'text', text: content.text, forwardedFrom } });
      }
      // A retry must not copy the file again: the copy would differ from the one sent.
      const sentBefore = await repo.findSent(userId, input.clientMessageId);
      if (sentBefore) return toMessage(sentBefore);
      const attachment = await attachments.copyForForward(userId, content.attachment.id);
      return sendMade({
        ...request,
        content: { type: 'attachment', attachment, caption: content.caption, forwardedFrom },
        attachmentId: attachment.id,
      });
    },
  };
}
