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
  /**
   * Whether a failed flush may be the fault of one input rather than of the
   * store (PostgreSQL refusing a value, not a lost connection). Such a batch
   * is split in halves, each flushed again in order, down to the input at
   * fault, which alone fails, with `asRefusal` of the error: one bad request
   * must not fail everyone else's. Unset: a failed flush fails the batch.
   */
  isolate?: { isInputFault(error: unknown): boolean; asRefusal(error: unknown): Error };
  /** Milliseconds, for `stalledForMs`; the injected clock's `now`. */
  now?: () => number;
  /** Runs `fire` once `ms` have passed, ending a window: a timer of the system's unless a test moves time itself. */
  setTimer?: (ms: number, fire: () => void) => void;
}) {
  const now = options.now ?? (() => performance.now());
  const setTimer = options.setTimer ?? ((ms, fire) => setTimeout(fire, ms));
  interface Request {
    input: TInput;
    resolve: (output: TOutput) => void;
    reject: (error: unknown) => void;
  }
  let queue: Request[] = [];
  /** Whether a window is gathering the queue: later requests join it rather than open their own. */
  let isWindowOpen = false;
  let inFlight: Promise<void> | undefined;
  /** When the flush in flight began; undefined while none is. */
  let flushStartedAt: number | undefined;

  function schedule() {
    if (inFlight || isWindowOpen || queue.length === 0) return;
    if (queue.length >= options.maxBatch) {
      inFlight = run();
      return;
    }
    isWindowOpen = true;
    setTimer(options.windowMs, () => {
      isWindowOpen = false;
      inFlight = run();
    });
  }

  /**
   * Flushes `inputs`, halving a batch that failed for one input's sake until
   * only that input fails. Throws only when nothing of `inputs` committed;
   * once split, a half that fails otherwise fails alone (the other may have
   * committed).
   */
  async function flushIsolating(inputs: TInput[], isSplit: boolean): Promise<Array<TOutput | Error>> {
    try {
      return await options.flush(inputs);
    } catch (error) {
      const { isolate } = options;
      if (!isolate?.isInputFault(error)) {
        if (!isSplit) throw error;
        const failure = error instanceof Error ? error : new Error(String(error));
        return inputs.map(() => failure);
      }
      if (inputs.length === 1) return [isolate.asRefusal(error)];
      // Nothing of the failed flush committed. Halves in order: a sender's messages keep theirs.
      const middle = Math.ceil(inputs.length / 2);
      const first = await flushIsolating(inputs.slice(0, middle), true);
      return [...first, ...(await flushIsolating(inputs.slice(middle), true))];
    }
  }

  async function run() {
    const batch = queue.slice(0, options.maxBatch);
    queue = queue.slice(batch.length);
    flushStartedAt = now();
    try {
      const outcomes = await flushIsolating(
        batch.map((request) => request.input),
        false,
      );
      batch.forEach((request, index) => {
        const outcome = outcomes[index];
        if (outcome instanceof Error) request.reject(outcome);
        else request.resolve(outcome as TOutput);
      });
    } catch (error) {
      // Nothing of the batch committed: every request fails and may be retried as is.
      for (const request of batch) request.reject(error);
    } finally {
      flushStartedAt = undefined;
      // Whatever queued while this batch was written has waited long enough: no window for it.
      inFlight = queue.length > 0 ? run() : undefined;
    }
  }

  return {
    /**
     * How long the batch in flight has been writing (0 when none is): one
     * that never finishes holds every request queued behind it, so this is
     * what tells that the path is wedged rather than idle.
     */
    stalledForMs: () => (flushStartedAt === undefined ? 0 : now() - flushStartedAt),

    submit(input: TInput): Promise<TOutput> {
      return new Promise<TOutput>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        schedule();
      });
    },
  };
}
