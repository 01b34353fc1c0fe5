import type { Unsubscribable } from '@trpc/server/observable';
import { eventually } from './eventually.ts';

export { eventually };

/** Collects a subscription's events; `started` resolves once the server has set it up. */
export function collect<T>(
  subscribe: (handlers: {
    onStarted: () => void;
    onData: (value: T) => void;
    onError: (error: unknown) => void;
  }) => Unsubscribable,
) {
  const events: T[] = [];
  const errors: unknown[] = [];
  let markStarted = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const subscription = subscribe({
    onStarted: () => markStarted(),
    onData: (value) => events.push(value),
    onError: (error) => errors.push(error),
  });
  return {
    events,
    errors,
    started,
    /** Waits until at least `count` events arrived. */
    async waitFor(count: number, timeoutMs = 5_000) {
      await eventually(() => events.length >= count || errors.length > 0, `${count} events`, timeoutMs);
      if (errors.length > 0) throw errors[0];
    },
    [Symbol.dispose]: () => subscription.unsubscribe(),
  };
}
