import { createSignal, lazy, Show, Suspense } from 'solid-js';
import type { EmojiPrefs } from './emoji-prefs.ts';

// The popover, the picker and the emoji data stay out of the app's first load: most visits never open them.
const EmojiPopover = lazy(() => import('./emoji-popover.tsx'));

export interface EmojiRequest {
  /** What the picker is for, read out as its name ("React to Ada's message"). */
  label: string;
  /** The button that opened it: the picker opens beside it, and focus goes back to it. */
  anchor: HTMLElement;
  onPick: (emoji: string) => void;
}

/** A screen's emoji picker: `open` shows it for a request (replacing any open one); `Popover` renders it. */
export function createEmojiPicker(prefs: EmojiPrefs) {
  const [request, setRequest] = createSignal<EmojiRequest>();
  return {
    open: (next: EmojiRequest) => setRequest(next),
    Popover: () => (
      <Show when={request()} keyed>
        {(shown) => (
          <Suspense>
            <EmojiPopover request={shown} prefs={prefs} onClose={() => setRequest(undefined)} />
          </Suspense>
        )}
      </Show>
    ),
  };
}

export type EmojiPicking = ReturnType<typeof createEmojiPicker>;
