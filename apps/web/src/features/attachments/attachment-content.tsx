import type { AttachmentFacts } from '@gopherchat/api';
import { createEffect, createMemo, createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import { plainTextOf } from '../chat/markdown.ts';
import { MessageText } from '../chat/message-text.tsx';
import { placeholderDataUrl } from './placeholder.ts';
import { fileBadge, formatBytes, previewBox } from './presentation.ts';
import type { AttachmentStore } from './store.ts';

/** Largest side of an image shown in a message, in CSS pixels. */
const PREVIEW_MAX_PX = 320;

/** A link to the file itself; files other than images come with a header that makes the browser save them. */
function DownloadLink(props: { url: string; fileName: string; isMine: boolean }) {
  return (
    <a
      href={props.url}
      // A link that lapsed opens the store's error in a tab of its own, not in place of the conversation.
      target="_blank"
      rel="noopener noreferrer"
      class={`btn flex-none px-3 py-1.5 text-xs ${
        props.isMine
          ? 'bg-accent-contrast/20 text-accent-contrast hover:bg-accent-contrast/30'
          : 'bg-surface-raised text-fg hover:bg-surface'
      }`}
      aria-label={`Download ${props.fileName}`}
    >
      Download
    </a>
  );
}

/** A file that is not shown inline: what it is, how big, and a way to get it. */
function FileCard(props: { attachment: AttachmentFacts; url: string | null; isMine: boolean; note?: string }) {
  return (
    <div class="flex w-64 max-w-full items-center gap-3 p-1.5" data-testid="attachment-file">
      <span
        class={`flex h-10 w-10 flex-none items-center justify-center rounded-xl text-[0.625rem] font-bold tracking-wide ${
          props.isMine ? 'bg-accent-contrast/20 text-accent-contrast' : 'bg-surface-raised text-accent-fg'
        }`}
        aria-hidden="true"
      >
        {fileBadge(props.attachment.fileName)}
      </span>
      <div class="min-w-0 flex-1">
        <p class="truncate font-medium" title={props.attachment.fileName}>
          {props.attachment.fileName}
        </p>
        <p class={`text-xs ${props.isMine ? 'text-accent-contrast' : 'text-fg-muted'}`}>
          {props.note ?? formatBytes(props.attachment.byteSize)}
        </p>
      </div>
      <Show when={props.url}>
        {(url) => <DownloadLink url={url()} fileName={props.attachment.fileName} isMine={props.isMine} />}
      </Show>
    </div>
  );
}

/**
 * An image in a message: a box of its proportions from the start (so the
 * row never changes height), the blurred placeholder in it, then the
 * thumbnail once processed. A click shows it whole.
 */
function ImagePreview(props: { attachment: AttachmentFacts; description: string; store: AttachmentStore }) {
  const shown = () => props.store.shown(props.attachment);
  const box = previewBox(props.attachment, PREVIEW_MAX_PX);
  const placeholder = createMemo(() => {
    const hash = shown().placeholder;
    return hash ? placeholderDataUrl(hash) : undefined;
  });
  // The first working address stays: renewed links point at the same picture, and would load it again.
  const [source, setSource] = createSignal<string>();
  const [failedSource, setFailedSource] = createSignal<string>();
  const [isLoaded, setIsLoaded] = createSignal(false);
  createEffect(() => {
    const { thumbnailUrl, state, url } = shown();
    // An image processed without a thumbnail (small enough as it is) is shown itself.
    const candidate = thumbnailUrl ?? (state === 'ready' ? url : null);
    if (candidate && !source() && candidate !== failedSource()) setSource(candidate);
  });

  return (
    <button
      type="button"
      class="relative block overflow-hidden rounded-xl bg-line focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:cursor-default"
      style={{ width: `${box.width}px`, 'max-width': '100%', 'aspect-ratio': `${box.width} / ${box.height}` }}
      aria-label={`View image: ${props.description}`}
      disabled={!shown().url}
      data-testid="attachment-image"
      data-state={shown().state}
      onClick={(event) =>
        props.store.openLightbox({
          attachmentId: props.attachment.id,
          description: props.description,
          opener: event.currentTarget,
        })
      }
    >
      <Show when={placeholder()}>
        {(url) => <img src={url()} alt="" class="absolute inset-0 h-full w-full object-cover" />}
      </Show>
      <Show when={source()}>
        {(url) => (
          <img
            src={url()}
            alt={props.description}
            decoding="async"
            class={`absolute inset-0 h-full w-full object-cover transition-opacity duration-300 ${isLoaded() ? 'opacity-100' : 'opacity-0'}`}
            data-testid="attachment-thumbnail"
            onLoad={() => setIsLoaded(true)}
            onError={() => {
              // Most likely a link that lapsed: the next one is tried.
              setFailedSource(url());
              setSource(undefined);
              setIsLoaded(false);
            }}
          />
        )}
      </Show>
      <Show when={shown().state === 'processing' || shown().state === 'loading'}>
        <span class="absolute bottom-1.5 left-1.5 rounded-full bg-slate-900/60 px-2 py-0.5 text-xs text-white">
          {shown().state === 'processing' ? 'Processing…' : 'Loading…'}
        </span>
      </Show>
    </button>
  );
}

/**
 * A shared file in a message: an image inline, another file as a card to
 * download, and what became of one that could not be processed or is gone.
 * Its caption is light markdown, as message text is. Its links are kept
 * fresh while it is on screen.
 */
export function AttachmentContent(props: {
  attachment: AttachmentFacts;
  caption: string | null;
  isMine: boolean;
  store: AttachmentStore;
}) {
  createEffect(() => onCleanup(props.store.watch(props.attachment.id)));
  const shown = () => props.store.shown(props.attachment);
  // Alt text and the lightbox's caption are plain: markers (`**`) would be read out or shown as typed there.
  const description = () => (props.caption && plainTextOf(props.caption)) || props.attachment.fileName;
  return (
    <div class="flex flex-col gap-1">
      <Switch>
        <Match when={shown().state === 'gone'}>
          <FileCard attachment={props.attachment} url={null} isMine={props.isMine} note="No longer available" />
        </Match>
        <Match when={shown().state === 'failed'}>
          <FileCard
            attachment={props.attachment}
            url={shown().url}
            isMine={props.isMine}
            note={
              props.attachment.kind === 'image'
                ? 'This image could not be processed.'
                : 'This file could not be processed.'
            }
          />
        </Match>
        <Match when={props.attachment.kind === 'image'}>
          <ImagePreview attachment={props.attachment} description={description()} store={props.store} />
        </Match>
        <Match when={props.attachment.kind === 'file'}>
          <FileCard attachment={props.attachment} url={shown().url} isMine={props.isMine} />
        </Match>
      </Switch>
      {/* A div, not a p: a caption of several blocks renders paragraphs, lists and quotes of its own. */}
      <Show when={props.caption}>
        {(caption) => (
          <div class="px-2 pb-1">
            <MessageText text={caption()} />
          </div>
        )}
      </Show>
    </div>
  );
}
