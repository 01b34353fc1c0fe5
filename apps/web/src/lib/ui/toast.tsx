import { createEffect, onCleanup, Show } from 'solid-js';

/** Long enough to read a sentence, short enough not to linger over what comes next. */
const TOAST_MS = 4_000;

/**
 * A short-lived word at the bottom of the screen. Each new `notice` object is
 * shown for its own full time (`durationMs`, 4 s unless told), even with the
 * same text (a signal set to a fresh object notifies); `onDone` hears when it
 * is over. By default it says that something went well, politely (`status`):
 * the person carries on meanwhile. A problem is an `alert`.
 */
export function Toast(props: {
  notice: { text: string } | undefined;
  onDone: () => void;
  role?: 'status' | 'alert';
  durationMs?: number;
}) {
  createEffect(() => {
    if (!props.notice) return;
    const timer = setTimeout(() => props.onDone(), props.durationMs ?? TOAST_MS);
    onCleanup(() => clearTimeout(timer));
  });
  return (
    <div role={props.role ?? 'status'} class="pointer-events-none fixed bottom-6 left-1/2 z-10 -translate-x-1/2">
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
