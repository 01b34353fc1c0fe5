import { AVATAR_KEY_PATTERN } from '@gopherchat/api';
import { Elysia } from 'elysia';
import type { BlobStore } from '../../platform/blob-store/index.ts';

/** What profile pictures need of the attachments module (a port): the uploader's image, made a square WebP. */
export interface AvatarImages {
  avatarFrom(userId: string, attachmentId: string): Promise<Uint8Array>;
}

/** Where a profile picture lives in the object store. */
export const avatarObjectKey = (avatarKey: string) => `avatars/${avatarKey}`;

/** A new picture's key: random, so that knowing it is what lets one fetch it, and new each time (so cached for good). */
export const newAvatarKey = () => `${crypto.randomUUID()}.webp`;

/**
 * Serves profile pictures from this origin (`avatarPath`), which every
 * screen's `<img>` can load without credentials: a picture is fetched by its
 * random key, which only those who can see the profile are given. A key is
 * never reused, so a picture is cached for good.
 */
export function createAvatarRoutes(options: { store: Pick<BlobStore, 'stat' | 'read'> }) {
  return new Elysia().get('/avatars/:key', async ({ params, set }) => {
    if (!AVATAR_KEY_PATTERN.test(params.key) || !(await options.store.stat(avatarObjectKey(params.key)))) {
      set.status = 404;
      return { error: 'Not found' };
    }
    const picture = await options.store.read(avatarObjectKey(params.key));
    // The DOM's BodyInit wants an ArrayBuffer-backed view (not a SharedArrayBuffer one).
    return new Response(picture as Uint8Array<ArrayBuffer>, {
      headers: {
        'content-type': 'image/webp',
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      },
    });
  });
}
