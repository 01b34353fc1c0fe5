import type { Message } from '@gopherchat/api';
import { createResource, createSignal, For, Match, Switch } from 'solid-js';
import { DialogButton } from '../../lib/ui/dialog-button.tsx';
import { wordsOf } from './markdown.ts';
import { excerpt } from './timeline.ts';

const whenFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

/**
 * A conversation's pinned messages, from its header: the latest pinned
 * first, each with who wrote it and how it begins; choosing one shows it in
 * the conversation (loaded back to, if need be). Asked of the server each
 * time it opens, so it is never stale. A native modal dialog.
 */
export function PinsDialog(props: {
  conversationId: string;
  myId: string;
  nameOf: (userId: string) => string;
  load: (conversationId: string) => Promise<Message[]>;
  describe: (error: unknown) => string;
  onShow: (seq: number) => void;
}) {
  // Fetched each time the dialog opens (the source's value is the opening).
  const [opening, setOpening] = createSignal<number>();
  const [pins, { refetch }] = createResource(opening, () => props.load(props.conversationId));
  const author = (message: Message) => (message.senderId === props.myId ? 'You' : props.nameOf(message.senderId ?? ''));

  return (
    <DialogButton
      label="Pinned"
      title="Pinned messages"
      id="pins-title"
      onOpen={() => setOpening((count = 0) => count + 1)}
    >
      {(close) => (
        <Switch>
          <Match when={pins.error}>
            <div role="alert" class="flex flex-col gap-2 text-sm">
              <p class="text-danger">{props.describe(pins.error)}</p>
              <button type="button" class="btn self-start border border-line" onClick={() => refetch()}>
                Try again
              </button>
            </div>
          </Match>
          <Match when={pins.loading}>
            <p class="text-sm text-fg-muted" role="status">
              Loading pinned messages…
            </p>
          </Match>
          <Match when={pins()?.length === 0}>
            <p class="text-sm text-fg-muted">Nothing is pinned yet. Pin a message from its menu to keep it here.</p>
          </Match>
          <Match when={pins()}>
            {(found) => (
              <ul class="max-h-96 divide-y divide-line overflow-y-auto rounded-xl border border-line">
                <For each={found()}>
                  {(message) => (
                    <li>
                      <button
                        type="button"
                        class="w-full px-3 py-2 text-left hover:bg-surface-sunken"
                        data-testid="pinned-message"
                        onClick={() => {
                          close();
                          props.onShow(message.seq);
                        }}
                      >
                        <span class="flex items-baseline justify-between gap-2 text-xs text-fg-muted">
                          <span class="font-medium text-fg">{author(message)}</span>
                          <span>{whenFormat.format(new Date(message.createdAt))}</span>
                        </span>
                        <span class="block truncate text-sm">{excerpt(wordsOf(message.content), 120)}</span>
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            )}
          </Match>
        </Switch>
      )}
    </DialogButton>
  );
}
