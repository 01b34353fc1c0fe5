/**
 * Image processing through the whole stack: N photos are uploaded straight
 * to the object store and confirmed, then a real server process (embedded
 * defaults: PGlite and its local S3-compatible store) makes their clean
 * copies, thumbnails and placeholders in its worker pool. Meanwhile a
 * client keeps calling `system.info`: its latency shows whether the event
 * loop stays responsive while images are processed. Run with 1 and 2 workers.
 *
 *   bun run bench:media -- [--images 40] [--size 2400x1600]
 *
 * Prints one JSON line per pool size.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { UserEvent } from '@gopherchat/api';
import { signUpClient, spawnServer, testPhoto, uploadWithGrant } from '@gopherchat/server/testing';
import { round, summarize } from './stats.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { images: { type: 'string', default: '40' }, size: { type: 'string', default: '2400x1600' } },
});
const imageCount = Number(values.images);
const [width, height] = (values.size ?? '').split('x').map(Number) as [number, number];
const photo = await testPhoto(width, height);

/** `system.info` round trips, one after another, until `until` resolves. */
async function probeLatency(url: URL, until: Promise<unknown>) {
  const latencies: number[] = [];
  let isDone = false;
  void until.finally(() => {
    isDone = true;
  });
  const started = performance.now();
  while (!isDone) {
    const at = performance.now();
    await fetch(new URL('/trpc/system.info', url));
    latencies.push(performance.now() - at);
    await Bun.sleep(5);
  }
  return { ...summarize(latencies, performance.now() - started), max_ms: round(Math.max(...latencies)) };
}

async function benchPool(workers: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gopherchat-bench-media-'));
  await using server = await spawnServer({ DATA_DIR: dataDir, MEDIA_WORKERS: String(workers) });
  const client = await signUpClient(server.url, `media${workers}`);
  try {
    const idle = await probeLatency(server.url, Bun.sleep(2_000));
    const grants = [];
    for (let index = 0; index < imageCount; index++) {
      const grant = await client.api.attachments.requestUpload.mutate({
        fileName: `photo-${index}.jpg`,
        contentType: 'image/jpeg',
        byteSize: photo.length,
      });
      await uploadWithGrant(grant, photo, 'image/jpeg');
      grants.push(grant);
    }

    const ready = new Set<string>();
    const { promise: finished, resolve: allReady } = Promise.withResolvers<void>();
    const { promise: isSubscribed, resolve: subscribed } = Promise.withResolvers<void>();
    const subscription = client.api.events.subscribe.subscribe(undefined, {
      onStarted: () => subscribed(),
      onData: ({ data }) => {
        for (const event of data as UserEvent[]) {
          if (event.kind === 'attachment_updated' && event.attachment.state === 'ready') ready.add(event.attachment.id);
        }
        if (ready.size === imageCount) allReady();
      },
    });
    // Every `ready` event must find the subscription listening.
    await isSubscribed;
    const startedAt = performance.now();
    for (const grant of grants) await client.api.attachments.confirm.mutate({ attachmentId: grant.attachmentId });
    const busy = await probeLatency(server.url, finished);
    const seconds = (performance.now() - startedAt) / 1000;
    subscription.unsubscribe();
    console.log(
      JSON.stringify({
        workers,
        images: imageCount,
        image: `${width}x${height} JPEG, ${Math.round(photo.length / 1024)} KiB`,
        seconds: round(seconds),
        images_per_s: round(imageCount / seconds),
        idle_p50_ms: idle.p50_ms,
        idle_p99_ms: idle.p99_ms,
        busy_p50_ms: busy.p50_ms,
        busy_p99_ms: busy.p99_ms,
        busy_max_ms: busy.max_ms,
      }),
    );
  } finally {
    await client.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

for (const workers of [1, 2]) await benchPool(workers);
