import { STATUS_TEXT_MAX_LENGTH, type UserStatus } from '@gopherchat/api';
import { createSignal, For, onMount, Show } from 'solid-js';
import { DialogHeader } from '../../lib/ui/dialog-header.tsx';
import { ErrorAlert } from '../../lib/ui/error-alert.tsx';
import { createSubmission } from '../../lib/ui/submission.ts';
import { CLEAR_AFTER_LABELS, type ClearAfter, expiryOf, SUGGESTED_STATUSES } from './status-times.ts';

/** Emoji offered for a status; the suggestions bring their own. */
const STATUS_EMOJI = ['💬', '📅', '🚌', '🤒', '🌴', '🏠', '🎧', '🍽️', '🎯', '🔕'];

const emojiClass = (isPicked: boolean) =>
  `h-9 w-9 flex-none rounded-lg text-xl leading-none ${isPicked ? 'bg-accent/20 outline outline-2 outline-accent' : 'hover:bg-surface-sunken'}`;

/**
 * "Set a status" from the user menu: an emoji, a few words, and when it
 * clears itself, or one of the suggestions in one click; "Clear status"
 * takes it away now. A native modal dialog, shown with the current status
 * filled in as it mounts; `onClose` when it closes. A chunk of its own.
 */
export default function StatusDialog(props: {
  current: UserStatus | undefined;
  save: (status: { text: string; emoji: string | null; expiresAt: string | null }) => Promise<string | undefined>;
  clear: () => Promise<string | undefined>;
  onClose: () => void;
}) {
  let dialog: HTMLDialogElement | undefined;
  const { current } = props;
  const [emoji, setEmoji] = createSignal<string | null>(current?.emoji ?? null);
  const [text, setText] = createSignal(current?.text ?? '');
  const [clearAfter, setClearAfter] = createSignal<ClearAfter>(
    current ? (current.expiresAt === null ? 'never' : 'today') : 'today',
  );
  const finish = (error: string | undefined) => {
    if (!error) dialog?.close();
    return error;
  };
  const saving = createSubmission(async () =>
    finish(await props.save({ text: text(), emoji: emoji(), expiresAt: expiryOf(clearAfter(), new Date()) })),
  );
  const clearing = createSubmission(async () => finish(await props.clear()));
  const isBusy = () => saving.isBusy() || clearing.isBusy();

  onMount(() => dialog?.showModal());

  return (
    <dialog ref={dialog} aria-labelledby="status-title" class="dialog-panel" onClose={() => props.onClose()}>
      <form class="flex flex-col gap-4 p-5" onSubmit={saving.submit}>
        <DialogHeader id="status-title" title="Set a status" onClose={() => dialog?.close()} />
        <fieldset class="flex flex-wrap gap-1" aria-label="Emoji">
          <For each={STATUS_EMOJI}>
            {(choice) => (
              <button
                type="button"
                class={emojiClass(emoji() === choice)}
                aria-pressed={emoji() === choice}
                aria-label={`Emoji ${choice}`}
                onClick={() => setEmoji(emoji() === choice ? null : choice)}
              >
                {choice}
              </button>
            )}
          </For>
        </fieldset>
        <input
          class="field"
          aria-label="Status"
          placeholder="What’s your status?"
          maxLength={STATUS_TEXT_MAX_LENGTH}
          value={text()}
          onInput={saving.edit(setText)}
        />
        <Show when={text().trim() === ''}>
          <ul class="flex flex-col" aria-label="Suggestions">
            <For each={SUGGESTED_STATUSES}>
              {(suggestion) => (
                <li>
                  <button
                    type="button"
                    class="flex min-h-11 w-full items-center gap-3 rounded-lg px-2 text-left text-sm hover:bg-surface-sunken md:min-h-9"
                    onClick={() => {
                      setEmoji(suggestion.emoji);
                      setText(suggestion.text);
                      setClearAfter(suggestion.clearAfter);
                    }}
                  >
                    <span aria-hidden="true">{suggestion.emoji}</span>
                    <span>{suggestion.text}</span>
                    <span class="ml-auto text-xs text-fg-muted">{CLEAR_AFTER_LABELS[suggestion.clearAfter]}</span>
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <label class="flex items-center justify-between gap-3 text-sm">
          Clear after
          <select
            class="field w-auto"
            value={clearAfter()}
            onChange={(event) => setClearAfter(event.currentTarget.value as ClearAfter)}
          >
            <For each={Object.entries(CLEAR_AFTER_LABELS)}>
              {([value, label]) => <option value={value}>{label}</option>}
            </For>
          </select>
        </label>
        <ErrorAlert message={saving.error() ?? clearing.error()} />
        <div class="flex flex-wrap justify-end gap-2">
          <Show when={current}>
            <button
              type="button"
              class="btn mr-auto border border-line"
              disabled={isBusy()}
              onClick={() => void clearing.submit()}
            >
              Clear status
            </button>
          </Show>
          <button type="button" class="btn hover:bg-surface-sunken" onClick={() => dialog?.close()}>
            Cancel
          </button>
          <button type="submit" class="btn-primary" disabled={isBusy() || text().trim() === ''}>
            {saving.isBusy() ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
