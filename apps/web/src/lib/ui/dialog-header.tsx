/** A dialog's title (`id` is what the dialog's `aria-labelledby` names) with its Close button. */
export function DialogHeader(props: { id: string; title: string; onClose: () => void }) {
  return (
    <div class="flex items-center justify-between gap-2">
      <h2 id={props.id} class="text-lg font-semibold">
        {props.title}
      </h2>
      <button type="button" class="btn px-3 hover:bg-surface-sunken" onClick={() => props.onClose()}>
        Close
      </button>
    </div>
  );
}
