/**
 * Timeouts owned by something with a lifetime (a store): `later` schedules
 * one, `clearAll` cancels those still waiting when the owner goes away.
 */
export function createTimers() {
  const waiting = new Set<ReturnType<typeof setTimeout>>();
  return {
    later(ms: number, run: () => void) {
      const timer = setTimeout(() => {
        waiting.delete(timer);
        run();
      }, ms);
      waiting.add(timer);
    },
    clearAll() {
      for (const timer of waiting) clearTimeout(timer);
      waiting.clear();
    },
  };
}
