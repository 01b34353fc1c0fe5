/**
 * Group commit: requests arriving within `windowMs` of each other, or while
 * the previous batch is still being written, are written together by one
 * `flush` (one transaction, one fsync). Each request settles with its own
 * outcome only after its batch has committed. One batch is in flight at a
 * time; the next one gathers meanwhile, so batches grow with load instead of
 * transactions queueing up.
 */
export function createGroupCommit<TInput, TOutput>(options: {
  /** Writes a batch; returns one outcome per input, in order (an Error rejects that one request). */
  flush: (inputs: TInput[]) => Promise<Array<TOutput | Error>>;
  windowMs: number;
  maxBatch: number;
}) {
  interface Request {
    input: TInput;
    resolve: (output: TOutput) => void;
    reject: (error: unknown) => void;
  }
  let queue: Request[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;

  function schedule() {
    if (inFlight || timer || queue.length === 0) return;
    if (queue.length >= options.maxBatch) {
      inFlight = run();
      return;
    }
    timer = setTimeout(() => {
      timer = undefined;
      inFlight = run();
    }, options.windowMs);
  }

  async function run() {
    const batch = queue.slice(0, options.maxBatch);
    queue = queue.slice(batch.length);
    try {
      const outcomes = await options.flush(batch.map((request) => request.input));
      batch.forEach((request, index) => {
        const outcome = outcomes[index];
        if (outcome instanceof Error) request.reject(outcome);
        else request.resolve(outcome as TOutput);
      });
    } catch (error) {
      // Nothing of the batch committed: every request fails and may be retried as is.
      for (const request of batch) request.reject(error);
    } finally {
      // Whatever queued while this batch was written has waited long enough: no window for it.
      inFlight = queue.length > 0 ? run() : undefined;
    }
  }

  return {
    submit(input: TInput): Promise<TOutput> {
      return new Promise<TOutput>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        schedule();
      });
    },
  };
}
