/**
 * A fixed number of Bun Workers (threads) taking jobs in turn: CPU-heavy
 * work runs off the event loop, and never more of it at once than `size`.
 * A worker that dies mid-job (a crash, an exit) fails that job, which the
 * caller may retry, and is replaced.
 */
export interface WorkerPool<TInput, TOutput> {
  /** Workers, so jobs that run at once at most. */
  readonly size: number;
  run(input: TInput, transfer?: Bun.Transferable[]): Promise<TOutput>;
  /** Waits for the running jobs, then stops the workers. Queued jobs fail. */
  close(): Promise<void>;
}

/** A job's reply from inside the worker. */
export type WorkerReply<TOutput> = { ok: true; output: TOutput } | { ok: false; error: string };

export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
}

interface Job<TInput, TOutput> {
  input: TInput;
  transfer: Bun.Transferable[];
  resolve(output: TOutput): void;
  reject(error: Error): void;
}

export function createWorkerPool<TInput, TOutput>(options: { workerUrl: URL | string; size: number }) {
  const queue: Job<TInput, TOutput>[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job<TInput, TOutput>>();
  // A dying worker reports more than once (error, then close): handle it once.
  const dead = new WeakSet<Worker>();
  let isClosed = false;
  let drained: (() => void) | undefined;

  function spawn() {
    const worker = new Worker(options.workerUrl);
    worker.addEventListener('message', (event: MessageEvent<WorkerReply<TOutput>>) => {
      const job = busy.get(worker);
      if (!job) return;
      busy.delete(worker);
      if (event.data.ok) job.resolve(event.data.output);
      else job.reject(new Error(event.data.error));
      release(worker);
    });
    const onDeath = (reason: string) => {
      if (dead.has(worker)) return;
      dead.add(worker);
      const job = busy.get(worker);
      busy.delete(worker);
      const index = idle.indexOf(worker);
      if (index >= 0) idle.splice(index, 1);
      job?.reject(new WorkerCrashedError(`the worker died mid-job: ${reason}`));
      worker.terminate();
      if (!isClosed) release(spawn());
      else if (busy.size === 0) drained?.();
    };
    worker.addEventListener('error', (event) => onDeath((event as ErrorEvent).message || 'error'));
    worker.addEventListener('close', (event) => {
      if (!isClosed || busy.has(worker)) onDeath(`exit ${(event as CloseEvent).code}`);
    });
    return worker;
  }

  function release(worker: Worker) {
    const next = queue.shift();
    if (next && !isClosed) {
      busy.set(worker, next);
      worker.postMessage(next.input, next.transfer);
      return;
    }
    idle.push(worker);
    if (isClosed && busy.size === 0) drained?.();
  }

  for (let index = 0; index < options.size; index++) idle.push(spawn());

  const pool: WorkerPool<TInput, TOutput> = {
    size: options.size,
    run(input, transfer = []) {
      if (isClosed) return Promise.reject(new Error('the worker pool is closed'));
      return new Promise<TOutput>((resolve, reject) => {
        const job = { input, transfer, resolve, reject };
        const worker = idle.pop();
        if (!worker) {
          queue.push(job);
          return;
        }
        busy.set(worker, job);
        worker.postMessage(input, transfer);
      });
    },

    async close() {
      isClosed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the worker pool closed'));
      if (busy.size > 0) await new Promise<void>((resolve) => (drained = resolve));
      for (const worker of idle.splice(0)) worker.terminate();
    },
  };
  return pool;
}
