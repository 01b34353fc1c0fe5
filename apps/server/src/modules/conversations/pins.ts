import { type Message, type MessageContent, PINS_PER_CONVERSATION_MAX } from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { canManage, requireRole } from './access.ts';
import type { EventLog } from './event-log.ts';
import { messageEvent, toMessage } from './message-view.ts';
import { appendNotes } from './notes.ts';
import { type ConversationRepo, createConversationRepo } from './repo.ts';

/**
 * Pinned messages: what a conversation wants kept in view (a decision, an
 * address, the rules). In a group its owner and admins pin; in a direct
 * conversation both people do. A pin is a change of the message (a new
 * revision, sent live like an edit) and leaves a note; unpinning does not.
 */
export function createPins(deps: {
  log: EventLog;
  clock: Clock;
  repo: ConversationRepo;
  /** Who is in which conversation (the membership cache). */
  membership: Pick<ConversationRepo, 'roleOf'>;
}) {
  const { log, clock, repo, membership } = deps;

  async function setPinned(userId: string, input: { conversationId: string; seq: number }, isPinning: boolean) {
    const { conversationId, seq } = input;
    return log.write(async (tx) => {
      const on = createConversationRepo(tx);
      const role = await requireRole(on, conversationId, userId);
      const conversation = await on.lockConversation(conversationId);
      if (conversation?.kind === 'group' && !canManage(role)) {
        throw new AppError('FORBIDDEN', 'Only the group’s owner and admins can pin messages.');
      }
      const row = await on.lockMessage(conversationId, seq);
      if (!row) throw new AppError('NOT_FOUND', 'That message does not exist.');
      if (row.deletedAt) throw new AppError('INVALID_INPUT', 'That message was deleted.');
      if ((row.content as MessageContent).type === 'system') {
        throw new AppError('INVALID_INPUT', 'Notes about the conversation cannot be pinned.');
      }
      if (isPinning === (row.pinnedAt !== null)) return { result: toMessage(row), events: [] };
      if (isPinning && (await on.pinCount(conversationId)) >= PINS_PER_CONVERSATION_MAX) {
        throw new AppError(
          'INVALID_INPUT',
          `A conversation keeps at most ${PINS_PER_CONVERSATION_MAX} pinned messages. Unpin one first.`,
        );
      }
      const at = new Date(clock.now());
      const updated = await on.updateMessage(
        conversationId,
        seq,
        isPinning ? { pinnedAt: at, pinnedBy: userId } : { pinnedAt: null, pinnedBy: null },
      );
      const notes = isPinning
        ? await appendNotes(on, conversationId, [userId], [{ kind: 'pinned', by: userId, seq }], at)
        : [];
      return {
        result: toMessage(updated),
        events: [messageEvent(updated, 'message_updated'), ...notes.map((note) => messageEvent(note))],
      };
    });
  }

  return {
    pin: (userId: string, input: { conversationId: string; seq: number }): Promise<Message> =>
      setPinned(userId, input, true),
    unpin: (userId: string, input: { conversationId: string; seq: number }): Promise<Message> =>
      setPinned(userId, input, false),

    /** The conversation's pinned messages, the latest pinned first. */
    async pinned(userId: string, conversationId: string): Promise<Message[]> {
      await requireRole(membership, conversationId, userId);
      return (await repo.pinned(conversationId)).map(toMessage);
    },
  };
}
