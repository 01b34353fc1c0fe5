import type { ConversationSummary } from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import type { Clock } from '../../platform/clock/index.ts';
import type { AvatarPictures } from '../avatars/index.ts';
import { canManage, lockGroup } from './access.ts';
import type { EventLog } from './event-log.ts';
import { messageEvent } from './message-view.ts';
import { appendNotes } from './notes.ts';
import { createConversationRepo } from './repo.ts';

const DIRECT_HAS_NO_PICTURE = 'Direct conversations show each person’s own picture.';
const ONLY_MANAGERS = 'Only the group’s owner and admins can change its picture.';

/**
 * A group's picture, set or removed by its owner and admins. It is made as
 * a profile picture is (from an image of the caller's, under a new random
 * key) and served with them; the group's members see the change live, with
 * a note in the conversation.
 */
export function createGroupPictures(deps: {
  log: EventLog;
  clock: Clock;
  pictures: AvatarPictures;
  /** The caller's summary of a conversation, which every change answers with. */
  summaryOf: (userId: string, conversationId: string) => Promise<ConversationSummary>;
}) {
  const { log, pictures } = deps;

  /** Points the group at `avatarKey` (null: none); the picture it replaced, or a refused one, goes. */
  async function replacePicture(userId: string, conversationId: string, avatarKey: string | null) {
    let replaced: string | null = null;
    try {
      await log.write(async (tx) => {
        const on = createConversationRepo(tx);
        const { role, conversation } = await lockGroup(on, conversationId, userId, DIRECT_HAS_NO_PICTURE);
        if (!canManage(role)) throw new AppError('FORBIDDEN', ONLY_MANAGERS);
        replaced = conversation.avatarKey;
        // Removing a picture the group does not have changes nothing, and says nothing.
        if (avatarKey === null && replaced === null) return { result: undefined, events: [] };
        const at = new Date(deps.clock.now());
        await on.setConversationAvatar(conversationId, avatarKey, at);
        const note = { kind: 'picture_changed', by: userId, isRemoved: avatarKey === null } as const;
        const notes = await appendNotes(on, conversationId, [userId], [note], at);
        return {
          result: undefined,
          events: [
            { conversationId, kind: 'conversation_updated', event: { kind: 'conversation_updated', conversationId } },
            ...notes.map((row) => messageEvent(row)),
          ],
        };
      });
    } catch (error) {
      await pictures.discard(avatarKey);
      throw error;
    }
    await pictures.discard(replaced);
    return deps.summaryOf(userId, conversationId);
  }

  return {
    /** Makes the caller's uploaded image the group's picture: its centre square, 256 pixels, no metadata. */
    async setGroupAvatar(userId: string, conversationId: string, attachmentId: string): Promise<ConversationSummary> {
      // Refused before the image is decoded; the transaction checks again, as the role may change meanwhile.
      const { kind, myRole } = await deps.summaryOf(userId, conversationId);
      if (kind !== 'group') throw new AppError('INVALID_INPUT', DIRECT_HAS_NO_PICTURE);
      if (!canManage(myRole)) throw new AppError('FORBIDDEN', ONLY_MANAGERS);
      return replacePicture(userId, conversationId, await pictures.make(userId, attachmentId));
    },
    removeGroupAvatar: (userId: string, conversationId: string): Promise<ConversationSummary> =>
      replacePicture(userId, conversationId, null),
  };
}
