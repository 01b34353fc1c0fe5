import {
  ATTACHMENT_TYPES,
  type AttachmentContentType,
  type AttachmentFacts,
  type AttachmentStatus,
} from '@gopherchat/api';
import { uuidv7 } from 'uuidv7';
import type { AttachmentRow } from './repo.ts';

// What is known of a stored file from its row: its kind and facts, where its objects are, and whether it is served.

export const kindOf = (contentType: string) => ATTACHMENT_TYPES[contentType as AttachmentContentType] ?? 'file';

export const factsOf = (row: AttachmentRow): AttachmentFacts => ({
  id: row.id,
  fileName: row.fileName,
  contentType: row.contentType,
  byteSize: row.byteSize,
  kind: kindOf(row.contentType),
  width: row.width,
  height: row.height,
});

/**
 * Where an upload's grant lets its uploader write, until the grant expires
 * (also after confirmation: a grant cannot be revoked). Nothing is served
 * from there.
 */
export const uploadKeyOf = (attachmentId: string) => `media/${attachmentId}/upload`;

/**
 * Where a confirmation copies the upload before checking it: a key no grant
 * names, so the bytes checked are the bytes served (and processed). New for
 * each confirmation, so two racing ones never write the same object.
 */
export const fileKeyOf = (attachmentId: string) => `media/${attachmentId}/file-${uuidv7()}`;

/**
 * Objects a row may have in the store: its file (the upload itself while
 * `uploading`), the upload key (which the grant may have written again after
 * confirmation), and the thumbnail.
 */
export const objectKeysOf = (row: AttachmentRow) => [
  ...new Set([row.objectKey, uploadKeyOf(row.id), ...(row.thumbnailKey ? [row.thumbnailKey] : [])]),
];

/**
 * Whether a file may be fetched: checked at confirmation. An image is served
 * only once processed (see `links`); one whose processing failed never is:
 * its only copy is the upload itself, EXIF (camera, location) included.
 */
export const isDownloadable = (row: AttachmentRow) => row.state === 'processing' || row.state === 'ready';

export const statusOf = (row: AttachmentRow): AttachmentStatus => ({
  id: row.id,
  state: row.state,
  placeholder: row.placeholder,
  hasThumbnail: row.thumbnailKey !== null,
});
