import { z } from 'zod';
import { ZId } from './conversations.ts';
import {
  ATTACHMENT_FILE_NAME_MAX_LENGTH,
  ATTACHMENT_LINKS_MAX,
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_TYPES,
  type AttachmentContentType,
} from './limits.ts';

const ALLOWED_TYPES = Object.keys(ATTACHMENT_TYPES) as [AttachmentContentType, ...AttachmentContentType[]];
const MEGABYTE = 1024 * 1024;

export const ZRequestUploadInput = z.object({
  fileName: z
    .string()
    .trim()
    .min(1, 'The file needs a name.')
    .max(ATTACHMENT_FILE_NAME_MAX_LENGTH, `File names have at most ${ATTACHMENT_FILE_NAME_MAX_LENGTH} characters.`)
    // Path separators and control characters have no place in a name shown to others.
    .refine(
      (name) =>
        ![...name].some((char) => char === '/' || char === '\\' || char.charCodeAt(0) < 0x20 || char === '\u007f'),
      'That file name has characters files cannot have here.',
    ),
  contentType: z.enum(ALLOWED_TYPES, {
    error: 'That kind of file cannot be shared here: images, PDF, ZIP, text, MP3, Ogg and MP4 can.',
  }),
  byteSize: z
    .number()
    .int()
    .min(1, 'That file is empty.')
    .max(ATTACHMENT_MAX_BYTES, `Files can be at most ${ATTACHMENT_MAX_BYTES / MEGABYTE} MB.`),
});
export type TRequestUploadInput = z.infer<typeof ZRequestUploadInput>;

export const ZAttachmentRef = z.object({ attachmentId: ZId });

export const ZAttachmentLinksInput = z.object({
  attachmentIds: z.array(ZId).min(1).max(ATTACHMENT_LINKS_MAX),
});
