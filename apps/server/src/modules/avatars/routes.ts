import { AVATAR_KEY_PATTERN } from '@gopherchat/api';
import { Elysia } from 'elysia';
import type { BlobStore } from '../../platform/blob-store/index.ts';
import { avatarObjectKey } from './pictures.ts';

/**
 * Serves pictures of people and groups from this origin (`avatarPath`),
 * which every screen's `<img>` can load without credentials: a picture is
 * fetched by its random key, which only those who can see the profile or
 * the group are given. A key is never reused, so a picture is cached for
 * good.
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
