import { createSignal, For, type JSX, Show } from 'solid-js';

/** A word being typed that can be completed: where it is in the text. */
export interface CompletionToken {
  start: number;
  end: number;
}

/**
 * Completion of the word before a text field's caret (`:ta` for an emoji,
 * `@ad` for a person): as it is typed, a list of what it could become opens
 * above the field; Up and Down move, Enter or Tab puts the active one in
 * place of the word, Escape closes the list. Focus stays in the field
 * (aria-activedescendant), as in the people picker.
 */
export function createTokenCompletion<Token extends CompletionToken, Item>(deps: {
  /** Tells apart this field's lists in ids. */
  id: string;
  /** The list's name, read out. */
  label: string;
  testId: string;
  /** The word before the caret this completion takes, if any. */
  tokenBefore: (text: string, caret: number) => Token | undefined;
  /** What `token` could become, best first; may wait (data fetched the first time). */
  suggest: (token: Token) => readonly Item[] | Promise<readonly Item[]>;
  /** When what was typed is complete already (`:tada:`), what it becomes without the list. */
  exactly?: (token: Token) => Item | undefined;
  /** Puts `item` in place of the text between `start` and `end`. */
  replace: (start: number, end: number, item: Item) => void;
  renderItem: (item: Item) => JSX.Element;
}) {
  const [token, setToken] = createSignal<Token>();
  const [suggestions, setSuggestions] = createSignal<readonly Item[]>([]);
  const [activeIndex, setActiveIndex] = createSignal(0);
  const listboxId = `${deps.id}-${deps.testId}`;
  const optionId = (index: number) => `${listboxId}-${index}`;
  const isOpen = () => token() !== undefined && suggestions().length > 0;

  function close() {
    setToken(undefined);
    setSuggestions([]);
  }

  function accept(item: Item) {
    const current = token();
    close();
    if (current) deps.replace(current.start, current.end, item);
  }

  function show(found: Token, items: readonly Item[]) {
    // Typed on meanwhile: a newer update answers.
    if (token() !== found) return;
    const exact = deps.exactly?.(found);
    if (exact) return accept(exact);
    setSuggestions(items);
    setActiveIndex(0);
  }

  return {
    /** The field changed: finds the word before its caret, and what it could become. */
    update(text: string, caret: number) {
      const found = deps.tokenBefore(text, caret);
      setToken(() => found);
      if (!found) return setSuggestions([]);
      const items = deps.suggest(found);
      if (!('then' in items)) return show(found, items);
      void items.then(
        (loaded) => show(found, loaded),
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
          if (active !== undefined) accept(active);
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
    isOpen,

    /** For the field: what it controls, and which suggestion is active. */
    fieldProps: () => ({
      'aria-controls': isOpen() ? listboxId : undefined,
      'aria-activedescendant': isOpen() ? optionId(activeIndex()) : undefined,
    }),

    /** The list, placed above the field by the caller. */
    List: () => (
      <Show when={isOpen()}>
        <div
          id={listboxId}
          role="listbox"
          aria-label={deps.label}
          class="absolute bottom-full left-0 z-20 mb-2 w-64 max-w-full rounded-xl border border-line bg-surface-raised p-1 shadow-lg"
          data-testid={deps.testId}
          // A click in the list must not take the focus from the field (its blur would close the list first).
          onMouseDown={(event) => event.preventDefault()}
        >
          <For each={suggestions()}>
            {(item, index) => (
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
                onClick={() => accept(item)}
              >
                {deps.renderItem(item)}
              </div>
            )}
          </For>
        </div>
      </Show>
    ),
  };
}
