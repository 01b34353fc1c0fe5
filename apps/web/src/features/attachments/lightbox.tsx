import { createEffect, onCleanup, Show } from 'solid-js';
import { createSteadySource } from './steady-source.ts';
import type { AttachmentStore } from './store.ts';

/**
 * An image shown whole, over the page, with a way to save it: a native
 * modal dialog, so the page behind is inert (focus stays inside) and Escape
 * closes it. The focus goes
 * back to the image that opened it. It lives outside the message list's
 * rows, which come and go as the list scrolls.
 */
export function Lightbox(props: { store: AttachmentStore }) {
  let dialog: HTMLDialogElement | undefined;
  let closeButton: HTMLButtonElement | undefined;
  const image = () => props.store.state.lightbox;

  createEffect(() => {
    const current = image();
    if (!current) return;
    // Kept fresh while open, even once its row has scrolled out of the list.
    onCleanup(props.store.watch(current.attachmentId));
    if (!dialog?.open) dialog?.showModal();
    closeButton?.focus();
  });

  // Gone with the list (the conversation was left, or signed out of): nothing is left open for the next one.
  onCleanup(() => props.store.closeLightbox());

  const restoreFocus = () => {
    const opener = image()?.opener;
    props.store.closeLightbox();
    if (opener?.isConnected) opener.focus();
  };

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard's way out is Escape (the dialog's own); a click on the surround is the pointer's.
    <dialog
      ref={dialog}
      aria-label={image() ? `Image: ${image()?.description}` : 'Image'}
      class="m-auto max-h-none max-w-none bg-transparent p-0 backdrop:bg-slate-950/85"
      data-testid="lightbox"
      onClose={restoreFocus}
      onClick={(event) => {
        // A click on the dark surround, not on the image or the button, closes it too.
        if (event.target === dialog) dialog.close();
      }}
    >
      <Show when={image()}>
        {(current) => (
          <figure class="flex flex-col items-center gap-3">
            <div class="flex w-full justify-end gap-2">
              {/* The clean copy, with a header that makes the browser save it (the store is another origin). */}
              <Show when={props.store.state.links[current().attachmentId]?.links?.downloadUrl}>
                {(href) => (
                  <a
                    href={href()}
                    class="btn bg-white/10 px-3 text-white hover:bg-white/20"
                    data-testid="lightbox-download"
                  >
                    Download
                  </a>
                )}
              </Show>
              <button
                ref={closeButton}
                type="button"
                class="btn bg-white/10 px-3 text-white hover:bg-white/20"
                onClick={() => dialog?.close()}
              >
                Close
              </button>
            </div>
            {/* Keyed: another image starts from its own links. */}
            <Show when={current().attachmentId} keyed>
              {(attachmentId) => {
                // Renewals while it is open would otherwise download the whole image again.
                const picture = createSteadySource(() => props.store.state.links[attachmentId]?.links?.url);
                return (
                  <Show when={picture.source()} fallback={<p class="p-10 text-sm text-white">Loading…</p>}>
                    {(source) => (
                      <img
                        src={source()}
                        alt={current().description}
                        class="max-h-[calc(100dvh-8rem)] max-w-[calc(100vw-2rem)] rounded-lg object-contain shadow-2xl"
                        data-testid="lightbox-image"
                        onError={picture.fail}
                      />
                    )}
                  </Show>
                );
              }}
            </Show>
            <figcaption class="max-w-[calc(100vw-2rem)] truncate text-sm text-white/90">
              {current().description}
            </figcaption>
          </figure>
        )}
      </Show>
    </dialog>
  );
}
