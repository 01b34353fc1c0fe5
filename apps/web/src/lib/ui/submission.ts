import { createSignal } from 'solid-js';

/**
 * A form's submission state: busy while `action` runs, then the error it
 * resolved to (undefined on success). Editing a field should `clearError()`.
 */
export function createSubmission(action: () => Promise<string | undefined>) {
  const [error, setError] = createSignal<string>();
  const [isBusy, setIsBusy] = createSignal(false);
  return {
    error,
    isBusy,
    clearError: () => setError(undefined),
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
