import type { AttachmentFacts, AttachmentStatus } from '@gopherchat/api';
import type { LinkEntry } from './link-cache.ts';

/**
 * What a shared file shows: `loading` until its links are known,
 * `processing` (an image without its thumbnail yet), `ready`, `failed`
 * (processing refused it), or `gone` (deleted, or not for me to see).
 */
export interface ShownAttachment {
  state: 'loading' | 'processing' | 'ready' | 'failed' | 'gone';
  /** ThumbHash (base64) of an image's blurred preview. */
  placeholder: string | null;
  thumbnailUrl: string | null;
  /** The file itself: an image to show, audio or video to play, another file to download. */
  url: string | null;
  /**
   * What a Download link points at: the file with a header that makes the
   * browser save it (audio and video, whose `url` plays in place), or `url`
   * itself for the others (and from a server that sends no such link).
   */
  downloadUrl: string | null;
}

const PROGRESS: Record<AttachmentStatus['state'], number> = { uploading: 0, processing: 1, ready: 2, failed: 2 };

/**
 * Puts together what is known of a file: its links (from a request) and its
 * newest status (from a live event, which may be newer than the links or
 * older). Processing only moves forward, so the further of the two wins.
 */
export function showAttachment(
  facts: AttachmentFacts,
  entry: LinkEntry | undefined,
  live: AttachmentStatus | undefined,
): ShownAttachment {
  const links = entry?.links;
  const status = links && (!live || PROGRESS[links.state] >= PROGRESS[live.state]) ? links : live;
  const placeholder = status?.placeholder ?? links?.placeholder ?? null;
  const url = links?.url ?? null;
  // Audio or video sent before they could play has kind `file` but a `url` that plays: its card downloads with this.
  const downloadUrl = links?.downloadUrl ?? url;
  const thumbnailUrl = links?.thumbnailUrl ?? null;
  const known = { placeholder, url, downloadUrl, thumbnailUrl };
  if (entry?.isMissing) return { state: live?.state === 'failed' ? 'failed' : 'gone', ...known };
  if (!status) return { state: 'loading', ...known };
  if (status.state === 'failed') return { state: 'failed', ...known };
  // Other files are ready once checked; an image waits for its thumbnail, whose link comes with the next request.
  const isReady = status.state === 'ready' && (facts.kind !== 'image' || thumbnailUrl !== null || !status.hasThumbnail);
  return { state: isReady && links ? 'ready' : 'processing', ...known };
}

/** The box an image is shown in, at most `max` pixels each way, keeping its proportions. */
export function previewBox(
  facts: Pick<AttachmentFacts, 'width' | 'height'>,
  max: number,
): { width: number; height: number } {
  const { width, height } = facts;
  if (!width || !height) return { width: max, height: max };
  const scale = Math.min(1, max / width, max / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * The box a video is shown in, at most `max` pixels each way: its own
 * proportions when known, 16:9 otherwise. The server reads no video's
 * dimensions, and the box does not change once the browser has read them:
 * the row would change height under the reader.
 */
export function videoBox(
  facts: Pick<AttachmentFacts, 'width' | 'height'>,
  max: number,
): { width: number; height: number } {
  if (facts.width && facts.height) return previewBox(facts, max);
  return { width: max, height: Math.round((max * 9) / 16) };
}

const UNITS = ['bytes', 'KB', 'MB', 'GB'] as const;

/** A size as people read it: "820 bytes", "14 KB", "2.4 MB" (binary units, as the server's limits are). */
export function formatBytes(byteSize: number): string {
  let value = byteSize;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return value === 1 ? '1 byte' : `${value} bytes`;
  // One decimal while it says something (2.4 MB), none once it does not (240 MB).
  const rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${rounded} ${UNITS[unit]}`;
}

/** The short label on a file's card, from its name's ending: "PDF", "ZIP", "MP3"; "FILE" without one. */
export function fileBadge(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot + 1) : '';
  return /^[a-z0-9]{1,4}$/i.test(extension) ? extension.toUpperCase() : 'FILE';
}
