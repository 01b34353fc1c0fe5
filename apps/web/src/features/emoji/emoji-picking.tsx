import { createSignal, lazy, Show, Suspense } from 'solid-js';
import type { EmojiRequest } from './emoji-popover.tsx';
import type { EmojiPrefs } from './emoji-prefs.ts';

// The popover, the picker and the emoji data stay out of the app's first load: most visits never open them.
const EmojiPopover = lazy(() => import('./emoji-popover.tsx'));

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
