import { ATTACHMENT_TYPES } from '@gopherchat/api';
import { OutlineIcon } from '../../lib/ui/outline-icon.tsx';

/** What the picker offers: the types that can be shared (the picker knows their endings). */
const ACCEPTED_TYPES = Object.keys(ATTACHMENT_TYPES).join(',');

/** The composer's paperclip: picks files to share (several at once). */
export function AttachButton(props: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  let input: HTMLInputElement | undefined;
  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPTED_TYPES}
        class="hidden"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          // Picking the same file again is a change too.
          event.currentTarget.value = '';
          if (files.length > 0) props.onFiles(files);
        }}
      />
      <button
        type="button"
        class="btn flex-none px-2.5 text-fg-muted hover:bg-surface-sunken hover:text-fg"
        aria-label="Attach files"
        title="Attach files"
        disabled={props.disabled}
        onClick={() => input?.click()}
      >
        <OutlineIcon path="m18.375 12.739-7.693 7.693a4.5 4.5 0 0 1-6.364-6.364l10.94-10.94A3 3 0 1 1 19.5 7.372L8.552 18.32m.009-.01-.01.01m5.699-9.941-7.81 7.81a1.5 1.5 0 0 0 2.112 2.13" />
      </button>
    </>
  );
}
