import { describe, expect, it } from 'bun:test';
import type { EchoJob, EchoResult } from '../testing/echo-worker.ts';
import { createWorkerPool, WorkerCrashedError } from './worker-pool.ts';

const echoWorker = new URL('../testing/echo-worker.ts', import.meta.url);

describe('createWorkerPool', () => {
  it('runs jobs in worker threads, no more at once than its size', async () => {
    const pool = createWorkerPool<EchoJob, EchoResult>({ workerUrl: echoWorker, size: 2 });
    try {
      const results = await Promise.all([1, 2, 3, 4, 5].map((value) => pool.run({ value, delayMs: 50 })));
      expect(results.map((result) => result.doubled)).toEqual([2, 4, 6, 8, 10]);
      // At the moment each job started, how many were working (itself included)?
      const busyAt = (moment: number) =>
        results.filter((result) => result.startedAt <= moment && moment < result.finishedAt).length;
      expect(Math.max(...results.map((result) => busyAt(result.startedAt)))).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('fails the job of a worker that dies, replaces the worker, and goes on', async () => {
    const pool = createWorkerPool<EchoJob, EchoResult>({ workerUrl: echoWorker, size: 1 });
    try {
      expect(pool.run({ crash: true })).rejects.toBeInstanceOf(WorkerCrashedError);
      expect((await pool.run({ value: 21 })).doubled).toBe(42);
    } finally {
      await pool.close();
    }
  });

  it('passes a job’s own error on, and keeps the worker', async () => {
    const pool = createWorkerPool<EchoJob, EchoResult>({ workerUrl: echoWorker, size: 1 });
    try {
      expect(pool.run({ fail: 'cannot decode' })).rejects.toThrow('cannot decode');
      expect((await pool.run({ value: 1 })).doubled).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('lets running jobs finish on close, and refuses new ones', async () => {
    const pool = createWorkerPool<EchoJob, EchoResult>({ workerUrl: echoWorker, size: 1 });
    const running = pool.run({ value: 5, delayMs: 100 });
    const queued = pool.run({ value: 6 }).catch((error: Error) => error);
    await pool.close();
    expect((await running).doubled).toBe(10);
    expect(await queued).toBeInstanceOf(Error);
    expect(pool.run({ value: 7 })).rejects.toThrow('closed');
  });
});
