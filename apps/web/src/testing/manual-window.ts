/**
 * A batching window that closes when the test says: hand `schedule` to the
 * code under test in place of a timer.
 */
export function manualWindow() {
  let pendingFlush: (() => unknown) | undefined;
  return {
    schedule(flush: () => unknown) {
      pendingFlush = flush;
    },
    isScheduled: () => pendingFlush !== undefined,
    /**
     * Closes the window: the flush runs now, before this returns. The promise
     * settles once the work the flush started (its calls) has settled.
     */
    async close(): Promise<void> {
      const flush = pendingFlush;
      pendingFlush = undefined;
      await flush?.();
    },
  };
}
