import { Show } from 'solid-js';

/** A problem told in place, in words the person can act on; announced to screen readers. */
export function ErrorAlert(props: { message: string | undefined }) {
  return (
    <Show when={props.message}>
      {(message) => (
        <p
          role="alert"
          class="rounded-xl bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300"
        >
          {message()}
        </p>
      )}
    </Show>
  );
}
