import type { CancelTimer, Scheduler } from './clock.ts';

/** This long with no input, a device counts as left idle: its person shows as away once all theirs are. */
export const IDLE_AFTER_MS = 10 * 60_000;

/**
 * Whether the person has left this device idle: no input for `idleAfterMs`.
 * `activity` is cheap enough for every pointer move: it notes the time, and
 * the one timer looks at it when it fires (and waits out the rest). Tells
 * `onChange` when the device goes idle, and when it is used again.
 */
export function createIdleWatch(deps: { clock: Scheduler; idleAfterMs: number; onChange(isIdle: boolean): void }) {
  const { clock, idleAfterMs } = deps;
  let lastActivityAt = clock.now();
  let isIdle = false;
  let cancel: CancelTimer | undefined;

  function check() {
    const quietFor = clock.now() - lastActivityAt;
    if (quietFor < idleAfterMs) {
      cancel = clock.setTimer(idleAfterMs - quietFor, check);
      return;
    }
    cancel = undefined;
    isIdle = true;
    deps.onChange(true);
  }
  cancel = clock.setTimer(idleAfterMs, check);

  return {
    get isIdle() {
      return isIdle;
    },
    activity() {
      lastActivityAt = clock.now();
      if (!isIdle) return;
      isIdle = false;
      cancel = clock.setTimer(idleAfterMs, check);
      deps.onChange(false);
    },
    dispose() {
      cancel?.();
    },
  };
}
