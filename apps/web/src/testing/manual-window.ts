/**
 * A batching window that closes when the test says: hand `schedule` to the
 * code under test in place of a timer.
 */
export function manualWindow() {
  let pendingFlush: (() => void) | undefined;
  return {
    schedule(flush: () => void) {
      pendingFlush = flush;
    },
    isScheduled: () => pendingFlush !== undefined,
    close() {
      const flush = pendingFlush;
      pendingFlush = undefined;
      flush?.();
    },
  };
}
