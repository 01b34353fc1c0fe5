import { createSignal, lazy, Show, Suspense } from 'solid-js';
import type { GroupSettingsProps } from './group-settings-dialog.tsx';

// Opened now and then, by some: a chunk of its own, out of the app's first load.
const GroupSettingsDialog = lazy(() => import('./group-settings-dialog.tsx'));

/** "Group settings" in a group's header: the dialog (see `GroupSettingsDialog`), mounted while open. */
export function GroupSettingsButton(props: GroupSettingsProps) {
  const [isOpen, setIsOpen] = createSignal(false);
  return (
    <>
      <button
        type="button"
        class="btn px-3 hover:bg-surface-sunken"
        aria-haspopup="dialog"
        onClick={() => setIsOpen(true)}
      >
        Group settings
      </button>
      <Show when={isOpen()}>
        <Suspense>
          <GroupSettingsDialog {...props} onClose={() => setIsOpen(false)} />
        </Suspense>
      </Show>
    </>
  );
}
