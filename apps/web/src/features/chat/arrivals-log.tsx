import { createSignal, For } from 'solid-js';

/** Arrivals the screen-reader log keeps: each is read out once, as it is added. */
const ANNOUNCED_ARRIVALS = 5;

/**
 * The message list is no live region (rows come and go as it scrolls):
 * messages from others are announced in this hidden log instead, once each.
 */
export function createArrivalsLog() {
  const [arrivals, setArrivals] = createSignal<Array<{ seq: number; words: string }>>([]);
  return {
    announce(seq: number, words: string | undefined) {
      if (words) setArrivals((recent) => [...recent.slice(1 - ANNOUNCED_ARRIVALS), { seq, words }]);
    },
    clear: () => setArrivals([]),
    Log: () => (
      <div class="sr-only" role="log" aria-live="polite" aria-label="New messages">
        <For each={arrivals()}>{(arrival) => <p>{arrival.words}</p>}</For>
      </div>
    ),
  };
}
