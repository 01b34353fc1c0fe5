/** Stops a timer that has not fired yet; harmless after it fired. */
export type CancelTimer = () => void;

/**
 * Time as the code sees it. Injected wherever something waits (batching
 * windows, retries, signals that lapse), so that tests move a manual clock
 * (`testing/manual-clock.ts`) instead of sleeping.
 */
export interface Scheduler {
  now(): number;
  /**
   * Runs `fire` once `ms` have passed. `fire` may return the work it started:
   * the browser ignores it; a manual clock waits for it before moving on.
   */
  setTimer(ms: number, fire: () => unknown): CancelTimer;
}

export const systemClock: Scheduler = {
  now: () => Date.now(),
  setTimer(ms, fire) {
    const timer = setTimeout(fire, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};
