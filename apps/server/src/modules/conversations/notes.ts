import type { MessageContent, SystemEvent } from '@gopherchat/api';
import { uuidv7 } from 'uuidv7';
import type { ConversationRepo, MessageRow } from './repo.ts';

const systemEntry = (event: SystemEvent, at: Date) => ({
  id: uuidv7(),
  senderId: null,
  clientMessageId: null,
  content: { type: 'system', event } satisfies MessageContent,
  replyToSeq: null,
  createdAt: at,
});

/**
 * Writes what someone did as notes in the conversation. `seenBy` (who did
 * it, and whoever it brought in) have seen them, like their own messages:
 * their pointers move past them, so a new conversation, or being added to
 * one, never shows as unread news.
 */
export async function appendNotes(
  on: ConversationRepo,
  conversationId: string,
  seenBy: string[],
  events: SystemEvent[],
  at: Date,
): Promise<MessageRow[]> {
  const notes = await on.appendMessages(
    conversationId,
    events.map((event) => systemEntry(event, at)),
    at,
  );
  const last = notes.at(-1);
  if (last) {
    await on.advancePointers(
      [...new Set(seenBy)].map((userId) => ({ conversationId, userId, deliveredSeq: last.seq, readSeq: last.seq })),
    );
  }
  return notes;
}
