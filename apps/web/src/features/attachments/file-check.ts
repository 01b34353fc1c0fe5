import {
  ATTACHMENT_FILE_NAME_MAX_LENGTH,
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_MAX_SIZE_IN_WORDS,
  ATTACHMENT_TYPES,
  ATTACHMENT_TYPES_IN_WORDS,
  type AttachmentContentType,
  isForbiddenFileNameChar,
} from '@gopherchat/api';

/**
 * Names some systems give allowed types. Windows calls a ZIP
 * `application/x-zip-compressed`, for one.
 */
const TYPE_ALIASES: Record<string, AttachmentContentType> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-zip-compressed': 'application/zip',
  'application/x-zip': 'application/zip',
  'audio/mp3': 'audio/mpeg',
  'audio/x-mpeg': 'audio/mpeg',
};

/** For files the browser could not type: what the name's ending says. */
const TYPES_BY_EXTENSION: Record<string, AttachmentContentType> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  zip: 'application/zip',
  txt: 'text/plain',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  mp4: 'video/mp4',
};

const isAllowedType = (type: string): type is AttachmentContentType => Object.hasOwn(ATTACHMENT_TYPES, type);

function contentTypeOf(file: FileFacts): AttachmentContentType | undefined {
  // Browsers may add parameters (`text/plain;charset=utf-8`); the type is what comes before them.
  const type = file.type.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (isAllowedType(type)) return type;
  if (TYPE_ALIASES[type]) return TYPE_ALIASES[type];
  // The type is not known (an empty or generic one): the name's ending is the best guess, and the server checks it.
  if (type === '' || type === 'application/octet-stream') {
    const extension = file.name.split('.').at(-1)?.toLowerCase() ?? '';
    return file.name.includes('.') ? TYPES_BY_EXTENSION[extension] : undefined;
  }
  return undefined;
}

/**
 * A name the server takes: long names are shortened in the middle, keeping
 * the ending, and characters files cannot have here are replaced.
 */
function acceptableName(name: string): string {
  const cleaned = [...name.trim()].map((char) => (isForbiddenFileNameChar(char) ? '_' : char)).join('');
  const chars = [...(cleaned || 'file')];
  if (chars.length <= ATTACHMENT_FILE_NAME_MAX_LENGTH) return chars.join('');
  const dot = chars.lastIndexOf('.');
  const ending = dot > 0 && chars.length - dot <= 10 ? chars.slice(dot) : [];
  return [...chars.slice(0, ATTACHMENT_FILE_NAME_MAX_LENGTH - ending.length - 1), '…', ...ending].join('');
}

/** What the browser tells of a file (a `File` has all of it). */
interface FileFacts {
  name: string;
  type: string;
  size: number;
}

type FileCheck =
  | { isAllowed: true; fileName: string; contentType: AttachmentContentType; byteSize: number }
  | { isAllowed: false; reason: string };

/**
 * Whether a file may be shared, checked here before anything is uploaded,
 * with the server's own limits; the reason in words when it may not. The
 * server checks again, and looks at the bytes themselves.
 */
export function checkFile(file: FileFacts): FileCheck {
  const shownName = file.name ? `“${file.name}”` : 'That file';
  const contentType = contentTypeOf(file);
  if (!contentType) {
    return {
      isAllowed: false,
      reason: `${shownName} cannot be shared: only ${ATTACHMENT_TYPES_IN_WORDS} files can.`,
    };
  }
  if (file.size === 0) return { isAllowed: false, reason: `${shownName} is empty.` };
  if (file.size > ATTACHMENT_MAX_BYTES) {
    return {
      isAllowed: false,
      reason: `${shownName} is too large: files can be at most ${ATTACHMENT_MAX_SIZE_IN_WORDS}.`,
    };
  }
  return { isAllowed: true, fileName: acceptableName(file.name), contentType, byteSize: file.size };
}
