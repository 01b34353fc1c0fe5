import { createSignal, For, type JSX, onCleanup, Show } from 'solid-js';

export interface MenuAction {
  label: string;
  run: () => void;
  /** Asks this ("Delete for everyone?") before running. */
  confirm?: string;
}

/**
 * Actions behind a small "⋯" menu button. A menu button in the WAI-ARIA
 * sense: it opens onto the first item, arrow keys move between items, Escape
 * closes and goes back to the button. An action with `confirm` asks first,
 * in the menu. `top` is drawn above the actions, and may hold menu items
 * of its own (`close` closes the menu). With `isShownOnHover`, the button
 * shows on hover or keyboard focus where there is a pointer that hovers (a
 * row's `group` class), always on touch screens (which cannot hover).
 */
export function ActionsMenu(props: {
  label: string;
  actions: MenuAction[];
  /** Which edge of the button the menu lines up with. */
  align: 'start' | 'end';
  isShownOnHover?: boolean;
  top?: (close: () => void) => JSX.Element;
}) {
  let wrapper: HTMLDivElement | undefined;
  let button: HTMLButtonElement | undefined;
  let menu: HTMLDivElement | undefined;
  const [isOpen, setIsOpen] = createSignal(false);
  const [confirming, setConfirming] = createSignal<MenuAction>();
  // Opens upwards in the lower half of the screen, so the menu is not cut off by the scroller's bottom edge.
  const [opensUp, setOpensUp] = createSignal(false);

  const items = () => [...(menu?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const focusItem = (index: number) => {
    const all = items();
    all.at(index % all.length)?.focus();
  };

  const closeOnOutsidePointer = (event: PointerEvent) => {
    if (!wrapper?.contains(event.target as Node)) close();
  };
  function open() {
    setOpensUp((button?.getBoundingClientRect().top ?? 0) > window.innerHeight / 2);
    setConfirming(undefined);
    setIsOpen(true);
    document.addEventListener('pointerdown', closeOnOutsidePointer);
    focusItem(0);
  }
  function close(options: { refocus?: boolean } = {}) {
    setIsOpen(false);
    document.removeEventListener('pointerdown', closeOnOutsidePointer);
    if (options.refocus) button?.focus();
  }
  onCleanup(() => document.removeEventListener('pointerdown', closeOnOutsidePointer));

  function choose(action: MenuAction) {
    if (action.confirm && confirming() !== action) {
      setConfirming(action);
      // Onto "Cancel": a second Enter should not be what deletes.
      focusItem(-1);
      return;
    }
    close();
    action.run();
  }

  const onMenuKeyDown = (event: KeyboardEvent) => {
    const index = items().indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, () => void> = {
      ArrowDown: () => focusItem(index + 1),
      ArrowUp: () => focusItem(index - 1),
      Home: () => focusItem(0),
      End: () => focusItem(-1),
      Escape: () => close({ refocus: true }),
      Tab: () => close(),
    };
    const move = moves[event.key];
    if (!move) return;
    if (event.key !== 'Tab') event.preventDefault();
    move();
  };

  const itemClass =
    'block w-full whitespace-nowrap rounded-lg px-3 py-1.5 text-left text-sm hover:bg-surface-sunken focus:bg-surface-sunken focus:outline-none';

  return (
    <div
      ref={wrapper}
      class={`relative flex-none self-center ${
        props.isShownOnHover && !isOpen()
          ? 'media-[(hover:hover)]:opacity-0 group-hover:opacity-100 focus-within:opacity-100'
          : ''
      }`}
      onFocusOut={(event) => {
        if (event.relatedTarget && !wrapper?.contains(event.relatedTarget as Node)) close();
      }}
    >
      <button
        ref={button}
        type="button"
        class="h-7 w-7 flex items-center justify-center rounded-full text-fg-muted hover:bg-surface-sunken focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent"
        aria-label={props.label}
        aria-haspopup="menu"
        aria-expanded={isOpen()}
        onClick={() => (isOpen() ? close() : open())}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !isOpen()) {
            event.preventDefault();
            open();
          }
        }}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      <Show when={isOpen()}>
        <div
          ref={menu}
          role="menu"
          aria-label={confirming()?.confirm ?? props.label}
          tabIndex={-1}
          class={`absolute z-10 min-w-36 rounded-xl border border-line bg-surface-raised p-1 shadow-lg ${
            props.align === 'end' ? 'right-0' : 'left-0'
          } ${opensUp() ? 'bottom-full mb-1' : 'top-full mt-1'}`}
          onKeyDown={onMenuKeyDown}
        >
          <Show
            when={confirming()}
            fallback={
              <>
                {props.top?.(close)}
                <For each={props.actions}>
                  {(action) => (
                    <button type="button" role="menuitem" class={itemClass} onClick={() => choose(action)}>
                      {action.label}
                    </button>
                  )}
                </For>
              </>
            }
          >
            {(action) => (
              <>
                <p class="px-3 py-1.5 text-sm font-medium">{action().confirm}</p>
                <button
                  type="button"
                  role="menuitem"
                  class={`${itemClass} text-danger`}
                  onClick={() => choose(action())}
                >
                  Yes, {action().label.toLowerCase()}
                </button>
                <button type="button" role="menuitem" class={itemClass} onClick={() => close({ refocus: true })}>
                  Cancel
                </button>
              </>
            )}
          </Show>
        </div>
      </Show>
    </div>
  );
}
