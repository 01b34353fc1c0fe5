/** A worker for the pool's own tests: doubles numbers after `delayMs` (saying when it worked), dies on request, or fails. */
import type { WorkerReply } from '../lib/worker-pool.ts';

declare const self: Worker;

export type EchoJob = { value: number; delayMs?: number } | { crash: true } | { fail: string };
export interface EchoResult {
  doubled: number;
  startedAt: number;
  finishedAt: number;
}

self.addEventListener('message', async (event: MessageEvent<EchoJob>) => {
  const job = event.data;
  if ('crash' in job) process.exit(1);
  if ('fail' in job) {
    self.postMessage({ ok: false, error: job.fail } satisfies WorkerReply<EchoResult>);
    return;
  }
  const startedAt = Date.now();
  await Bun.sleep(job.delayMs ?? 0);
  const output = { doubled: job.value * 2, startedAt, finishedAt: Date.now() };
  self.postMessage({ ok: true, output } satisfies WorkerReply<EchoResult>);
});
