import { createEffect, createMemo, createSignal, onCleanup, Show } from 'solid-js';
import { describeConnection } from '../../lib/connection.ts';
import { connection, connectionState } from '../../lib/session.ts';

/**
 * The quiet line above the conversations while there is no live connection:
 * what is going on in words, counting down to the next retry, which can be
 * brought forward.
 */
export function ConnectionBanner() {
  const [tick, setTick] = createSignal(0);
  // Only the countdown depends on time: it moves on each second while there is one.
  createEffect(() => {
    if (connectionState().status !== 'waiting-to-retry') return;
    const ticker = setInterval(() => setTick((count) => count + 1), 1_000);
    onCleanup(() => clearInterval(ticker));
  });
  const description = createMemo(() => {
    tick();
    return describeConnection(connectionState(), Date.now());
  });
  return (
    <Show when={description()}>
      {(shown) => (
        <p
          class="flex items-center justify-between gap-2 bg-warning-soft px-3 py-1.5 text-xs text-warning"
          role="status"
          data-testid="connection-banner"
        >
          <span>{shown().text}</span>
          <Show when={shown().canRetryNow}>
            <button
              type="button"
              class="font-medium underline underline-offset-2"
              onClick={() => connection.dispatch({ type: 'retry-now' })}
            >
              Retry now
            </button>
          </Show>
        </p>
      )}
    </Show>
  );
}
