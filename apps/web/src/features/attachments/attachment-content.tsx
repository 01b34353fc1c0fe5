import type { AttachmentFacts } from '@gopherchat/api';
import { createEffect, createMemo, createSignal, createUniqueId, Match, onCleanup, Show, Switch } from 'solid-js';
import { wordsOf } from '../chat/markdown.ts';
import { MessageText } from '../chat/message-text.tsx';
import { placeholderDataUrl } from './placeholder.ts';
import { fileBadge, formatBytes, previewBox, type ShownAttachment, videoBox } from './presentation.ts';
import { createSteadySource } from './steady-source.ts';
import type { AttachmentStore } from './store.ts';

/** Largest side of an image shown in a message, in CSS pixels; also the width of players. */
const PREVIEW_MAX_PX = 320;

/** A link that saves the file: its address comes with a header that makes the browser save it. */
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

/** What a file is (its ending as a badge, its name), how big, and a way to save it. */
function FileSummary(props: {
  attachment: AttachmentFacts;
  downloadUrl: string | null;
  isMine: boolean;
  note?: string;
  /** For a player to be labelled by the name. */
  nameId?: string;
}) {
  return (
    <div class="flex items-center gap-3">
      <span
        class={`flex h-10 w-10 flex-none items-center justify-center rounded-xl text-[0.625rem] font-bold tracking-wide ${
          props.isMine ? 'bg-accent-contrast/20 text-accent-contrast' : 'bg-surface-raised text-accent-fg'
        }`}
        aria-hidden="true"
      >
        {fileBadge(props.attachment.fileName)}
      </span>
      <div class="min-w-0 flex-1">
        <p id={props.nameId} class="truncate font-medium" title={props.attachment.fileName}>
          {props.attachment.fileName}
        </p>
        <p class={`text-xs ${props.isMine ? 'text-accent-contrast' : 'text-fg-muted'}`}>
          {props.note ?? formatBytes(props.attachment.byteSize)}
        </p>
      </div>
      <Show when={props.downloadUrl}>
        {(url) => <DownloadLink url={url()} fileName={props.attachment.fileName} isMine={props.isMine} />}
      </Show>
    </div>
  );
}

/** A file that is not shown inline: what it is, how big, and a way to get it. */
function FileCard(props: { attachment: AttachmentFacts; downloadUrl: string | null; isMine: boolean; note?: string }) {
  return (
    <div class="w-64 max-w-full p-1.5" data-testid="attachment-file">
      <FileSummary
        attachment={props.attachment}
        downloadUrl={props.downloadUrl}
        isMine={props.isMine}
        note={props.note}
      />
    </div>
  );
}

/**
 * The address a player plays (`createSteadySource`). A link that lapsed
 * fails only when playback needs bytes not fetched yet (a ranged request
 * with the old signature); then the newest link takes over, at the same
 * position. An error with no newer link (a file the browser cannot decode)
 * leaves the player as it is, until the next renewal.
 */
function createMediaSource(url: () => string | null) {
  const steady = createSteadySource(url);
  let resumeAt = 0;
  return {
    source: steady.source,
    onError(event: Event & { currentTarget: HTMLMediaElement }) {
      resumeAt = event.currentTarget.currentTime;
      steady.fail();
    },
    onLoadedMetadata(event: Event & { currentTarget: HTMLMediaElement }) {
      if (resumeAt > 0) event.currentTarget.currentTime = resumeAt;
      resumeAt = 0;
    },
  };
}

/**
 * Audio in a message: what it is and a way to save it, over the browser's
 * own player, which streams it from the store (and reads its duration from
 * the first bytes alone: `preload="metadata"`).
 */
function AudioCard(props: { attachment: AttachmentFacts; shown: ShownAttachment; isMine: boolean }) {
  const media = createMediaSource(() => props.shown.url);
  const nameId = createUniqueId();
  return (
    <figure
      aria-labelledby={nameId}
      class="flex w-80 max-w-full flex-col gap-2 p-1.5"
      data-testid="attachment-audio"
      data-state={props.shown.state}
    >
      <FileSummary
        attachment={props.attachment}
        downloadUrl={props.shown.downloadUrl}
        isMine={props.isMine}
        nameId={nameId}
      />
      {/* biome-ignore lint/a11y/useMediaCaption: a shared file comes with no captions file to offer; its name labels the player. */}
      <audio
        controls
        preload="metadata"
        src={media.source()}
        aria-label={`Play ${props.attachment.fileName}`}
        class="block w-full"
        onError={media.onError}
        onLoadedMetadata={media.onLoadedMetadata}
      />
    </figure>
  );
}

/**
 * A video in a message, played in place: a box of its proportions when
 * known, 16:9 otherwise, as wide as an image's at most; what it is and a way
 * to save it underneath.
 */
