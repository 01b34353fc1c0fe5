import type {
  AttachmentContentType,
  AttachmentFacts,
  AttachmentLinks,
  AttachmentStatus,
  TRequestUploadInput,
  UploadGrantReply,
  UserEvent,
} from '@gopherchat/api';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { AppError } from '../../errors.ts';
import type { WorkerPool } from '../../lib/worker-pool.ts';
import type { BlobStore } from '../../platform/blob-store/index.ts';
import type { Scheduler } from '../../platform/clock/index.ts';
import type { Database } from '../../platform/database/index.ts';
import type { LiveSignal } from '../conversations/index.ts';
import { isContentOfType, SNIFF_BYTES } from './file-check.ts';
import { createFileCopies } from './file-copies.ts';
import { createProcessingJobs, IMAGE_MAX_PIXELS, type RetryPolicy } from './processing-jobs.ts';
import { type AttachmentRepo, type AttachmentRow, claimAttachments, createAttachmentRepo } from './repo.ts';
import { factsOf, fileKeyOf, isDownloadable, kindOf, objectKeysOf, statusOf, uploadKeyOf } from './stored-files.ts';
import { imageDimensions, type ProcessedImage, type ProcessImageInput } from './thumbnails.ts';

/** A grant is used at once; a slow connection still has time to send 25 MB. */
const UPLOAD_GRANT_SECONDS = 15 * 60;
/** Download links are fetched right away, and asked for again when they lapse. */
const LINK_SECONDS = 10 * 60;
/** A file not shared in a conversation this long after its upload began is abandoned (and counts against the quota until then). */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Enough of an image to read its dimensions from its header, without reading
 * up to 25 MB. That works for JPEG and PNG; libvips will not read a cut-off
 * WebP or GIF, so for those (and a JPEG with a large profile first) the whole
 * file is read.
 */
const IMAGE_HEADER_BYTES = 256 * 1024;

/**
 * Shared files: grants for direct uploads to the object store, the check of
 * what arrived, attaching to messages, download links for those who may
 * see a file, and processing (a clean copy, a thumbnail, a placeholder) in
 * a worker pool, driven by jobs kept in the database.
 */
