import type { ConversationSummary, SavedMessage, SavedPage } from '@gopherchat/api';
import { createSignal, For, Show } from 'solid-js';
import { DialogButton } from '../../lib/ui/dialog-button.tsx';
import { wordsOf } from '../chat/markdown.ts';
import { excerpt } from '../chat/timeline.ts';

const whenFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/**
 * My saved messages, from the sidebar: newest saved first, each with where
 * and who it is from and how it begins; choosing one opens it in its
 * conversation, and each can be taken off the list. Read from the server
 * each time it opens, a page at a time. A native modal dialog.
 */
export function SavedDialog(props: {
  myId: string;
  conversations: Record<string, ConversationSummary>;
  nameOf: (userId: string) => string;
  /** Asks for the names of these people, for the list's authors. */
  wantNames: (userIds: string[]) => void;
  load: (input: { before?: { savedAt: string; conversationId: string; seq: number } }) => Promise<SavedPage>;
  /** Takes a message off the list; resolves whether the server took it (a refusal is told elsewhere). */
  onRemove: (conversationId: string, seq: number) => Promise<boolean>;
  describe: (error: unknown) => string;
  onShow: (conversationId: string, seq: number) => void;
}) {
  const [items, setItems] = createSignal<SavedMessage[]>([]);
  const [hasMore, setHasMore] = createSignal(false);
  const [status, setStatus] = createSignal<'loading' | 'ready' | { error: string }>('loading');

  async function loadPage(isFirst: boolean) {
    setStatus('loading');
    const last = isFirst ? undefined : items().at(-1);
    try {
      const before = last && {
        savedAt: last.savedAt,
        conversationId: last.message.conversationId,
        seq: last.message.seq,
      };
      const page = await props.load(before ? { before } : {});
      props.wantNames(page.items.flatMap((item) => item.message.senderId ?? []));
      setItems(isFirst ? page.items : [...items(), ...page.items]);
      setHasMore(page.hasMore);
      setStatus('ready');
    } catch (error) {
      setStatus({ error: props.describe(error) });
    }
  }

  const author = (item: SavedMessage) =>
    item.message.senderId === props.myId ? 'You' : props.nameOf(item.message.senderId ?? '');
  const where = (item: SavedMessage) => props.conversations[item.message.conversationId]?.title ?? 'A conversation';
  const failure = () => {
    const current = status();
    return typeof current === 'object' ? current.error : undefined;
  };

  return (
    <DialogButton
      label="Saved"
      title="Saved messages"
      id="saved-title"
      onOpen={() => {
        setItems([]);
        void loadPage(true);
      }}
    >
      {(close) => (
        <>
          <Show when={items().length > 0}>
            <ul class="max-h-96 divide-y divide-line overflow-y-auto rounded-xl border border-line">
              <For each={items()}>
                {(item) => (
                  <li class="flex items-center gap-1 pr-1" data-testid="saved-message">
                    <button
                      type="button"
                      class="min-w-0 flex-1 px-3 py-2 text-left hover:bg-surface-sunken"
                      onClick={() => {
                        close();
                        props.onShow(item.message.conversationId, item.message.seq);
                      }}
                    >
                      <span class="flex items-baseline justify-between gap-2 text-xs text-fg-muted">
                        <span class="min-w-0 truncate">
                          <span class="font-medium text-fg">{author(item)}</span> in {where(item)}
                        </span>
                        <span class="flex-none">{whenFormat.format(new Date(item.message.createdAt))}</span>
                      </span>
                      <span class="block truncate text-sm">{excerpt(wordsOf(item.message.content), 120)}</span>
                    </button>
                    <button
                      type="button"
                      class="btn flex-none px-2 text-xs text-fg-muted hover:bg-surface-sunken"
                      aria-label={`Remove from saved: ${excerpt(wordsOf(item.message.content), 40)}`}
                      onClick={async () => {
                        if (await props.onRemove(item.message.conversationId, item.message.seq)) {
                          setItems(items().filter((other) => other !== item));
                        }
                      }}
                    >
                      Remove
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <Show when={failure()}>
            {(text) => (
              <div role="alert" class="flex flex-col gap-2 text-sm">
                <p class="text-danger">{text()}</p>
                <button
                  type="button"
                  class="btn self-start border border-line"
                  onClick={() => loadPage(items().length === 0)}
                >
                  Try again
                </button>
              </div>
            )}
          </Show>
          <Show when={status() === 'loading'}>
            <p class="text-sm text-fg-muted" role="status">
              Loading saved messages…
            </p>
          </Show>
          <Show when={status() === 'ready' && items().length === 0}>
            <p class="text-sm text-fg-muted">
              Nothing saved yet. Choose “Save for later” in a message’s menu to keep it here.
            </p>
          </Show>
          <Show when={status() === 'ready' && hasMore()}>
            <button type="button" class="btn self-center border border-line" onClick={() => loadPage(false)}>
              Show older
            </button>
          </Show>
        </>
      )}
    </DialogButton>
  );
}
