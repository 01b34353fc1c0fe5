import {
  type MessageContent,
  type MessageReactions,
  REACTIONS_PER_MESSAGE_MAX,
  type TReactionInput,
  withoutReaction,
  withReaction,
} from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import type { TokenBuckets } from '../../lib/token-buckets.ts';
import { requireRole } from './access.ts';
import type { EventLog } from './event-log.ts';
import { createConversationRepo, type MessageRow } from './repo.ts';

const reactionsOf = (row: MessageRow): MessageReactions => ({
  conversationId: row.conversationId,
  seq: row.seq,
  revision: row.revision,
  reactions: row.reactions,
});

/**
 * Reactions to messages. Each change is written through the event log, so
 * everyone in the conversation sees it live and a client that was away
 * gets it on resume; the event carries the message's reactions as they
 * then stand, so applying it twice, or after a newer copy, changes nothing.
 */
export function createReactions(deps: {
  log: EventLog;
  /** The sender's send budget: a reaction is a write that everyone in the conversation receives, as a message is. */
  perSender: TokenBuckets;
}) {
  const { log, perSender } = deps;

  async function change(userId: string, input: TReactionInput, isAdding: boolean): Promise<MessageReactions> {
    if (!perSender.take(userId).isAllowed) {
      throw new AppError('RATE_LIMITED', 'You are reacting faster than the server takes. Try again in a moment.');
    }
    return log.write(async (tx) => {
      const on = createConversationRepo(tx);
      await requireRole(on, input.conversationId, userId);
      const row = await on.lockMessage(input.conversationId, input.seq);
      if (!row) throw new AppError('NOT_FOUND', 'That message does not exist.');
      if (row.deletedAt) throw new AppError('INVALID_INPUT', 'That message was deleted.');
      if ((row.content as MessageContent).type === 'system') {
        throw new AppError('INVALID_INPUT', 'Notes about the conversation take no reactions.');
      }
      const reactions = (isAdding ? withReaction : withoutReaction)(row.reactions, input.emoji, userId);
      if (reactions === row.reactions) return { result: reactionsOf(row), events: [] };
      if (reactions.length > REACTIONS_PER_MESSAGE_MAX) {
        throw new AppError(
          'INVALID_INPUT',
          `A message takes at most ${REACTIONS_PER_MESSAGE_MAX} different emoji. React with one already there.`,
        );
      }
      const update = reactionsOf(
        await on.updateMessage(input.conversationId, input.seq, { reactions: [...reactions] }),
      );
      return {
        result: update,
        events: [{ conversationId: input.conversationId, kind: 'reactions', event: { kind: 'reactions', update } }],
      };
    });
  }

  return {
    /** Adds the caller's reaction; one already there succeeds and changes nothing. */
    react: (userId: string, input: TReactionInput) => change(userId, input, true),
    /** Takes the caller's reaction back; one not there succeeds and changes nothing. */
    removeReaction: (userId: string, input: TReactionInput) => change(userId, input, false),
  };
}
