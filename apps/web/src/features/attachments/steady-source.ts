import { createEffect, createSignal } from 'solid-js';

/**
 * The address an image or a player loads, out of a file's links as they are
 * renewed (about every ten minutes while on screen). The first that came
 * stays: a renewed link is the same file, and a new `src` would download it
 * again, or start a player over. Only once the one in use has failed (most
 * likely it lapsed) does the next different link take over.
 */
export function createSteadySource(url: () => string | null | undefined) {
  const [source, setSource] = createSignal<string>();
  const [failedSource, setFailedSource] = createSignal<string>();
  createEffect(() => {
    const candidate = url();
    const current = source();
    if (candidate && (!current || (current === failedSource() && candidate !== current))) setSource(candidate);
  });
  return {
    /** The address in use. */
    source,
    /** The address in use failed, and no other has come yet. */
    hasFailed: () => source() !== undefined && source() === failedSource(),
    /** The element could not load the address in use: the next different link replaces it. */
    fail: () => setFailedSource(source()),
  };
}
