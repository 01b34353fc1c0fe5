import type { CancelTimer, Scheduler } from '../lib/clock.ts';

/**
 * A clock that only moves when told to, for tests: hand it to the code under
 * test in place of `systemClock`. Timers fire during `advance`, in due order;
 * the work a fired timer returns (a request it started) is awaited before
 * time moves on, so when `advance` resolves everything due by then has run
 * and settled.
 */
export function createManualClock(start = Date.UTC(2030, 0, 1)) {
  let current = start;
  let nextTimerId = 0;
  const timers = new Map<number, { dueAt: number; fire: () => unknown }>();

  /** The earliest timer due by `until`; of timers due at once, the first set. */
  function nextDue(until: number) {
    let due: [number, { dueAt: number; fire: () => unknown }] | undefined;
    for (const entry of timers) {
      if (entry[1].dueAt <= until && (!due || entry[1].dueAt < due[1].dueAt)) due = entry;
    }
    return due;
  }

  return {
    now: () => current,
    setTimer(ms: number, fire: () => unknown): CancelTimer {
      const id = nextTimerId++;
      timers.set(id, { dueAt: current + Math.max(0, ms), fire });
      return () => timers.delete(id);
    },
    /** Timers set and not yet fired or cancelled. */
    get pendingTimers() {
      return timers.size;
    },
    async advance(ms: number) {
      const until = current + ms;
      for (let due = nextDue(until); due; due = nextDue(until)) {
        const [id, timer] = due;
        timers.delete(id);
        current = timer.dueAt;
        await timer.fire();
      }
      current = until;
    },
  } satisfies Scheduler & Record<string, unknown>;
}

export type ManualClock = ReturnType<typeof createManualClock>;
