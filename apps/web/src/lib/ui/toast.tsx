import { createEffect, onCleanup, Show } from 'solid-js';

/** Long enough to read a sentence, short enough not to linger over what comes next. */
const TOAST_MS = 4_000;

/**
 * A short-lived word that something went well, at the bottom of the screen.
 * Each new `notice` object is shown for its own full time, even with the
 * same text (a signal set to a fresh object notifies); `onDone` hears when it
 * is over. Announced politely: the person carries on meanwhile.
 */
export function Toast(props: { notice: { text: string } | undefined; onDone: () => void }) {
  createEffect(() => {
    if (!props.notice) return;
    const timer = setTimeout(() => props.onDone(), TOAST_MS);
    onCleanup(() => clearTimeout(timer));
  });
  return (
    <div role="status" class="pointer-events-none fixed bottom-6 left-1/2 z-10 -translate-x-1/2">
      <Show when={props.notice}>
        {(notice) => (
          <p class="rounded-xl bg-fg px-4 py-2.5 text-sm text-surface shadow-lg" data-testid="toast">
            {notice().text}
          </p>
        )}
      </Show>
    </div>
  );
}
