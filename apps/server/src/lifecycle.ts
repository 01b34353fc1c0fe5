/**
 * Tracks work that must finish before the process may exit (mutations in
 * flight), and whether the server has started draining.
 */
export interface Lifecycle {
  readonly isDraining: boolean;
  /** From now on new work is refused; work already admitted continues. */
  beginDrain(): void;
  /** Admits one unit of work; returns the function that marks it done. Throws if draining. */
  admit(): () => void;
  /** Resolves when no admitted work is left. */
  whenIdle(): Promise<void>;
  readonly inFlight: number;
}

export class DrainingError extends Error {
  override name = 'DrainingError';
}

export function createLifecycle(): Lifecycle {
  let isDraining = false;
  let inFlight = 0;
  let idleWaiters: Array<() => void> = [];

  const settleIfIdle = () => {
    if (inFlight > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  return {
    get isDraining() {
      return isDraining;
    },
    get inFlight() {
      return inFlight;
    },
    beginDrain() {
      isDraining = true;
    },
    admit() {
      if (isDraining) throw new DrainingError('the server is draining');
      inFlight++;
      let isDone = false;
      return () => {
        if (isDone) return;
        isDone = true;
        inFlight--;
        settleIfIdle();
      };
    },
    whenIdle() {
      if (inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
