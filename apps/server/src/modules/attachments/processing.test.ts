import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UserEvent } from '@gopherchat/api';
import { attachments } from '@gopherchat/db';
import { eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { createWorkerPool, type WorkerPool } from '../../lib/worker-pool.ts';
import { openBlobStore } from '../../platform/blob-store/index.ts';
import { createManualClock, type Scheduler, systemClock } from '../../platform/clock/index.ts';
import {
  type DatabaseHandle,
  openDatabase,
  resolveMigrationsDir,
  runStatement,
} from '../../platform/database/index.ts';
import { eventually } from '../../testing/collect.ts';
import { crashMarkerPath } from '../../testing/crash-marker.ts';
import { testLogger } from '../../testing/logger.ts';
import { testPhoto, uploadWithGrant } from '../../testing/uploads.ts';
import type { RetryPolicy } from './processing-jobs.ts';
import { createAttachmentService } from './service.ts';
import type { ProcessedImage, ProcessImageInput } from './thumbnails.ts';

/**
 * Processing jobs as server instances run them, on one database and store:
 * a worker that crashes on its first job, and instances that stop mid-way.
 */
describe('attachment processing', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'gopherchat-processing-'));
  let database: DatabaseHandle;
  let blobs: Awaited<ReturnType<typeof openBlobStore>>;
  const ownerId = '01900000-0000-7000-8000-00000000000a';

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', dataDir: undefined }, await resolveMigrationsDir(undefined));
    await database.migrate();
    await database.db.execute(
      sql`insert into users (id, username, email, display_name) values (${ownerId}, 'ada', 'ada@example.com', 'Ada')`,
    );
    blobs = await openBlobStore({
      kind: 'local',
      directory: join(scratch, 'blobs'),
      port: 0,
      bucket: 'media',
      allowedOrigins: [],
    });
  });

  // Each test starts with an empty queue: what one leaves would be another's first job.
  afterEach(async () => {
    await database.db.delete(attachments);
  });

  afterAll(async () => {
    await blobs?.close();
    await database?.close();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(crashMarkerPath(), { force: true });
  });

  /**
   * What one server instance has: the service, its worker pool, and the
   * signals it sent. `afterEachImage` runs when a worker has processed an
   * image, before the service stores the result.
   */
  function instance(
    options: {
      workerScript?: string;
      clock?: Scheduler;
      retry?: RetryPolicy;
      afterEachImage?: () => Promise<void>;
    } = {},
  ) {
    const { workerScript = '../attachments/thumbnail-worker.ts', clock = systemClock, afterEachImage } = options;
    const images = createWorkerPool<ProcessImageInput, ProcessedImage>({
      workerUrl: new URL(workerScript, import.meta.url),
      size: 1,
    });
    const pool: WorkerPool<ProcessImageInput, ProcessedImage> = {
      ...images,
      run: async (input, transfer) => {
        const output = await images.run(input, transfer);
        await afterEachImage?.();
        return output;
      },
    };
    const signals: UserEvent[] = [];
    const service = createAttachmentService({
      db: database.db,
      store: blobs.store,
      images: pool,
      quotaBytes: 100 * 1024 * 1024,
      signal: async (signal) => {
        signals.push(JSON.parse(signal.payload) as UserEvent);
      },
      clock,
      logger: testLogger,
      retry: options.retry,
    });
    return { service, images, signals };
  }

  async function uploadImage(
    service: ReturnType<typeof instance>['service'],
    file: { bytes: Uint8Array; contentType: string } | undefined = undefined,
  ) {
    const { bytes, contentType } = file ?? {
      bytes: new Uint8Array(
        await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
          .png()
          .toBuffer(),
      ),
      contentType: 'image/png',
    };
    const grant = await service.requestUpload(ownerId, {
      fileName: 'picture',
      contentType: contentType as 'image/png',
      byteSize: bytes.length,
    });
    await uploadWithGrant(grant, bytes, contentType);
    return grant.attachmentId;
  }

  const rowOf = async (id: string) => (await database.db.select().from(attachments).where(eq(attachments.id, id)))[0];

  const readyEvent = (id: string): UserEvent => ({
    kind: 'attachment_updated',
    attachment: { id, state: 'ready', placeholder: expect.any(String), hasThumbnail: true },
  });

  it('collects files never shared a day after their upload began, and keeps shared ones', async () => {
    const clock = createManualClock(Date.now());
    const { service, images } = instance({ clock });
    try {
      const neverConfirmed = await uploadImage(service);
      const neverSent = await uploadImage(service);
      await service.confirm(ownerId, neverSent);
      const sent = await uploadImage(service);
      await service.confirm(ownerId, sent);
      const conversationId = '01900000-0000-7000-8000-0000000000c1';
      await database.db.execute(sql`
        insert into conversations (id, kind, title, created_at, updated_at)
        values (${conversationId}, 'group', 'Shared', now(), now())`);
      expect(await runStatement(database.db, service.claim([{ attachmentId: sent, ownerId, conversationId }]))).toEqual(
        new Set([sent]),
      );
      const keys = await Promise.all([neverConfirmed, neverSent, sent].map(async (id) => (await rowOf(id))?.objectKey));

      clock.advance(23 * 60 * 60 * 1000);
      await service.collectAbandoned();
      expect(await rowOf(neverSent)).toBeDefined();

      clock.advance(2 * 60 * 60 * 1000);
      await service.collectAbandoned();
      expect(await rowOf(neverConfirmed)).toBeUndefined();
      expect(await rowOf(neverSent)).toBeUndefined();
      expect(await rowOf(sent)).toBeDefined();
      const stored = await Promise.all(keys.map((key) => blobs.store.stat(key ?? '')));
      expect(stored.map(Boolean)).toEqual([false, false, true]);
    } finally {
      await images.close();
    }
  });

  it('reads the dimensions of a WebP, which libvips will not read from its first bytes alone, from the whole file', async () => {
    const { service, images } = instance();
    try {
      const noise = new Uint8Array(1600 * 1000 * 3).map((_, index) => (index * 2654435761) >>> 24);
      const bytes = new Uint8Array(
        await sharp(noise, { raw: { width: 1600, height: 1000, channels: 3 } })
          .webp({ quality: 100 })
          .toBuffer(),
      );
      // Larger than the part read first, which sharp cannot parse for a WebP.
      expect(bytes.length).toBeGreaterThan(256 * 1024);
      const attachmentId = await uploadImage(service, { bytes, contentType: 'image/webp' });
      expect(await service.confirm(ownerId, attachmentId)).toMatchObject({ width: 1600, height: 1000 });
    } finally {
      await images.close();
    }
  });

  it('retries a job whose worker crashed mid-job, and finishes it', async () => {
    rmSync(crashMarkerPath(), { force: true });
    const { service, images, signals } = instance({ workerScript: '../../testing/crash-once-image-worker.ts' });
    const processing = service.startProcessing({ pollMs: 100 });
    try {
      const attachmentId = await uploadImage(service);
      await service.confirm(ownerId, attachmentId);
      await eventually(() => signals.length > 0, 'the outcome', 15_000);
      expect(signals).toEqual([readyEvent(attachmentId)]);
      const row = await rowOf(attachmentId);
      expect(row?.attempts).toBe(2);
      expect(row?.failure).toContain('the worker died mid-job');
    } finally {
      await processing.stop();
      await images.close();
    }
  });

  it('gives up on an image that cannot be processed after the last attempt: failed, announced, never served', async () => {
    // Its header is whole (so it passes confirmation) but its pixels stop half way: every attempt fails.
    const photo = await testPhoto(600, 400);
    const truncated = photo.subarray(0, Math.floor(photo.length / 2));
    const { service, images, signals } = instance({ retry: { maxAttempts: 3, delayMs: () => 50 } });
    const processing = service.startProcessing({ pollMs: 20 });
    try {
      const attachmentId = await uploadImage(service, { bytes: truncated, contentType: 'image/jpeg' });
      await service.confirm(ownerId, attachmentId);
      await eventually(() => signals.length > 0, 'the outcome', 15_000);
      expect(signals).toEqual([
        {
          kind: 'attachment_updated',
          attachment: { id: attachmentId, state: 'failed', placeholder: null, hasThumbnail: false },
        },
      ]);
      const row = await rowOf(attachmentId);
      expect(row).toMatchObject({ state: 'failed', attempts: 3, leasedUntil: null, nextAttemptAt: null });
      expect(row?.failure).toBeTruthy();
      // Its only copy still has its EXIF: no link, not even to its owner.
      expect(await service.links(ownerId, [attachmentId])).toEqual([]);
      await expect(service.factsForSend(ownerId, attachmentId)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        userMessage: 'That image could not be read. Try another file.',
      });
    } finally {
      await processing.stop();
      await images.close();
    }
  });

  it('leaves nothing in the store for an image deleted while it was being processed', async () => {
    let attachmentId = '';
    const { promise: isDeleted, resolve: deleted } = Promise.withResolvers<void>();
    const { service, images, signals } = instance({
      // Its message is deleted while the worker has it: the row goes, and the objects it had then.
      afterEachImage: async () => {
        await service.deleteObjects(await service.release(database.db, attachmentId));
        deleted();
      },
    });
    attachmentId = await uploadImage(service);
    await service.confirm(ownerId, attachmentId);
    const fileKey = (await rowOf(attachmentId))?.objectKey ?? '';
    const processing = service.startProcessing({ pollMs: 20 });
    try {
      await isDeleted;
    } finally {
      // Waits for the job in flight to finish what it does after the deletion.
      await processing.stop();
      await images.close();
    }
    expect(signals).toEqual([]);
    const left = await Promise.all(
      [fileKey, `media/${attachmentId}/upload`, `media/${attachmentId}/thumbnail.webp`].map((key) =>
        blobs.store.stat(key),
      ),
    );
    expect(left).toEqual([undefined, undefined, undefined]);
  });

  it('processes the file it checked: the grant’s form posted again after confirmation changes nothing', async () => {
    const png = (background: string, compressionLevel: number) =>
      sharp({ create: { width: 64, height: 48, channels: 3, background } })
        .png({ compressionLevel })
        .toBuffer()
        .then((buffer) => new Uint8Array(buffer));
    // The first uncompressed, the second as small as can be: within the grant's size.
    const [red, blue] = [await png('#c00', 0), await png('#00c', 9)];
    expect(blue.length).toBeLessThan(red.length);
    const { service, images, signals } = instance();
    const grant = await service.requestUpload(ownerId, {
      fileName: 'red.png',
      contentType: 'image/png',
      byteSize: red.length,
    });
    await uploadWithGrant(grant, red, 'image/png');
    await service.confirm(ownerId, grant.attachmentId);
    expect((await uploadWithGrant(grant, blue, 'image/png')).ok).toBe(true);
    const processing = service.startProcessing({ pollMs: 20 });
    try {
      await eventually(() => signals.length > 0, 'the outcome', 15_000);
    } finally {
      await processing.stop();
      await images.close();
    }
    expect(signals).toEqual([readyEvent(grant.attachmentId)]);
    const served = await blobs.store.read((await rowOf(grant.attachmentId))?.objectKey ?? '');
    const [r, , b] = (await sharp(served).stats()).channels;
    expect(r?.mean).toBeGreaterThan(150);
    expect(b?.mean).toBeLessThan(50);
  });

  it('runs a job queued before its instance stopped, on the next one to start', async () => {
    const before = instance();
    // An instance that confirms but never gets to process (it stops right after).
    const attachmentId = await uploadImage(before.service);
    await before.service.confirm(ownerId, attachmentId);
    await before.images.close();
    expect((await rowOf(attachmentId))?.state).toBe('processing');
    // Until processed, the only copy still has its EXIF: no link to it yet.
    expect(await before.service.links(ownerId, [attachmentId])).toEqual([
      expect.objectContaining({ state: 'processing', url: null, thumbnailUrl: null }),
    ]);

    const after = instance();
    const processing = after.service.startProcessing({ pollMs: 100 });
    try {
      await eventually(() => after.signals.length > 0, 'the outcome', 15_000);
      expect(after.signals).toEqual([readyEvent(attachmentId)]);
    } finally {
      await processing.stop();
      await after.images.close();
    }
  });

  it('takes over a job whose instance died holding it, once the lease runs out', async () => {
    const clock = createManualClock(Date.now());
    const owner = instance({ clock });
    const attachmentId = await uploadImage(owner.service);
    await owner.service.confirm(ownerId, attachmentId);
    await owner.images.close();
    // As if an instance had leased it and died: the lease is still running…
    await database.db
      .update(attachments)
      .set({ leasedUntil: new Date(clock.now() + 1_500), attempts: 1 })
      .where(eq(attachments.id, attachmentId));

    const survivor = instance({ clock });
    const processing = survivor.service.startProcessing({ pollMs: 100 });
    try {
      clock.advance(1_400);
      await processing.pollNow();
      expect(await rowOf(attachmentId)).toMatchObject({ state: 'processing', attempts: 1 });
      // …and once it has run out, the job is due again.
      clock.advance(101);
      await processing.pollNow();
      await eventually(() => survivor.signals.length > 0, 'the outcome', 15_000);
      expect(survivor.signals).toEqual([readyEvent(attachmentId)]);
      expect((await rowOf(attachmentId))?.attempts).toBe(2);
    } finally {
      await processing.stop();
      await survivor.images.close();
    }
  });
});
