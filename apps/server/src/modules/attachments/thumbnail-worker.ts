/**
 * The media worker thread: processes one image per message and replies with
 * the result (its buffers transferred, not copied). See worker-pool.ts.
 */
import type { WorkerReply } from '../../lib/worker-pool.ts';
import { type ProcessedImage, type ProcessImageInput, processImage } from './thumbnails.ts';

declare const self: Worker;

self.addEventListener('message', async (event: MessageEvent<ProcessImageInput>) => {
  let reply: WorkerReply<ProcessedImage>;
  try {
    reply = { ok: true, output: await processImage(event.data) };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const transfer = reply.ok ? [reply.output.clean.buffer, reply.output.thumbnail.buffer] : [];
  self.postMessage(reply, transfer as Bun.Transferable[]);
});
