/**
 * Lets a test await a condition without polling or sleeping: whatever
 * changes what conditions read calls `notify()`, and each waiter checks
 * again then. A condition that never holds fails by the test's timeout.
 */
export function createChanges() {
  const waiters = new Set<() => void>();
  return {
    notify() {
      for (const check of [...waiters]) check();
    },
    /** Resolves once `isMet()` holds: now, or at some later `notify()`. */
    until(isMet: () => boolean): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (!isMet()) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
  };
}
