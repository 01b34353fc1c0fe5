import type { Message, MessageContent } from '@gopherchat/api';
import type { PendingEvent } from './event-log.ts';
import type { MessageRow } from './repo.ts';

/** A stored message as clients see it. */
export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    senderId: row.senderId,
    clientMessageId: row.clientMessageId,
    content: row.content as MessageContent,
    replyToSeq: row.replyToSeq,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
    reactions: row.reactions,
    revision: row.revision,
    pinnedAt: row.pinnedAt?.toISOString() ?? null,
    pinnedBy: row.pinnedBy,
    ...(row.linkPreview && !('isRemoved' in row.linkPreview) && { linkPreview: row.linkPreview }),
    ...(row.mentions && { mentions: row.mentions }),
  };
}

/** The log event telling the conversation's members of a new or changed message. */
export const messageEvent = (row: MessageRow, kind: 'message' | 'message_updated' = 'message'): PendingEvent => ({
  conversationId: row.conversationId,
  kind,
  event: { kind, message: toMessage(row) },
});
