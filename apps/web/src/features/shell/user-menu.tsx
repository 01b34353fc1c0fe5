import { liveStatusOf, type Me } from '@gopherchat/api';
import { createSignal, onCleanup, Show } from 'solid-js';
import type { Route } from '../../lib/router.ts';
import { Avatar } from '../../lib/ui/avatar.tsx';
import { ThemePicker } from '../../lib/ui/theme-picker.tsx';
import { statusLine } from '../status/status-times.ts';

const itemClass =
  'flex min-h-11 w-full items-center rounded-lg px-3 text-left text-sm hover:bg-surface-sunken focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent md:min-h-9';

/**
 * Who is signed in, at the top of the sidebar: a button that opens what
 * concerns the account (my status, the account page, the server's
 * announcements, the theme, signing out). A disclosure, not an ARIA menu: it holds a select.
 * Escape or a click elsewhere closes it.
 */
export function UserMenu(props: {
  user: Me;
  onGo: (route: Route) => void;
  onSetStatus: () => void;
  onSignOut: () => void;
}) {
  // Read when the menu renders: a status that lapsed meanwhile goes at the next.
  const status = () => liveStatusOf(props.user.status, Date.now());
  const [isOpen, setIsOpen] = createSignal(false);
  let container: HTMLDivElement | undefined;
  let button: HTMLButtonElement | undefined;
  const close = () => setIsOpen(false);
  const onPointerDown = (event: PointerEvent) => {
    if (isOpen() && container && !container.contains(event.target as Node)) close();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !isOpen()) return;
    close();
    button?.focus();
  };
  document.addEventListener('pointerdown', onPointerDown);
  document.addEventListener('keydown', onKeyDown);
  onCleanup(() => {
    document.removeEventListener('pointerdown', onPointerDown);
    document.removeEventListener('keydown', onKeyDown);
  });
  const go = (route: Route) => {
    close();
    props.onGo(route);
  };

  return (
    <div ref={container} class="relative min-w-0">
      <button
        ref={button}
        type="button"
        class="flex min-h-11 min-w-0 items-center gap-2 rounded-xl px-1.5 text-left hover:bg-surface-sunken focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent"
        aria-expanded={isOpen()}
        aria-controls="user-menu"
        aria-label={`${props.user.displayName}: account, theme and sign out`}
        onClick={() => setIsOpen(!isOpen())}
      >
        <Avatar
          name={props.user.displayName}
          avatarKey={props.user.avatarKey}
          class="h-8 w-8 bg-accent text-xs text-accent-contrast"
        />
        <span class="min-w-0 truncate text-sm font-medium" data-testid="signed-in-as">
          {props.user.displayName}
        </span>
        <Show when={status()}>
          {(set) => (
            <Show when={set().emoji}>
              {(emoji) => (
                <span class="flex-none text-sm" title={statusLine(set())}>
                  {emoji()}
                </span>
              )}
            </Show>
          )}
        </Show>
        <span class="text-xs text-fg-muted" aria-hidden="true">
          ▾
        </span>
      </button>
      <Show when={isOpen()}>
        <div
          id="user-menu"
          class="absolute left-0 top-full z-20 mt-1 w-64 max-w-[calc(100vw-1.5rem)] rounded-xl border border-line bg-surface-raised p-1.5 shadow-lg"
        >
          <p class="truncate px-3 pb-1.5 pt-1 text-xs text-fg-muted">Signed in as @{props.user.username}</p>
          <button
            type="button"
            class={itemClass}
            onClick={() => {
              close();
              props.onSetStatus();
            }}
          >
            <Show
              when={status()}
              fallback={
                <span class="min-w-0 truncate" data-testid="my-status">
                  Set a status
                </span>
              }
            >
              {(set) => (
                <span class="min-w-0 truncate" data-testid="my-status">
                  {statusLine(set())} · Edit
                </span>
              )}
            </Show>
          </button>
          <button type="button" class={itemClass} onClick={() => go({ page: 'account' })}>
            Account
          </button>
          <button type="button" class={itemClass} onClick={() => go({ page: 'server' })}>
            Announcements
          </button>
          <div class="px-3 py-2">
            <ThemePicker />
          </div>
          <button
            type="button"
            class={itemClass}
            onClick={() => {
              close();
              props.onSignOut();
            }}
          >
            Sign out
          </button>
        </div>
      </Show>
    </div>
  );
}
