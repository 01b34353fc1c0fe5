/** Time, injected so that expiry and rate limits can be tested without sleeping. */
export interface Clock {
  now(): number;
}

/** Stops a timer that has not fired yet; harmless after it fired. */
export type CancelTimer = () => void;

/**
 * A clock that can also run something later. Deadlines that tests need to
 * cross (a WebSocket's authentication deadline, an access token's expiry)
 * are set through it, so a test moves time instead of waiting for it.
 */
export interface Scheduler extends Clock {
  /** Runs `fire` once `ms` have passed on this clock. */
  setTimer(ms: number, fire: () => void): CancelTimer;
}

export const systemClock: Scheduler = {
  now: () => Date.now(),
  setTimer(ms, fire) {
    const timer = setTimeout(fire, Math.max(0, ms));
    // What it times belongs to something that keeps the process up (a server, a socket); it never should on its own.
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/**
 * A clock that only moves when told to; for tests. Timers fire during
 * `advance`, in due order, synchronously: when `advance` returns, everything
 * due by then has run.
 */
export function createManualClock(start = Date.UTC(2026, 0, 1)) {
  let current = start;
  let nextTimerId = 0;
  const timers = new Map<number, { dueAt: number; fire: () => void }>();

  function nextDue(until: number) {
    let due: [number, { dueAt: number; fire: () => void }] | undefined;
    for (const entry of timers) {
      if (entry[1].dueAt <= until && (!due || entry[1].dueAt < due[1].dueAt)) due = entry;
    }
    return due;
  }

  return {
    now: () => current,
    setTimer(ms: number, fire: () => void): CancelTimer {
      const id = nextTimerId++;
      timers.set(id, { dueAt: current + Math.max(0, ms), fire });
      return () => timers.delete(id);
    },
    /** Timers set and not yet fired or cancelled. */
    get pendingTimers() {
      return timers.size;
    },
    advance(ms: number) {
      const until = current + ms;
      for (let due = nextDue(until); due; due = nextDue(until)) {
        const [id, timer] = due;
        timers.delete(id);
        current = timer.dueAt;
        timer.fire();
      }
      current = until;
    },
  } satisfies Scheduler & Record<string, unknown>;
}

export type ManualClock = ReturnType<typeof createManualClock>;
