import type { JSX } from 'solid-js';
import { DialogHeader } from './dialog-header.tsx';

/**
 * A button that opens a native modal dialog under a title (Escape or Close
 * shuts it): a screen's lists, such as its pinned or saved messages.
 * `onOpen` runs first (to fetch what the dialog shows); `children` get the
 * way to close it (after choosing something in it).
 */
export function DialogButton(props: {
  label: string;
  title: string;
  /** The title's id, unique on the page. */
  id: string;
  onOpen: () => void;
  children: (close: () => void) => JSX.Element;
}) {
  let dialog: HTMLDialogElement | undefined;
  const close = () => dialog?.close();
  return (
    <>
      <button
        type="button"
        class="btn px-3 hover:bg-surface-sunken"
        aria-haspopup="dialog"
        onClick={() => {
          props.onOpen();
          dialog?.showModal();
        }}
      >
        {props.label}
      </button>
      <dialog ref={dialog} aria-labelledby={props.id} class="dialog-panel">
        <div class="flex flex-col gap-4 p-5">
          <DialogHeader id={props.id} title={props.title} onClose={close} />
          {props.children(close)}
        </div>
      </dialog>
    </>
  );
}
