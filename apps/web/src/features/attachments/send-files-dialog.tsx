import { ATTACHMENT_CAPTION_MAX_LENGTH, ATTACHMENT_TYPES } from '@gopherchat/api';
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { DialogHeader } from '../../lib/ui/dialog-header.tsx';
import { checkFile } from './file-check.ts';
import { fileBadge, formatBytes } from './presentation.ts';

interface PickedFile {
  file: File;
  /** Why it cannot be sent, in words; undefined when it can. */
  refusal: string | undefined;
  /** An image's preview, read from the person's own disk (revoked when the dialog closes). */
  previewUrl: string | undefined;
}

/**
 * The step between picking files (the paperclip, a paste, a drop) and
 * sending them: each file with a preview (an image) or its name and size,
 * those that cannot be sent said so, and a caption for the first. A native
 * modal dialog, shown as it mounts with the composer's text as the caption;
 * `taken` runs once the files go (the composer empties). A chunk of its own.
 */
export default function SendFilesDialog(props: {
  files: readonly File[];
  initialCaption: string;
  taken: (() => void) | undefined;
  onSend: (files: File[], caption: string | undefined) => void;
  onClose: () => void;
}) {
  let dialog: HTMLDialogElement | undefined;
  let captionField: HTMLTextAreaElement | undefined;
  const picked: PickedFile[] = props.files.map((file) => {
    const check = checkFile(file);
    const isImage = check.isAllowed && ATTACHMENT_TYPES[check.contentType] === 'image';
    return {
      file,
      refusal: check.isAllowed ? undefined : check.reason,
      previewUrl: isImage ? URL.createObjectURL(file) : undefined,
    };
  });
  onCleanup(() => {
    for (const entry of picked) if (entry.previewUrl) URL.revokeObjectURL(entry.previewUrl);
  });
  const [caption, setCaption] = createSignal(props.initialCaption.slice(0, ATTACHMENT_CAPTION_MAX_LENGTH));
  const sendable = picked.filter((entry) => entry.refusal === undefined);
  const send = () => {
    if (sendable.length === 0) return;
    props.onSend(
      sendable.map((entry) => entry.file),
      caption().trim() || undefined,
    );
    props.taken?.();
    dialog?.close();
  };
  onMount(() => {
    dialog?.showModal();
    captionField?.focus();
  });

  return (
    <dialog ref={dialog} aria-labelledby="send-files-title" class="dialog-panel" onClose={() => props.onClose()}>
      <form
        class="flex flex-col gap-4 p-5"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <DialogHeader
          id="send-files-title"
          title={picked.length === 1 ? 'Send a file' : `Send ${picked.length} files`}
          onClose={() => dialog?.close()}
        />
        <ul class="flex max-h-72 flex-col gap-2 overflow-y-auto" data-testid="files-to-send">
          <For each={picked}>
            {(entry) => (
              <li class="flex items-center gap-3 rounded-xl border border-line p-2 text-sm">
                <Show
                  when={entry.previewUrl}
                  fallback={
                    <span class="h-12 w-12 flex flex-none items-center justify-center rounded-lg bg-surface-sunken text-xs font-semibold text-fg-muted">
                      {fileBadge(entry.file.name)}
                    </span>
                  }
                >
                  {(url) => <img src={url()} alt="" class="h-12 w-12 flex-none rounded-lg object-cover" />}
                </Show>
                <span class="min-w-0 flex-1">
                  <span class="block truncate font-medium">{entry.file.name || 'file'}</span>
                  <span class={`block text-xs ${entry.refusal ? 'text-danger' : 'text-fg-muted'}`}>
                    {entry.refusal ?? formatBytes(entry.file.size)}
                  </span>
                </span>
              </li>
            )}
          </For>
        </ul>
        <textarea
          ref={captionField}
          class="field max-h-40 resize-none"
          rows={2}
          aria-label="Caption"
          placeholder="Add a caption"
          maxLength={ATTACHMENT_CAPTION_MAX_LENGTH}
          value={caption()}
          onInput={(event) => setCaption(event.currentTarget.value)}
          onKeyDown={(event) => {
            // As in the composer: Enter sends, Shift+Enter is a new line.
            if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
              event.preventDefault();
              send();
            }
          }}
        />
        <div class="flex justify-end gap-2">
          <button type="button" class="btn hover:bg-surface-sunken" onClick={() => dialog?.close()}>
            Cancel
          </button>
          <button type="submit" class="btn-primary" disabled={sendable.length === 0}>
            Send
          </button>
        </div>
      </form>
    </dialog>
  );
}
