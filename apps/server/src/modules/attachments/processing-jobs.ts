import type { Logger } from 'pino';
import type { WorkerPool } from '../../lib/worker-pool.ts';
import type { BlobStore } from '../../platform/blob-store/index.ts';
import type { Scheduler } from '../../platform/clock/index.ts';
import type { AttachmentRepo, AttachmentRow } from './repo.ts';
import type { ProcessedImage, ProcessImageInput } from './thumbnails.ts';

/** Images larger than this many pixels are refused: decoding them could take all the memory. */
export const IMAGE_MAX_PIXELS = 50_000_000;
/** A job not finished by then is taken to have died with its worker or instance. */
const JOB_LEASE_MS = 2 * 60 * 1000;

export interface RetryPolicy {
  /** Attempts before a job fails for good. */
  maxAttempts: number;
  /** How long to wait before the next attempt of a job that failed `attempts` times. */
  delayMs: (attempts: number) => number;
}

/** 2 s, 8 s, 18 s, 32 s, then failed: about a minute, enough to ride out a store or worker hiccup. */
const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, delayMs: (attempts) => 2_000 * attempts ** 2 };

/**
 * Image processing (a clean copy, a thumbnail, a placeholder), driven by
 * jobs kept in the database: one job at a time per free worker, woken by
 * confirmations (`pumpNow`) and by a slow poll, leased so that a job whose
 * worker or instance died is taken again once its lease runs out.
 */
export function createProcessingJobs(deps: {
  repo: AttachmentRepo;
  store: BlobStore;
  images: WorkerPool<ProcessImageInput, ProcessedImage>;
  /** Stamps rows, times the poll and the retries. */
  clock: Scheduler;
  logger: Logger;
  retry?: RetryPolicy;
  /** Tells the owner and the conversation how processing went. */
  announce(row: AttachmentRow): Promise<void>;
  /** Deletes objects, logging (not throwing) what could not be. */
  deleteObjects(keys: string[]): Promise<void>;
}) {
  const { repo, store, clock, logger } = deps;
  const retry = deps.retry ?? DEFAULT_RETRY;
  const now = () => new Date(clock.now());
  // No jobs until processing starts: an instance that does not process takes none.
  let capacity = 0;
  let running = 0;
  let isStopped = false;
  const inFlight = new Set<Promise<void>>();

  async function processJob(job: AttachmentRow) {
    try {
      const original = await store.read(job.objectKey);
      const result = await deps.images.run(
        { bytes: original, contentType: job.contentType, maxPixels: IMAGE_MAX_PIXELS },
        [original.buffer as ArrayBuffer],
      );
      // Fixed keys: a retried job overwrites what an earlier attempt left.
      const thumbnailKey = `media/${job.id}/thumbnail.webp`;
      await store.write(thumbnailKey, result.thumbnail, 'image/webp');
      await store.write(job.objectKey, result.clean, job.contentType);
      const finished = await repo.finishJob(
        job.id,
        { thumbnailKey, placeholder: result.placeholder, width: result.width, height: result.height },
        now(),
      );
      if (finished) await deps.announce(finished);
      // Deleted while it was processed (its message deleted, or discarded): what was written here has no row left to delete it.
      else if (!(await repo.find(job.id))) await deps.deleteObjects([thumbnailKey, job.objectKey]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (job.attempts >= retry.maxAttempts) {
        logger.error({ err: error, attachmentId: job.id }, 'attachment processing failed for good');
        // What the uploader is told (the cause, in the log above, is for the operator).
        const failed = await repo.fail(job.id, 'That image could not be read. Try another file.', now());
        if (failed) await deps.announce(failed);
      } else {
        logger.warn(
          { err: error, attachmentId: job.id, attempt: job.attempts },
          'attachment processing failed; retrying',
        );
        await repo.postponeJob(job.id, reason, new Date(clock.now() + retry.delayMs(job.attempts)));
      }
    }
  }

  /** Takes what is due now; settles once none is due or the pool is busy. */
  function pumpNow() {
    return pump().catch((error) => logger.error({ err: error }, 'attachment jobs not taken'));
  }

  /** Leases and starts due jobs until the pool is busy or none are due. */
  async function pump() {
    while (!isStopped && running < capacity) {
      const job = await repo.leaseNextJob(now(), JOB_LEASE_MS);
      if (!job) return;
      running++;
      const work = processJob(job).finally(() => {
        running--;
        inFlight.delete(work);
        void pumpNow();
      });
      inFlight.add(work);
    }
  }

  return {
    pumpNow,

    /**
     * Starts taking jobs, as many at once as the pool has workers: now, and
     * every `pollMs` (for retries and other instances' dead leases).
     */
    start(options: { pollMs: number }) {
      capacity = deps.images.size;
      let cancelPoll = () => {};
      const schedulePoll = () => {
        cancelPoll = clock.setTimer(options.pollMs, () => {
          void pumpNow();
          schedulePoll();
        });
      };
      schedulePoll();
      void pumpNow();
      return {
        /** Takes what is due now, as each poll does; settles once none is due or the pool is busy. */
        pollNow: pumpNow,
        async stop() {
          isStopped = true;
          cancelPoll();
          await Promise.allSettled([...inFlight]);
        },
      };
    },
  };
}