function VideoCard(props: { attachment: AttachmentFacts; shown: ShownAttachment; isMine: boolean }) {
  const media = createMediaSource(() => props.shown.url);
  const box = videoBox(props.attachment, PREVIEW_MAX_PX);
  const nameId = createUniqueId();
  return (
    <figure
      aria-labelledby={nameId}
      class="flex max-w-full flex-col gap-2"
      style={{ width: `${box.width}px` }}
      data-testid="attachment-video"
      data-state={props.shown.state}
    >
      {/* Black whatever the theme, as players are: the bars around a video of other proportions are its own. */}
      {/* biome-ignore lint/a11y/useMediaCaption: a shared file comes with no captions file to offer; its name labels the player. */}
      <video
        controls
        preload="metadata"
        playsinline
        src={media.source()}
        aria-label={`Play ${props.attachment.fileName}`}
        class="block w-full rounded-xl bg-black object-contain"
        style={{ 'aspect-ratio': `${box.width} / ${box.height}` }}
        onError={media.onError}
        onLoadedMetadata={media.onLoadedMetadata}
      />
      <div class="px-1.5 pb-1.5">
        <FileSummary
          attachment={props.attachment}
          downloadUrl={props.shown.downloadUrl}
          isMine={props.isMine}
          nameId={nameId}
        />
      </div>
    </figure>
  );
}

/**
 * An image in a message: a box of its proportions from the start (so the
 * row never changes height), the blurred placeholder in it, then the
 * thumbnail once processed. A click shows it whole.
 */
function ImagePreview(props: {
  attachment: AttachmentFacts;
  shown: ShownAttachment;
  description: string;
  store: AttachmentStore;
}) {
  const box = previewBox(props.attachment, PREVIEW_MAX_PX);
  const placeholder = createMemo(() => {
    const hash = props.shown.placeholder;
    return hash ? placeholderDataUrl(hash) : undefined;
  });
  const picture = createSteadySource(() => {
    const { thumbnailUrl, state, url } = props.shown;
    // An image processed without a thumbnail (small enough as it is) is shown itself.
    return thumbnailUrl ?? (state === 'ready' ? url : null);
  });
  const [isLoaded, setIsLoaded] = createSignal(false);

  return (
    <button
      type="button"
      class="relative block overflow-hidden rounded-xl bg-line focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:cursor-default"
      style={{ width: `${box.width}px`, 'max-width': '100%', 'aspect-ratio': `${box.width} / ${box.height}` }}
      aria-label={`View image: ${props.description}`}
      disabled={!props.shown.url}
      data-testid="attachment-image"
      data-state={props.shown.state}
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
      {/* A failed address (most likely lapsed) is taken away until the next link: the placeholder shows meanwhile. */}
      <Show when={!picture.hasFailed() && picture.source()}>
        {(url) => (
          <img
            src={url()}
            alt={props.description}
            decoding="async"
            class={`absolute inset-0 h-full w-full object-cover transition-opacity duration-300 ${isLoaded() ? 'opacity-100' : 'opacity-0'}`}
            data-testid="attachment-thumbnail"
            onLoad={() => setIsLoaded(true)}
            onError={() => {
              picture.fail();
              setIsLoaded(false);
            }}
          />
        )}
      </Show>
      <Show when={props.shown.state === 'processing' || props.shown.state === 'loading'}>
        <span class="absolute bottom-1.5 left-1.5 rounded-full bg-slate-900/60 px-2 py-0.5 text-xs text-white">
          {props.shown.state === 'processing' ? 'Processing…' : 'Loading…'}
        </span>
      </Show>
    </button>
  );
}

/**
 * A shared file in a message: an image inline, audio and video in a player,
 * another file as a card to download, and what became of one that could not
 * be processed or is gone.
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
  // Read by most of what follows: worked out once per change of the file's links or status.
  const shown = createMemo(() => props.store.shown(props.attachment));
  // Alt text and the lightbox's caption are plain: markers (`**`) would be read out or shown as typed there.
  const description = createMemo(() =>
    wordsOf({ type: 'attachment', attachment: props.attachment, caption: props.caption }),
  );
  return (
    <div class="flex flex-col gap-1">
      {/* Other files are cards; so are audio and video shared before they could play (their message says `file`). */}
      <Switch
        fallback={<FileCard attachment={props.attachment} downloadUrl={shown().downloadUrl} isMine={props.isMine} />}
      >
        <Match when={shown().state === 'gone'}>
          <FileCard attachment={props.attachment} downloadUrl={null} isMine={props.isMine} note="No longer available" />
        </Match>
        <Match when={shown().state === 'failed'}>
          <FileCard
            attachment={props.attachment}
            downloadUrl={shown().downloadUrl}
            isMine={props.isMine}
            note={
              props.attachment.kind === 'image'
                ? 'This image could not be processed.'
                : 'This file could not be processed.'
            }
          />
        </Match>
        <Match when={props.attachment.kind === 'image'}>
          <ImagePreview attachment={props.attachment} shown={shown()} description={description()} store={props.store} />
        </Match>
        <Match when={props.attachment.kind === 'audio'}>
          <AudioCard attachment={props.attachment} shown={shown()} isMine={props.isMine} />
        </Match>
        <Match when={props.attachment.kind === 'video'}>
          <VideoCard attachment={props.attachment} shown={shown()} isMine={props.isMine} />
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
