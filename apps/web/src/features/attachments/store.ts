import type { AttachmentFacts, AttachmentStatus, Message } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import { onCleanup } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { systemClock } from '../../lib/clock.ts';
import { gopher } from '../../lib/session.ts';
import { createTimers } from '../../lib/timers.ts';
import { createLinkCache, type LinkEntry } from './link-cache.ts';
import { type ShownAttachment, showAttachment } from './presentation.ts';
import type { Upload, UploadQueue } from './upload-queue.ts';

/** An image shown whole, over everything (`Lightbox`). */
interface LightboxImage {
  attachmentId: string;
  /** What the image is, for those who cannot see it: its caption, or its file name. */
  description: string;
  /** Where the focus goes back to when it closes. */
  opener: HTMLElement | undefined;
}

interface AttachmentState {
  /** Files being shared from here, in the order they were added. */
  uploads: Upload[];
  links: Record<string, LinkEntry>;
  /** The newest status each file's live events told. */
  statuses: Record<string, AttachmentStatus>;
  lightbox: LightboxImage | undefined;
}

/**
 * Shared files, both ways: uploads from here (`createUploadQueue`), each
 * sent as its own message, and what files in messages show (links from
 * `createLinkCache`, kept fresh while on screen, and processing told live by
 * `attachment_updated`).
 */
export function createAttachmentStore(options: {
  onSent: (message: Message) => void;
  /** A problem to tell the person about. */
  onError: (text: string) => void;
}) {
  const [state, setState] = createStore<AttachmentState>({
    uploads: [],
    links: {},
    statuses: {},
    lightbox: undefined,
  });

  const timers = createTimers(systemClock);
  const { later } = timers;

  function applyStatus(status: AttachmentStatus) {
    setState('statuses', status.id, status);
    links.statusChanged(status.id);
  }

  // Loaded when the first file is shared: most visits share none, and the first page load stays smaller.
  let uploads: UploadQueue | undefined;
  let loadingUploads: Promise<UploadQueue> | undefined;
  const loadUploads = () => {
    loadingUploads ??= import('./uploader.ts').then(({ createUploader }) => {
      uploads = createUploader({
        onChange: (queue) => setState('uploads', reconcile([...queue], { key: 'id' })),
        onConfirmed: applyStatus,
        onSent: options.onSent,
      });
      return uploads;
    });
    return loadingUploads;
  };

  const links = createLinkCache({
    fetchLinks: (attachmentIds) => gopher.api.attachments.links.query({ attachmentIds }),
    now: systemClock.now,
    later,
    onChange: (attachmentId, entry) => setState('links', attachmentId, entry),
  });

  onCleanup(() => {
    uploads?.dispose();
    timers.clearAll();
  });

  return {
    state,
    /** Shares files in a conversation, one message each; the caption goes with the first. */
    attach(conversationId: string, files: readonly File[], caption?: string) {
      loadUploads().then(
        (queue) => queue.add(conversationId, files, caption),
        (error: unknown) => {
          loadingUploads = undefined;
          options.onError(toAppError(error).userMessage);
        },
      );
    },
    // These act on uploads listed in `state.uploads`, which only exist once the queue is loaded.
    cancel: (id: string) => uploads?.cancel(id),
    retry: (id: string) => void uploads?.retry(id),
    dismiss: (id: string) => uploads?.dismiss(id),
    /** From the live event: a file was processed, or failed. */
    applyStatus,
    /** Keeps a file's links fresh while it is shown; call the returned function when it no longer is. */
    watch: links.watch,
    /** What a file in a message shows now. */
    shown: (facts: AttachmentFacts): ShownAttachment =>
      showAttachment(facts, state.links[facts.id], state.statuses[facts.id]),
    openLightbox: (image: LightboxImage) => setState('lightbox', image),
    closeLightbox: () => setState('lightbox', undefined),
  };
}

export type AttachmentStore = ReturnType<typeof createAttachmentStore>;
