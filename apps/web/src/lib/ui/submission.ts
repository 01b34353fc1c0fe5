import { createSignal } from 'solid-js';

/**
 * A form's submission state: busy while `action` runs, then the error it
 * resolved to (undefined on success). Fields use `edit(setter)` so that
 * typing clears a stale error.
 */
export function createSubmission(action: () => Promise<string | undefined>) {
  const [error, setError] = createSignal<string>();
  const [isBusy, setIsBusy] = createSignal(false);
  return {
    error,
    isBusy,
    clearError: () => setError(undefined),
    /** An input handler that stores the field's value and clears a stale error. */
    edit: (store: (value: string) => void) => (event: { currentTarget: { value: string } }) => {
      store(event.currentTarget.value);
      setError(undefined);
    },
    async submit(event?: Event) {
      event?.preventDefault();
      if (isBusy()) return;
      setIsBusy(true);
      try {
        setError(await action());
      } finally {
        setIsBusy(false);
      }
    },
  };
}
