import { Show } from 'solid-js';

/** A problem told in place, in words the person can act on; announced to screen readers. */
export function ErrorAlert(props: { message: string | undefined }) {
  return (
    <Show when={props.message}>
      {(message) => (
        <p role="alert" class="rounded-xl bg-danger-soft px-3 py-2 text-sm text-danger">
          {message()}
        </p>
      )}
    </Show>
  );
}