export function createAttachmentService(deps: {
  db: Database;
  store: BlobStore;
  images: WorkerPool<ProcessImageInput, ProcessedImage>;
  /** Bytes one person may keep stored. */
  quotaBytes: number;
  signal: (signal: LiveSignal) => Promise<void>;
  /** Stamps rows and times the job poll. */
  clock: Scheduler;
  logger: Logger;
  retry?: RetryPolicy;
}) {
  const { store, clock, logger } = deps;
  const repo: AttachmentRepo = createAttachmentRepo(deps.db);
  const now = () => new Date(clock.now());

  /** Tells the owner and, once shared, the conversation how processing went. */
  async function announce(row: AttachmentRow) {
    await deps.signal({
      userIds: [row.ownerId],
      conversationIds: row.conversationId ? [row.conversationId] : [],
      payload: JSON.stringify({ kind: 'attachment_updated', attachment: statusOf(row) } satisfies UserEvent),
      isDroppable: false,
    });
  }

  async function deleteObjects(keys: string[]) {
    await Promise.all(
      keys.map((key) =>
        store.delete(key).catch((error) => logger.error({ err: error, key }, 'object of a deleted file left behind')),
      ),
    );
  }

  /** Refuses what a confirmation copied to `fileKey`. */
  async function reject(row: AttachmentRow, fileKey: string, reason: string): Promise<never> {
    await store.delete(fileKey);
    await repo.refuseUpload(row.id, reason, now());
    throw new AppError('INVALID_INPUT', reason);
  }

  async function ownUpload(userId: string, attachmentId: string): Promise<AttachmentRow> {
    const row = await repo.find(attachmentId);
    if (!row || row.ownerId !== userId) throw new AppError('NOT_FOUND', 'That upload does not exist.');
    return row;
  }

  function quotaUsedUp() {
    const megabytes = Math.floor(deps.quotaBytes / (1024 * 1024));
    return new AppError('INVALID_INPUT', `You have used your ${megabytes} MB of storage. Delete some files first.`);
  }

  const copies = createFileCopies({
    repo,
    store,
    logger,
    now,
    ownUpload,
    insertWithinQuota: async (row) => {
      if (!(await repo.insertWithinQuota(deps.quotaBytes, row))) throw quotaUsedUp();
    },
    deleteObjects,
  });

  const jobs = createProcessingJobs({
    repo,
    store,
    images: deps.images,
    clock,
    logger,
    retry: deps.retry,
    announce,
    deleteObjects,
  });
  const { pumpNow } = jobs;

  return {
    async requestUpload(userId: string, input: TRequestUploadInput): Promise<UploadGrantReply> {
      const id = uuidv7();
      const at = now();
      const objectKey = uploadKeyOf(id);
      const isWithinQuota = await repo.insertWithinQuota(deps.quotaBytes, {
        id,
        ownerId: userId,
        state: 'uploading',
        fileName: input.fileName,
        contentType: input.contentType,
        byteSize: input.byteSize,
        objectKey,
        createdAt: at,
        updatedAt: at,
      });
      if (!isWithinQuota) throw quotaUsedUp();
      const grant = await store.grantUpload({
        key: objectKey,
        contentType: input.contentType,
        maxBytes: input.byteSize,
        expiresInSeconds: UPLOAD_GRANT_SECONDS,
      });
      return { attachmentId: id, ...grant };
    },

    /**
     * The uploader says the bytes are there: copies them where no grant can
     * write (see `fileKeyOf`), checks that copy's size, type and (for images)
     * dimensions against what was declared, and deletes what lied. Confirming
     * again is harmless; posting the grant's form again afterwards changes
     * nothing that is served.
     */
    async confirm(userId: string, attachmentId: string): Promise<AttachmentFacts & { status: AttachmentStatus }> {
      const row = await ownUpload(userId, attachmentId);
      const answer = (settled: AttachmentRow) => {
        if (settled.state === 'failed') {
          throw new AppError('INVALID_INPUT', settled.failure ?? 'That upload was refused.');
        }
        return { ...factsOf(settled), status: statusOf(settled) };
      };
      if (row.state !== 'uploading') return answer(row);

      const fileKey = fileKeyOf(row.id);
      if (!(await store.copy(row.objectKey, fileKey))) {
        // A confirmation racing this one may have taken the upload already.
        const settled = await ownUpload(userId, row.id);
        if (settled.state !== 'uploading') return answer(settled);
        throw new AppError('NOT_FOUND', 'The file has not arrived yet. Upload it, then confirm.');
      }
      await store.delete(row.objectKey);
      const stored = await store.stat(fileKey);
      if (!stored) throw new AppError('NOT_FOUND', 'The file has not arrived yet. Upload it, then confirm.');
      // The size announced is at most ATTACHMENT_MAX_BYTES (ZRequestUploadInput): so is a file of exactly that size.
      if (stored.byteSize !== row.byteSize) {
        await reject(row, fileKey, 'The file that arrived is not the size announced. Upload it again.');
      }
      const contentType = row.contentType as AttachmentContentType;
      const isImage = kindOf(contentType) === 'image';
      const head = await store.read(fileKey, { firstBytes: isImage ? IMAGE_HEADER_BYTES : SNIFF_BYTES });
      if (!isContentOfType(contentType, head.subarray(0, SNIFF_BYTES))) {
        await reject(row, fileKey, `That file is not really of the type ${contentType}.`);
      }
      let dimensions: { width: number; height: number } | undefined;
      if (isImage) {
        const dimensionsOf = (bytes: Uint8Array) =>
          imageDimensions(bytes).catch((error) => {
            logger.error({ err: error }, 'image library unavailable');
            throw new AppError('UNAVAILABLE', 'Images cannot be shared on this server right now. Try again later.');
          });
        dimensions = await dimensionsOf(head);
        if (!dimensions && stored.byteSize > head.length) dimensions = await dimensionsOf(await store.read(fileKey));
        if (!dimensions) await reject(row, fileKey, 'That image cannot be read.');
        else if (dimensions.width * dimensions.height > IMAGE_MAX_PIXELS) {
          await reject(row, fileKey, `That image is too large: at most ${IMAGE_MAX_PIXELS / 1_000_000} megapixels.`);
        }
      }
      const confirmed = await repo.confirm(row.id, {
        objectKey: fileKey,
        state: isImage ? 'processing' : 'ready',
        width: dimensions?.width ?? null,
        height: dimensions?.height ?? null,
        at: now(),
      });
      if (!confirmed) {
        // A confirmation racing this one got there first: its copy is the file; answer with what it made.
        await store.delete(fileKey);
        return answer(await ownUpload(userId, row.id));
      }
      if (isImage) void pumpNow();
      return answer(confirmed);
    },

    /** For messages: see AttachmentsForMessages. */
    async factsForSend(senderId: string, attachmentId: string): Promise<AttachmentFacts> {
      const row = await ownUpload(senderId, attachmentId);
      if (row.state === 'uploading') throw new AppError('INVALID_INPUT', 'Confirm the upload before sending it.');
      if (row.state === 'failed') throw new AppError('INVALID_INPUT', row.failure ?? 'That upload was refused.');
      return factsOf(row);
    },

    /** For messages: see AttachmentsForMessages. */
    copyForForward: copies.copyForForward,
    /** For profile pictures: see AvatarImages. */
    avatarFrom: copies.avatarFrom,

    claim: claimAttachments,

    async release(tx: Database, attachmentId: string): Promise<string[]> {
      const row = await createAttachmentRepo(tx).delete(attachmentId);
      return row ? objectKeysOf(row) : [];
    },

    /** The uploader drops a file they will not send after all (a shared one goes with its message instead). */
    async discard(userId: string, attachmentId: string): Promise<void> {
      // Deleted only if still unshared: a send claiming it at the same time keeps it.
      const row = await repo.deleteOwnUnshared(userId, attachmentId);
      if (!row) {
        await ownUpload(userId, attachmentId); // Gone, or not theirs: NOT_FOUND.
        throw new AppError('INVALID_INPUT', 'That file was already sent; delete its message instead.');
      }
      await deleteObjects(objectKeysOf(row));
    },

    deleteObjects,

    /**
     * Short-lived download links, for files the caller uploaded or that were
     * shared in a conversation they are in; others are left out.
     */
    async links(userId: string, attachmentIds: string[]): Promise<AttachmentLinks[]> {
      const rows = await repo.visibleTo(userId, attachmentIds);
      const expiresAt = new Date(clock.now() + LINK_SECONDS * 1000).toISOString();
      return Promise.all(
        rows.filter(isDownloadable).map(async (row) => {
          const kind = kindOf(row.contentType);
          const isImage = kind === 'image';
          const isMedia = kind === 'audio' || kind === 'video';
          const link = (key: string, contentType: string, disposition: 'inline' | 'attachment') =>
            store.downloadUrl({
              key,
              contentType,
              fileName: row.fileName,
              disposition,
              expiresInSeconds: LINK_SECONDS,
            });
          // Shown in the page: checked images, and audio and video, played from the store with ranged
          // requests. Their type was checked by magic number at confirmation and the store sends
          // `nosniff`, so the browser plays them as what they are. Every other file downloads.
          const isInline = isImage || isMedia;
          return {
            ...statusOf(row),
            url:
              isImage && row.state !== 'ready'
                ? null
                : await link(row.objectKey, row.contentType, isInline ? 'inline' : 'attachment'),
            // What is shown or plays in place can still be saved, with a link of its own (an image once processed:
            // before that its only copy still has its EXIF).
            downloadUrl:
              isMedia || (isImage && row.state === 'ready')
                ? await link(row.objectKey, row.contentType, 'attachment')
                : null,
            thumbnailUrl: row.thumbnailKey ? await link(row.thumbnailKey, 'image/webp', 'inline') : null,
            expiresAt,
          };
        }),
      );
    },

    /** Deletes files never shared, a day after their upload began: rows first, then their objects. */
    async collectAbandoned(): Promise<number> {
      const abandoned = await repo.unsharedSince(new Date(clock.now() - ABANDONED_AFTER_MS), 500);
      // A file sent since it was listed is no longer abandoned: the delete leaves it, and its objects.
      const deleted = await repo.deleteUnshared(abandoned.map((row) => row.id));
      // One file at a time: not up to a thousand requests to the store at once.
      for (const row of deleted) await deleteObjects(objectKeysOf(row));
      return deleted.length;
    },

    /** Starts taking processing jobs (see `createProcessingJobs`). */
    startProcessing: jobs.start,
  };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
