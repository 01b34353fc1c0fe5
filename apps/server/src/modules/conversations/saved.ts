import {
  type MessageContent,
  SAVED_MESSAGES_MAX,
  type SavedPage,
  type TSavedPageInput,
  type UserEvent,
} from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import type { Clock } from '../../platform/clock/index.ts';
import type { Database } from '../../platform/database/index.ts';
import { requireRole } from './access.ts';
import type { EventHub } from './event-hub.ts';
import { toMessage } from './message-view.ts';
import type { ConversationRepo } from './repo.ts';
import { createSavedRepo, type SavedKey } from './saved-repo.ts';

/**
 * Saved messages: each person's private list of messages to come back to.
 * Nobody else learns what someone saved; their other devices hear of it
 * live, and read the list again after a resync.
 */
export function createSavedMessages(deps: {
  db: Database;
  hub: EventHub;
  clock: Clock;
  repo: Pick<ConversationRepo, 'findMessage'>;
  /** Who is in which conversation (the membership cache). */
  membership: Pick<ConversationRepo, 'roleOf'>;
}) {
  const { hub, clock, repo, membership } = deps;
  const saved = createSavedRepo(deps.db);

  function tellMyDevices(userId: string, key: SavedKey, isSaved: boolean) {
    return hub.signal({
      userIds: [userId],
      payload: JSON.stringify({ kind: 'saved', ...key, isSaved } satisfies UserEvent),
      isDroppable: false,
    });
  }

  return {
    async save(userId: string, key: SavedKey): Promise<void> {
      await requireRole(membership, key.conversationId, userId);
      const row = await repo.findMessage(key.conversationId, key.seq);
      if (!row) throw new AppError('NOT_FOUND', 'That message does not exist.');
      if (row.deletedAt) throw new AppError('INVALID_INPUT', 'That message was deleted.');
      if ((row.content as MessageContent).type === 'system') {
        throw new AppError('INVALID_INPUT', 'Notes about the conversation cannot be saved.');
      }
      if ((await saved.save(userId, key, new Date(clock.now()))) === 'full') {
        throw new AppError(
          'INVALID_INPUT',
          `You can keep at most ${SAVED_MESSAGES_MAX} saved messages. Remove some you no longer need.`,
        );
      }
      await tellMyDevices(userId, key, true);
    },

    /** Also for a conversation one has left: taking a message off one's own list needs no membership. */
    async unsave(userId: string, key: SavedKey): Promise<void> {
      await saved.unsave(userId, key);
      await tellMyDevices(userId, key, false);
    },

    async savedPage(userId: string, input: TSavedPageInput): Promise<SavedPage> {
      const before = input.before && { ...input.before, savedAt: new Date(input.before.savedAt) };
      const rows = await saved.page(userId, { before, limit: input.limit });
      return {
        items: rows
          .slice(0, input.limit)
          .map((row) => ({ savedAt: row.savedAt.toISOString(), message: toMessage(row.message) })),
        hasMore: rows.length > input.limit,
      };
    },

    savedKeys: (userId: string): Promise<SavedKey[]> => saved.keys(userId),
  };
}
