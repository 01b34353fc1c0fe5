/**
 * The image worker, except that the first job this process gives one (a
 * marker file remembers, across the replacement workers) kills the thread
 * mid-job, the way a decoder crash would. For the test that crashed jobs
 * are retried.
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { WorkerReply } from '../lib/worker-pool.ts';
import { type ProcessedImage, type ProcessImageInput, processImage } from '../modules/attachments/thumbnails.ts';
import { crashMarkerPath } from './crash-marker.ts';

declare const self: Worker;
const marker = crashMarkerPath();

self.addEventListener('message', async (event: MessageEvent<ProcessImageInput>) => {
  if (!existsSync(marker)) {
    writeFileSync(marker, 'crashed');
    process.exit(70);
  }
  const output = await processImage(event.data);
  self.postMessage({ ok: true, output } satisfies WorkerReply<ProcessedImage>);
});
