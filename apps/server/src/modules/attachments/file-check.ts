import type { AttachmentContentType } from '@gopherchat/api';

/** Bytes read from the start of an upload to tell what it really is. */
export const SNIFF_BYTES = 4_096;

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  signature.every((byte, index) => bytes[offset + index] === byte);
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/** Whether these first bytes look like text a person wrote, and not like markup a browser would run. */
function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    // A multi-byte character cut at the end of the sample is not a reason to refuse.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, bytes.length - 4));
    return !/^\s*<(?:!doctype|html|head|body|script|svg|iframe|\?xml)/i.test(text);
  } catch {
    return false;
  }
}

/** Each allowed type's magic number, checked against the first bytes of the file. */
const SIGNATURES: Record<AttachmentContentType, (bytes: Uint8Array) => boolean> = {
  'image/png': (bytes) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (bytes) => startsWith(bytes, [0xff, 0xd8, 0xff]),
  'image/gif': (bytes) => startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a')),
  'image/webp': (bytes) => startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8),
  'application/pdf': (bytes) => startsWith(bytes, ascii('%PDF-')),
  'application/zip': (bytes) =>
    startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]),
  'text/plain': isPlainText,
  'audio/mpeg': (bytes) => startsWith(bytes, ascii('ID3')) || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0),
  'audio/ogg': (bytes) => startsWith(bytes, ascii('OggS')),
  'video/mp4': (bytes) => startsWith(bytes, ascii('ftyp'), 4),
};

/** Whether the file's first bytes are what its declared type says. */
export function isContentOfType(contentType: AttachmentContentType, firstBytes: Uint8Array): boolean {
  return SIGNATURES[contentType](firstBytes);
}
