import { toAppError } from '@gopherchat/sdk';
import { createSignal, Show } from 'solid-js';
import { adoptProfile, gopher } from '../../lib/session.ts';
import { Avatar } from '../../lib/ui/avatar.tsx';
import { ErrorAlert } from '../../lib/ui/error-alert.tsx';
import { checkFile } from '../attachments/file-check.ts';

/** Uploads `file` as a profile picture: through the file store like any upload, then made a square by the server. */
async function uploadPicture(file: File) {
  const check = checkFile(file);
  if (!check.isAllowed) throw new Error(check.reason);
  const { postToStore } = await import('../attachments/post-to-store.ts');
  const { fileName, contentType, byteSize } = check;
  const grant = await gopher.api.attachments.requestUpload.mutate({ fileName, contentType, byteSize });
  await postToStore(grant, file, () => {}, new AbortController().signal);
  await gopher.api.attachments.confirm.mutate({ attachmentId: grant.attachmentId });
  adoptProfile(await gopher.api.users.setAvatar.mutate({ attachmentId: grant.attachmentId }));
}

/**
 * The profile picture on the account page: the current one (or initials),
 * a way to choose another (any image; the server keeps its centre square)
 * and to remove it. Others see the change live.
 */
export function ProfilePicture(props: {
  displayName: string;
  avatarKey: string | null;
  onChanged: (text: string) => void;
}) {
  let input: HTMLInputElement | undefined;
  const [isBusy, setIsBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const change = async (work: () => Promise<void>, done: string) => {
    setIsBusy(true);
    setError(undefined);
    try {
      await work();
      props.onChanged(done);
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
          name={props.displayName}
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
              onClick={() =>
                void change(async () => adoptProfile(await gopher.api.users.removeAvatar.mutate()), 'Picture removed.')
              }
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
          aria-label="Profile picture"
          onChange={(event) => {
            const [file] = event.currentTarget.files ?? [];
            event.currentTarget.value = '';
            if (file) void change(() => uploadPicture(file), 'Picture saved.');
          }}
        />
      </div>
      <p class="text-xs text-fg-muted">Any image; its centre square is kept. Everyone you talk with sees it.</p>
      <ErrorAlert message={error()} />
    </div>
  );
}
