import type { ConversationSummary, Message } from '@gopherchat/api';
import { createMemo, createSignal, For, onMount, Show } from 'solid-js';
import { DialogHeader } from '../../lib/ui/dialog-header.tsx';
import { conversationsMatching } from './conversation-filter.ts';
import { wordsOf } from './markdown.ts';
import { excerpt } from './timeline.ts';

/**
 * "Forward…" from a message's menu: a native modal dialog to pick the
 * conversation that gets a copy, most recent first, with a filter by name.
 * Shown as it mounts; picking a conversation sends the copy and closes it.
 * A chunk of its own.
 */
export default function ForwardDialog(props: {
  message: Message;
  conversations: readonly ConversationSummary[];
  onForward: (message: Message, toConversationId: string) => void;
  onClose: () => void;
}) {
  let dialog: HTMLDialogElement | undefined;
  let filter: HTMLInputElement | undefined;
  const [query, setQuery] = createSignal('');
  const shown = createMemo(() => conversationsMatching(props.conversations, query()));
  onMount(() => {
    dialog?.showModal();
    filter?.focus();
  });

  return (
    <dialog ref={dialog} aria-labelledby="forward-title" class="dialog-panel" onClose={() => props.onClose()}>
      <div class="flex flex-col gap-3 p-5">
        <DialogHeader id="forward-title" title="Forward to…" onClose={() => dialog?.close()} />
        <p class="truncate border-l-2 border-accent/60 px-2 text-sm text-fg-muted">
          {excerpt(wordsOf(props.message.content), 120)}
        </p>
        <input
          ref={filter}
          type="search"
          class="field"
          placeholder="Find a conversation"
          aria-label="Find a conversation"
          value={query()}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        <Show when={shown().length > 0} fallback={<p class="text-sm text-fg-muted">No conversation is called that.</p>}>
          <ul class="max-h-80 divide-y divide-line overflow-y-auto rounded-xl border border-line">
            <For each={shown()}>
              {(summary) => (
                <li>
                  <button
                    type="button"
                    class="flex min-h-11 w-full items-center justify-between gap-2 px-3 text-left text-sm hover:bg-surface-sunken"
                    data-testid="forward-target"
                    onClick={() => {
                      dialog?.close();
                      props.onForward(props.message, summary.id);
                    }}
                  >
                    <span class="min-w-0 truncate font-medium">{summary.title}</span>
                    <span class="flex-none text-xs text-fg-muted">
                      {summary.kind === 'group' ? `${summary.memberCount} members` : 'Direct'}
                    </span>
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </div>
    </dialog>
  );
}
