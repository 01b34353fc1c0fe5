import type { UserEvent } from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import type { RateLimiter } from '../../platform/rate-limit/index.ts';
import { requireRole } from './access.ts';
import type { EventHub } from './event-hub.ts';
import type { ConversationRepo } from './repo.ts';

/** Typing signals: live only, never stored, dropped first when a subscriber is backed up. */
export function createTyping(deps: {
  hub: EventHub;
  /** Who is in which conversation (the membership cache). */
  membership: Pick<ConversationRepo, 'roleOf'>;
  /** Typing signals per person. */
  limit: RateLimiter;
}) {
  const { hub, membership } = deps;
  return {
    /** Tells the others in the conversation, live, that `userId` is typing (or stopped). Never stored. */
    async typing(userId: string, input: { conversationId: string; isTyping: boolean }): Promise<void> {
      await requireRole(membership, input.conversationId, userId);
      const decision = await deps.limit.consume(userId);
      if (!decision.isAllowed) {
        throw new AppError('RATE_LIMITED', 'Typing signals are coming too fast; slow down a little.');
      }
      await hub.signal({
        conversationIds: [input.conversationId],
        exceptUserId: userId,
        payload: JSON.stringify({ kind: 'typing', userId, ...input } satisfies UserEvent),
        isDroppable: true,
      });
    },
  };
}
