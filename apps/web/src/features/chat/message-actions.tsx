import { For } from 'solid-js';
import { ActionsMenu, type MenuAction } from '../../lib/ui/actions-menu.tsx';

/** The row of emoji atop a message's menu: my recent ones, and a button for any other. */
export interface QuickReactions {
  recent: readonly string[];
  onReact: (emoji: string) => void;
  /** Opens the picker beside `anchor` (the menu's button: the menu itself closes). */
  onMore: (anchor: HTMLElement) => void;
}

/** Emoji in the menu's quick row. */
const QUICK_REACTIONS = 6;

const emojiItemClass =
  'h-9 w-9 flex-none rounded-lg text-xl leading-none hover:bg-surface-sunken focus:bg-surface-sunken focus:outline-none';

/**
 * A message's menu: beside the bubble (before mine, after others'), shown on
 * hover where a pointer hovers. Reactions, when the message takes them, come
 * first as a row of emoji.
 */
export function MessageActions(props: { actions: MenuAction[]; isMine: boolean; reactions?: QuickReactions }) {
  let anchor: HTMLDivElement | undefined;
  return (
    <div ref={anchor} class={`flex-none self-center ${props.isMine ? 'order-first' : ''}`}>
      <ActionsMenu
        label="Message actions"
        actions={props.actions}
        align={props.isMine ? 'end' : 'start'}
        isShownOnHover
        top={(close) => {
          const reactions = props.reactions;
          if (!reactions) return undefined;
          return (
            <fieldset class="mb-1 flex gap-0.5 border-b border-line pb-1" aria-label="React">
              <For each={reactions.recent.slice(0, QUICK_REACTIONS)}>
                {(emoji) => (
                  <button
                    type="button"
                    role="menuitem"
                    class={emojiItemClass}
                    aria-label={`React with ${emoji}`}
                    onClick={() => {
                      close();
                      reactions.onReact(emoji);
                    }}
                  >
                    {emoji}
                  </button>
                )}
              </For>
              <button
                type="button"
                role="menuitem"
                class={`${emojiItemClass} text-base text-fg-muted`}
                aria-label="More reactions"
                onClick={() => {
                  close();
                  const button = anchor?.querySelector('button');
                  if (button) reactions.onMore(button);
                }}
              >
                <span aria-hidden="true">+</span>
              </button>
            </fieldset>
          );
        }}
      />
    </div>
  );
}
