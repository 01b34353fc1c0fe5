import { createSignal, For, Show } from 'solid-js';
import type { Emoji, EmojiIndex } from './emoji-index.ts';
import { type ShortcodeToken, shortcodeBeforeCaret } from './shortcode.ts';

/** Suggestions shown at most. */
const SUGGESTIONS = 8;

/**
 * `:shortcode` completion for a text field: as `:ta` is typed, a list of
 * emoji whose shortcode begins so opens above the field; Up and Down move,
 * Enter or Tab puts the active one in place of `:ta`, Escape closes the list.
 * A code typed whole, `:tada:`, becomes its emoji without the list. Focus
 * stays in the field (aria-activedescendant), as in the people picker.
 */
export function createShortcodeCompletion(deps: {
  id: string;
  /** The emoji data, fetched the first time a `:code` is typed. */
  load: () => Promise<EmojiIndex>;
  /** Puts `emoji` in place of the text between `start` and `end`. */
  replace: (start: number, end: number, emoji: string) => void;
  /** The emoji in the skin tone I use. */
  shown: (emoji: Emoji) => string;
}) {
  const [token, setToken] = createSignal<ShortcodeToken>();
  const [suggestions, setSuggestions] = createSignal<readonly Emoji[]>([]);
  const [activeIndex, setActiveIndex] = createSignal(0);
  const listboxId = `${deps.id}-emoji`;
  const optionId = (index: number) => `${deps.id}-emoji-${index}`;
  const isOpen = () => token() !== undefined && suggestions().length > 0;
  /** The shortcode that matched what was typed (an emoji may have several). */
  const shortcodeFor = (emoji: Emoji) => {
    const typed = token()?.code.toLowerCase() ?? '';
    return emoji.shortcodes.find((code) => code.startsWith(typed)) ?? emoji.shortcodes[0];
  };

  function close() {
    setToken(undefined);
    setSuggestions([]);
  }

  function accept(emoji: Emoji) {
    const current = token();
    close();
    if (current) deps.replace(current.start, current.end, deps.shown(emoji));
  }

  return {
    /** The field changed: finds the `:code` before its caret, and what it could become. */
    update(text: string, caret: number) {
      const found = shortcodeBeforeCaret(text, caret);
      setToken(found);
      if (!found) return setSuggestions([]);
      void deps.load().then(
        (index) => {
          // Typed on meanwhile: a newer update answers.
          if (token() !== found) return;
          const exact = found.isClosed ? index.byShortcode(found.code) : undefined;
          if (exact) return accept(exact);
          setSuggestions(found.isClosed ? [] : index.completions(found.code, SUGGESTIONS));
          setActiveIndex(0);
        },
        // Offline before the data was ever fetched: the text stays as typed.
        () => setSuggestions([]),
      );
    },

    /** Handles the keys the open list takes; true if it took this one (the field must not act on it too). */
    handleKey(event: KeyboardEvent): boolean {
      if (!isOpen() || event.isComposing) return false;
      const count = suggestions().length;
      switch (event.key) {
        case 'ArrowDown':
          setActiveIndex((activeIndex() + 1) % count);
          break;
        case 'ArrowUp':
          setActiveIndex((activeIndex() - 1 + count) % count);
          break;
        case 'Enter':
        case 'Tab': {
          const active = suggestions()[activeIndex()];
          if (active) accept(active);
          break;
        }
        case 'Escape':
          close();
          break;
        default:
          return false;
      }
      event.preventDefault();
      event.stopPropagation();
      return true;
    },

    close,

    /** For the field: what it controls, and which suggestion is active. */
    fieldProps: () => ({
      'aria-autocomplete': 'list' as const,
      'aria-controls': isOpen() ? listboxId : undefined,
      'aria-activedescendant': isOpen() ? optionId(activeIndex()) : undefined,
    }),

    /** The list, placed above the field by the caller. */
    List: () => (
      <Show when={isOpen()}>
        <div
          id={listboxId}
          role="listbox"
          aria-label="Emoji"
          class="absolute bottom-full left-0 z-20 mb-2 w-64 rounded-xl border border-line bg-surface-raised p-1 shadow-lg"
          data-testid="shortcode-suggestions"
          // A click in the list must not take the focus from the field (its blur would close the list first).
          onMouseDown={(event) => event.preventDefault()}
        >
          <For each={suggestions()}>
            {(emoji, index) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the keys are the field's (aria-activedescendant); options never take the focus.
              <div
                id={optionId(index())}
                role="option"
                tabIndex={-1}
                aria-selected={index() === activeIndex()}
                class={`flex cursor-pointer items-center gap-2 rounded-lg px-2 py-1 text-sm ${
                  index() === activeIndex() ? 'bg-accent-soft' : ''
                }`}
                onMouseMove={() => setActiveIndex(index())}
                onClick={() => accept(emoji)}
              >
                <span class="text-xl leading-none">{deps.shown(emoji)}</span>
                <span class="truncate">:{shortcodeFor(emoji)}:</span>
              </div>
            )}
          </For>
        </div>
      </Show>
    ),
  };
}
