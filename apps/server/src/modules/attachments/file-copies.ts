import type { AttachmentFacts } from '@gopherchat/api';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { AppError } from '../../errors.ts';
import type { BlobStore } from '../../platform/blob-store/index.ts';
import { IMAGE_MAX_PIXELS } from './processing-jobs.ts';
import type { AttachmentRepo, AttachmentRow } from './repo.ts';
import { factsOf, fileKeyOf, isDownloadable, kindOf, objectKeysOf } from './stored-files.ts';
import { squareAvatar } from './thumbnails.ts';

/** A profile picture is made from an image of at most this size… */
const AVATAR_SOURCE_MAX_BYTES = 10 * 1024 * 1024;
/** …at most this many at once per instance (each decodes a whole image, outside the worker pool). */
const AVATARS_AT_ONCE = 2;

/**
 * Files made from files already here: a forwarded file's own copy, and a
 * profile picture from an upload.
 */
export function createFileCopies(deps: {
  repo: AttachmentRepo;
  store: BlobStore;
  logger: Logger;
  now: () => Date;
  /** The caller's own upload; NOT_FOUND otherwise. */
  ownUpload: (userId: string, attachmentId: string) => Promise<AttachmentRow>;
  /** Stores a new file's row; refuses in words when its owner has no room for it. */
  insertWithinQuota: (row: AttachmentRow) => Promise<void>;
  deleteObjects: (keys: string[]) => Promise<void>;
}) {
  const { repo, store, logger, now, ownUpload, deleteObjects } = deps;
  let avatarsInTheMaking = 0;

  return {
    /**
     * For messages: a copy of a processed file shared where the forwarder
     * can see it, theirs to send elsewhere (and counted in their storage).
     * Its row comes first: were the copy cut short, the unshared row is
     * collected with whatever objects it got.
     */
    async copyForForward(userId: string, attachmentId: string): Promise<AttachmentFacts> {
      const [source] = await repo.visibleTo(userId, [attachmentId]);
      if (!source) throw new AppError('NOT_FOUND', 'That file is no longer there.');
      if (source.state === 'failed')
        throw new AppError('INVALID_INPUT', 'That file was refused; it cannot be forwarded.');
      if (source.state !== 'ready') {
        throw new AppError('INVALID_INPUT', 'That file is still being processed. Forward it in a moment.');
      }
      const id = uuidv7();
      const at = now();
      const copy = {
        ...source,
        id,
        ownerId: userId,
        objectKey: fileKeyOf(id),
        thumbnailKey: source.thumbnailKey ? `media/${id}/thumbnail.webp` : null,
        conversationId: null,
        attempts: 0,
        nextAttemptAt: null,
        leasedUntil: null,
        failure: null,
        createdAt: at,
        updatedAt: at,
      } satisfies AttachmentRow;
      await deps.insertWithinQuota(copy);
      const copies = [[source.objectKey, copy.objectKey]];
      if (source.thumbnailKey && copy.thumbnailKey) copies.push([source.thumbnailKey, copy.thumbnailKey]);
      const isCopied = (await Promise.all(copies.map(([from, to]) => store.copy(from as string, to as string)))).every(
        Boolean,
      );
      if (!isCopied) {
        // Its message was deleted meanwhile, and the file with it.
        await repo.delete(id);
        await deleteObjects(objectKeysOf(copy));
        throw new AppError('NOT_FOUND', 'That file is no longer there.');
      }
      return factsOf(copy);
    },

    /**
     * For profile pictures: the uploader's confirmed image, made a square
     * WebP (see `squareAvatar`); the upload itself is then discarded.
     */
    async avatarFrom(userId: string, attachmentId: string): Promise<Uint8Array> {
      const row = await ownUpload(userId, attachmentId);
      if (kindOf(row.contentType) !== 'image') throw new AppError('INVALID_INPUT', 'A profile picture is an image.');
      if (!isDownloadable(row)) throw new AppError('INVALID_INPUT', 'Confirm the upload before using it.');
      if (row.byteSize > AVATAR_SOURCE_MAX_BYTES) {
        throw new AppError('INVALID_INPUT', 'A profile picture can be made from an image of at most 10 MB.');
      }
      if (avatarsInTheMaking >= AVATARS_AT_ONCE) {
        throw new AppError(
          'RATE_LIMITED',
          'Profile pictures are being made for others right now. Try again in a moment.',
        );
      }
      avatarsInTheMaking++;
      let avatar: Uint8Array;
      try {
        avatar = await squareAvatar(await store.read(row.objectKey), IMAGE_MAX_PIXELS);
      } catch (error) {
        logger.warn({ err: error, attachmentId }, 'profile picture not made');
        throw new AppError('INVALID_INPUT', 'That image cannot be used as a profile picture.');
      } finally {
        avatarsInTheMaking--;
      }
      // Only a vehicle: nothing else will use it (a send racing this keeps it, and its file).
      const discarded = await repo.deleteOwnUnshared(userId, attachmentId);
      if (discarded) await deleteObjects(objectKeysOf(discarded));
      return avatar;
    },
  };
}
