import type { Logger } from 'pino';
import type { BlobStore } from '../../platform/blob-store/index.ts';

/** What pictures need of the attachments module (a port): the uploader's image, made a square WebP. */
export interface AvatarImages {
  avatarFrom(userId: string, attachmentId: string): Promise<Uint8Array>;
}

/** Where a picture lives in the object store. */
export const avatarObjectKey = (avatarKey: string) => `avatars/${avatarKey}`;

/**
 * Pictures of people and of groups: made from an image its uploader owns
 * (its centre square, 256 px WebP, no metadata), kept under a key that is
 * random, so that knowing it is what lets one fetch it, and new each time,
 * so that it is cached for good.
 */
export function createAvatarPictures(deps: {
  images: AvatarImages;
  store: Pick<BlobStore, 'write' | 'delete'>;
  logger: Logger;
}) {
  return {
    /** Makes `userId`'s uploaded image a picture; its new key. */
    async make(userId: string, attachmentId: string): Promise<string> {
      const picture = await deps.images.avatarFrom(userId, attachmentId);
      const avatarKey = `${crypto.randomUUID()}.webp`;
      await deps.store.write(avatarObjectKey(avatarKey), picture, 'image/webp');
      return avatarKey;
    },

    /** Lets a picture no longer handed out go. Never throws: a leftover one is only wasted space. */
    async discard(avatarKey: string | null): Promise<void> {
      if (!avatarKey) return;
      await deps.store
        .delete(avatarObjectKey(avatarKey))
        .catch((error) => deps.logger.warn({ err: error, avatarKey }, 'a replaced picture was left behind'));
    },
  };
}

export type AvatarPictures = ReturnType<typeof createAvatarPictures>;
