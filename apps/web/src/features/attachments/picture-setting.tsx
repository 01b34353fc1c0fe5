import { toAppError } from '@gopherchat/sdk';
import { createSignal, Show } from 'solid-js';
import { gopher } from '../../lib/session.ts';
import { Avatar } from '../../lib/ui/avatar.tsx';
import { ErrorAlert } from '../../lib/ui/error-alert.tsx';
import { checkFile } from './file-check.ts';

/** Uploads `file` through the file store like any upload: the confirmed upload's id, for the server to make a picture of. */
async function uploadPicture(file: File): Promise<string> {
  const check = checkFile(file);
  if (!check.isAllowed) throw new Error(check.reason);
  const { postToStore } = await import('./post-to-store.ts');
  const { fileName, contentType, byteSize } = check;
  const grant = await gopher.api.attachments.requestUpload.mutate({ fileName, contentType, byteSize });
  await postToStore(grant, file, () => {}, new AbortController().signal);
  await gopher.api.attachments.confirm.mutate({ attachmentId: grant.attachmentId });
  return grant.attachmentId;
}

/**
 * A picture someone may change (their own, a group's): the current one (or
 * initials), a way to choose another (any image; the server keeps its centre
 * square) and to remove it. `onSave` and `onRemove` resolve to a
 * user-readable error, or undefined once done; `onChanged` tells what was done.
 */
export function PictureSetting(props: {
  name: string;
  avatarKey: string | null;
  /** What the file chooser is, for screen readers ("Profile picture"). */
  label: string;
  /** Who will see it. */
  hint: string;
  onSave: (attachmentId: string) => Promise<string | undefined>;
  onRemove: () => Promise<string | undefined>;
  onChanged: (text: string) => void;
}) {
  let input: HTMLInputElement | undefined;
  const [isBusy, setIsBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const change = async (work: () => Promise<string | undefined>, done: string) => {
    setIsBusy(true);
    setError(undefined);
    try {
      const refusal = await work();
      if (refusal) setError(refusal);
      else props.onChanged(done);
    } catch (problem) {
      setError(problem instanceof Error && !('data' in problem) ? problem.message : toAppError(problem).userMessage);
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <div class="flex flex-col gap-3">
      <div class="flex items-center gap-4">
        <Avatar
          name={props.name}
          avatarKey={props.avatarKey}
          class="h-20 w-20 bg-accent text-2xl text-accent-contrast"
        />
        <div class="flex flex-wrap gap-2">
          <button type="button" class="btn border border-line" disabled={isBusy()} onClick={() => input?.click()}>
            {isBusy() ? 'Saving…' : props.avatarKey ? 'Change picture' : 'Add a picture'}
          </button>
          <Show when={props.avatarKey}>
            <button
              type="button"
              class="btn hover:bg-surface-sunken"
              disabled={isBusy()}
              onClick={() => void change(props.onRemove, 'Picture removed.')}
            >
              Remove
            </button>
          </Show>
        </div>
        <input
          ref={input}
          type="file"
          accept="image/png,image/jpeg,image/gif,image/webp"
          class="hidden"
          aria-label={props.label}
          onChange={(event) => {
            const [file] = event.currentTarget.files ?? [];
            event.currentTarget.value = '';
            if (file) void change(async () => props.onSave(await uploadPicture(file)), 'Picture saved.');
          }}
        />
      </div>
      <p class="text-xs text-fg-muted">Any image; its centre square is kept. {props.hint}</p>
      <ErrorAlert message={error()} />
    </div>
  );
}
