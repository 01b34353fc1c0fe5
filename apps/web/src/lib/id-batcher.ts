/**
 * Collects ids asked for within one window and hands them to `run` together,
 * in calls of at most `max`. An id is not queued again while it waits or
 * while a call carrying it is in flight; what to ask for at all (fresh, known
 * already) is the caller's rule.
 */
export function createIdBatcher(options: {
  /** Most ids one call may carry (the API's limit). */
  max: number;
  /** Calls `flush` once the collecting window has passed; `flush` resolves once the calls it started have settled. */
  schedule(flush: () => Promise<void>): void;
  /** One call for `ids`; they count as in flight until it settles. Handles its own failures. */
  run(ids: string[]): Promise<void>;
}) {
  const queued = new Set<string>();
  const inFlight = new Set<string>();
  let isScheduled = false;
  let isStopped = false;

  async function flush() {
    isScheduled = false;
    if (isStopped) return;
    const ids = [...queued];
    queued.clear();
    const calls: Promise<void>[] = [];
    for (let start = 0; start < ids.length; start += options.max) {
      const chunk = ids.slice(start, start + options.max);
      for (const id of chunk) inFlight.add(id);
      calls.push(
        options.run(chunk).finally(() => {
          for (const id of chunk) inFlight.delete(id);
        }),
      );
    }
    await Promise.all(calls);
  }

  return {
    /** Queues those of `ids` neither waiting nor in flight, for the next window. */
    add(ids: Iterable<string>) {
      if (isStopped) return;
      for (const id of ids) {
        if (!inFlight.has(id)) queued.add(id);
      }
      if (queued.size === 0 || isScheduled) return;
      isScheduled = true;
      options.schedule(flush);
    },
    isInFlight: (id: string) => inFlight.has(id),
    /** Drops what waits; no more calls start. */
    stop() {
      isStopped = true;
      queued.clear();
    },
  };
}
