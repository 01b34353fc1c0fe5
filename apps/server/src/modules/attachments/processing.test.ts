import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UserEvent } from '@gopherchat/api';
import { attachments } from '@gopherchat/db';
import { eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { createWorkerPool } from '../../lib/worker-pool.ts';
import { openBlobStore } from '../../platform/blob-store/index.ts';
import { systemClock } from '../../platform/clock/index.ts';
import { type DatabaseHandle, openDatabase, resolveMigrationsDir } from '../../platform/database/index.ts';
import { eventually } from '../../testing/collect.ts';
import { crashMarkerPath } from '../../testing/crash-marker.ts';
import { testLogger } from '../../testing/logger.ts';
import { uploadWithGrant } from '../../testing/uploads.ts';
import { createAttachmentService } from './service.ts';
import type { ProcessedImage, ProcessImageInput } from './thumbnails.ts';

/** Processing jobs as a server instance runs them, with a worker that crashes on its first job. */
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

  afterAll(async () => {
    await blobs?.close();
    await database?.close();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(crashMarkerPath(), { force: true });
  });

  it('retries a job whose worker crashed mid-job, and finishes it', async () => {
    rmSync(crashMarkerPath(), { force: true });
    const images = createWorkerPool<ProcessImageInput, ProcessedImage>({
      workerUrl: new URL('../../testing/crash-once-image-worker.ts', import.meta.url),
      size: 1,
    });
    const signals: UserEvent[] = [];
    const service = createAttachmentService({
      db: database.db,
      store: blobs.store,
      images,
      quotaBytes: 100 * 1024 * 1024,
      signal: async (signal) => {
        signals.push(JSON.parse(signal.payload) as UserEvent);
      },
      clock: systemClock,
      logger: testLogger,
    });
    const processing = service.startProcessing({ poolSize: 1, pollMs: 100 });
    try {
      const bytes = new Uint8Array(
        await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
          .png()
          .toBuffer(),
      );
      const grant = await service.requestUpload(ownerId, {
        fileName: 'dot.png',
        contentType: 'image/png',
        byteSize: bytes.length,
      });
      await uploadWithGrant(grant, bytes, 'image/png');
      await service.confirm(ownerId, grant.attachmentId);

      await eventually(() => signals.length > 0, 'the outcome', 15_000);
      expect(signals).toEqual([
        {
          kind: 'attachment_updated',
          attachment: { id: grant.attachmentId, state: 'ready', placeholder: expect.any(String), hasThumbnail: true },
        },
      ]);
      const [row] = await database.db
        .select({ attempts: attachments.attempts, failure: attachments.failure })
        .from(attachments)
        .where(eq(attachments.id, grant.attachmentId));
      expect(row?.attempts).toBe(2);
      expect(row?.failure).toContain('the worker died mid-job');
    } finally {
      await processing.stop();
      await images.close();
    }
  });
});
