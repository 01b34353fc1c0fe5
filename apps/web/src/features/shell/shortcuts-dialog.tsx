import { For } from 'solid-js';
import { SHORTCUTS } from '../../lib/shortcuts.ts';
import { DialogHeader } from '../../lib/ui/dialog-header.tsx';

/** The keyboard shortcuts, in a native modal dialog (Escape closes it); `open` shows it. */
export function createShortcutsDialog() {
  let dialog: HTMLDialogElement | undefined;
  return {
    open: () => dialog?.showModal(),
    Dialog: () => (
      <dialog ref={dialog} aria-labelledby="shortcuts-title" class="dialog-panel">
        <div class="flex flex-col gap-4 p-5">
          <DialogHeader id="shortcuts-title" title="Keyboard shortcuts" onClose={() => dialog?.close()} />
          <dl class="divide-y divide-line text-sm">
            <For each={SHORTCUTS}>
              {(shortcut) => (
                <div class="flex items-baseline justify-between gap-4 py-2">
                  <dt class="flex-none whitespace-nowrap font-medium">
                    <kbd class="rounded-md border border-line-strong px-1.5 py-0.5 text-xs">{shortcut.keys}</kbd>
                  </dt>
                  <dd class="text-right text-fg-muted">{shortcut.does}</dd>
                </div>
              )}
            </For>
          </dl>
        </div>
      </dialog>
    ),
  };
}
