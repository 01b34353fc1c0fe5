import type { CancelTimer, Scheduler } from './clock.ts';

/**
 * Timeouts owned by something with a lifetime (a store): `later` schedules
 * one on `scheduler`, `clearAll` cancels those still waiting when the owner
 * goes away.
 */
export function createTimers(scheduler: Pick<Scheduler, 'setTimer'>) {
  const waiting = new Set<CancelTimer>();
  return {
    /** Runs `run` after `ms`; what `run` returns goes to the scheduler (see `Scheduler.setTimer`). */
    later(ms: number, run: () => unknown) {
      const cancel = scheduler.setTimer(ms, () => {
        waiting.delete(cancel);
        return run();
      });
      waiting.add(cancel);
    },
    clearAll() {
      for (const cancel of waiting) cancel();
      waiting.clear();
    },
  };
}

export type Timers = ReturnType<typeof createTimers>;
