import { z } from 'zod';
import { ZId } from './conversations.ts';
import {
  ATTACHMENT_FILE_NAME_MAX_LENGTH,
  ATTACHMENT_LINKS_MAX,
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_MAX_SIZE_IN_WORDS,
  ATTACHMENT_TYPES,
  ATTACHMENT_TYPES_IN_WORDS,
  type AttachmentContentType,
  isForbiddenFileNameChar,
} from './limits.ts';

const ALLOWED_TYPES = Object.keys(ATTACHMENT_TYPES) as [AttachmentContentType, ...AttachmentContentType[]];

export const ZRequestUploadInput = z.object({
  fileName: z
    .string()
    .trim()
    .min(1, 'The file needs a name.')
    .max(ATTACHMENT_FILE_NAME_MAX_LENGTH, `File names have at most ${ATTACHMENT_FILE_NAME_MAX_LENGTH} characters.`)
    .refine(
      (name) => ![...name].some(isForbiddenFileNameChar),
      'That file name has characters files cannot have here.',
    ),
  contentType: z.enum(ALLOWED_TYPES, {
    error: `That kind of file cannot be shared here: ${ATTACHMENT_TYPES_IN_WORDS} can.`,
  }),
  byteSize: z
    .number()
    .int()
    .min(1, 'That file is empty.')
    .max(ATTACHMENT_MAX_BYTES, `Files can be at most ${ATTACHMENT_MAX_SIZE_IN_WORDS}.`),
});
export type TRequestUploadInput = z.infer<typeof ZRequestUploadInput>;

export const ZAttachmentRef = z.object({ attachmentId: ZId });

export const ZAttachmentLinksInput = z.object({
  attachmentIds: z.array(ZId).min(1).max(ATTACHMENT_LINKS_MAX),
});
